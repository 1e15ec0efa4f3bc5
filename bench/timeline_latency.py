"""Latency of GET /api/projects/{id}/timeline/ through uvicorn against PostgreSQL.

A project of 10 sequences × 6 shots × 2 dialogue lines; one token-authenticated httpx client
(keep-alive) sends 20 warm-up requests, then 200 timed ones, one after another. Also printed:
the response size, the SQL queries of one request (measured in-process) and the database
connections opened per request. `--profile` adds the queries, a cProfile of 200 in-process
requests, and the same 200 requests against `bench.gc_probe` (the same app, its full garbage
collections timed) without and with gc.freeze() after start-up.

Goal: p99 under 50 ms.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    VAR_DIR,
    BenchProject,
    Figure,
    api_client,
    arguments,
    db_sessions,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)

TITLE = "Bench: timeline latency"
WARMUP = 20
REQUESTS = 200
GOAL_P99_MS = 50.0


def timeline_path(project: BenchProject) -> str:
    return f"/api/projects/{project.project_id}/timeline/"


def in_process_queries(project: BenchProject) -> tuple[int, list[str]]:
    """The SQL queries of one request through Django's test client (no server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {project.token}")
    client.get(timeline_path(project))  # warm caches (content types, URL resolver)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(timeline_path(project))
    assert response.status_code == 200, response.status_code
    return len(captured), [q["sql"][:110] for q in captured.captured_queries]


def profile_in_process(project: BenchProject, requests: int = REQUESTS) -> str:
    """cProfile of `requests` in-process GETs: where the server's time goes, top 25."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {project.token}")
    client.get(timeline_path(project))
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(timeline_path(project))
    profiler.disable()
    per_request = (time.perf_counter() - start) / requests * 1000
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    heading = f"in-process (WSGI test client, profiled): {per_request:.1f} ms/request"
    return f"{heading}\n{out.getvalue()}"


def measure(base_url: str, project: BenchProject) -> tuple[list[float], int]:
    """Milliseconds of each timed request, and the size of the response body."""
    path = timeline_path(project)
    timings = []
    size = 0
    with api_client(base_url, project.token) as client:
        for _ in range(WARMUP):
            client.get(path).raise_for_status()
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
            size = len(response.content)
    return timings, size


def gc_experiment(project: BenchProject) -> str:
    """p99 and full-collection pauses of the server, without and with gc.freeze()."""
    lines = []
    for freeze in ("0", "1"):
        log = VAR_DIR / f"gc-pauses-{freeze}.txt"
        log.unlink(missing_ok=True)
        os.environ.update(BENCH_GC_LOG=str(log), BENCH_GC_FREEZE=freeze)
        with uvicorn_server("bench.gc_probe:application") as base_url:
            timings, _ = measure(base_url, project)
        pauses = [float(x) for x in log.read_text().split()] if log.exists() else [0.0]
        lines.append(
            f"  gc.freeze() {'on ' if freeze == '1' else 'off'}: median {median(timings):.1f} ms,"
            f" p99 {percentile(timings, 99):.1f} ms; {len(pauses)} full collections,"
            f" pause median {median(pauses):.1f} ms, max {max(pauses):.1f} ms"
        )
    return "\n".join(lines)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    setup_django()
    project = make_project(TITLE, sequences=10, shots=6, lines=2)
    query_count, queries = in_process_queries(project)
    with uvicorn_server() as base_url:
        sessions_before = db_sessions()
        timings, size = measure(base_url, project)
        sessions_after = db_sessions()
    connections_per_request = (sessions_after - sessions_before) / (WARMUP + REQUESTS)
    p99 = percentile(timings, 99)
    figures = [
        Figure("timeline GET median", median(timings), "ms"),
        Figure("timeline GET p99", p99, "ms", f"< {GOAL_P99_MS:.0f} ms", p99 < GOAL_P99_MS),
        Figure("timeline GET max", max(timings), "ms"),
        Figure("timeline response size", round(size / 1024, 1), "KB"),
        Figure("timeline SQL queries per request", query_count),
        Figure("DB connections opened per request", round(connections_per_request, 2)),
    ]
    report(f"Timeline latency ({REQUESTS} requests, 10×6×2 project)", figures, args.json)
    if args.profile:
        print("  queries of one request:", *(f"    {sql}" for sql in queries), sep="\n")
        print(profile_in_process(project))
        print("Full garbage collections in the server (bench.gc_probe):")
        print(gc_experiment(project))


if __name__ == "__main__":
    main()
