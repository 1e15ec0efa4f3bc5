"""Concurrent PATCHes of one shot through uvicorn: latency, conflicts, and no lost update.

4 clients (threads, one httpx client each) share one shot and send 500 PATCH requests in all
(125 each, 409s included). Each edit is a read-modify-write: GET the shot, PATCH its text with
a token of the client's own appended and the `version` it read; on 409 take `current` from the
answer and try again. The shot's text starts as "|" and every token is written "<token>|".

Zero lost updates means: at the end the text holds every token whose PATCH answered 200 exactly
once and nothing else, and the shot's version is 1 + the number of 200s.
"""

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Figure,
    api_client,
    arguments,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)

TITLE = "Bench: patch concurrency"
CLIENTS = 4
TOTAL_PATCHES = 500
SEPARATOR = "|"


@dataclass
class ClientResult:
    patch_ms: list[float] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # tokens whose PATCH answered 200
    conflicts: int = 0
    other_statuses: list[int] = field(default_factory=list)


def run_client(
    base_url: str, token: str, path: str, name: str, budget: int, start: threading.Barrier
) -> ClientResult:
    """One client's edits: `budget` PATCH requests, each edit adding a token like `a1f`."""
    result = ClientResult()
    sent = 0
    edit = 0
    with api_client(base_url, token) as client:
        start.wait()
        while sent < budget:
            edit += 1
            mark = f"{name}{edit:x}"
            shot = client.get(path).raise_for_status().json()
            while sent < budget:
                body = {"text": shot["text"] + mark + SEPARATOR, "version": shot["version"]}
                began = time.perf_counter()
                response = client.patch(path, json=body)
                result.patch_ms.append((time.perf_counter() - began) * 1000)
                sent += 1
                if response.status_code == 200:
                    result.applied.append(mark)
                    break
                if response.status_code == 409:
                    result.conflicts += 1
                    shot = response.json()["current"]
                    continue
                result.other_statuses.append(response.status_code)
                break
    return result


def run_clients(base_url: str, token: str, path: str) -> tuple[list[ClientResult], float]:
    results: list[ClientResult | None] = [None] * CLIENTS
    start = threading.Barrier(CLIENTS + 1)
    stopping = threading.Event()  # set when the bench is interrupted: errors are expected then

    def work(i: int) -> None:
        name = "abcdefghijklmnopqrstuvwxyz"[i]
        try:
            results[i] = run_client(base_url, token, path, name, TOTAL_PATCHES // CLIENTS, start)
        except (httpx.TransportError, threading.BrokenBarrierError):
            if not stopping.is_set():
                raise

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        stopping.set()
        start.abort()
    if any(result is None for result in results):
        raise RuntimeError("a client thread failed; see its traceback above")
    return results, elapsed


def lost_updates(final: dict, applied: list[str]) -> list[str]:
    """What is wrong with the final shot, given the tokens acknowledged with 200 (empty: OK)."""
    problems = []
    written = Counter(mark for mark in final["text"].split(SEPARATOR) if mark)
    expected = Counter(applied)
    if written != expected:
        missing = sorted((expected - written).elements())
        extra = sorted((written - expected).elements())
        problems.append(f"text differs: missing or short {missing[:10]}, extra {extra[:10]}")
    if final["version"] != 1 + len(applied):
        problems.append(f"version {final['version']} != 1 + {len(applied)} successful PATCHes")
    return problems


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    setup_django()
    from storyboard_app import actions
    from storyboard_app.models import Sequence

    project = make_project(TITLE, sequences=1, shots=0)
    sequence = Sequence.objects.get(pk=project.sequence_ids[0])
    shot = actions.add_shot(sequence, {"text": SEPARATOR})
    path = f"/api/shots/{shot.pk}/"
    with uvicorn_server() as base_url:
        results, elapsed = run_clients(base_url, project.token, path)
        with api_client(base_url, project.token) as client:
            final = client.get(path).raise_for_status().json()

    timings = [ms for result in results for ms in result.patch_ms]
    applied = [mark for result in results for mark in result.applied]
    conflicts = sum(result.conflicts for result in results)
    others = [status for result in results for status in result.other_statuses]
    problems = lost_updates(final, applied) + [f"unexpected statuses {others}"] * bool(others)
    figures = [
        Figure("PATCH requests sent", len(timings)),
        Figure("PATCH p50", median(timings), "ms"),
        Figure("PATCH p99", percentile(timings, 99), "ms"),
        Figure("PATCH answered 200", len(applied)),
        Figure("PATCH answered 409 (then retried)", conflicts),
        Figure("edits per second (GET + PATCHes)", round(len(applied) / elapsed, 1), "/s"),
        Figure("zero lost updates", "yes" if not problems else "NO", "", "yes", not problems),
    ]
    report(f"Shot PATCH, {CLIENTS} concurrent clients", figures, args.json)
    for problem in problems:
        print(f"  FAIL: {problem}")


if __name__ == "__main__":
    main()
