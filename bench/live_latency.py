"""Live events over the project WebSocket: latency to 1, 100 and 1,000 clients; connections held.

One uvicorn process serves `config.asgi:application`; the channel layer is Redis pub/sub (the
bench's Redis). A separate worker process (bench/live_processes.py) commits changes of
GenerationJob rows and publishes their events as jobs/actions.py does, stamping time.time()
right after each commit. The clients (bench/live_clients.py; each with the session cookie of one
of VIEWERS viewer members) run in CLIENT_PROCESSES processes and stamp time.time() as each event
arrives; a receipt is matched to its commit by (job id, progress), every event setting a new
progress. Events go round-robin over JOBS jobs, so no job is offered twice within 0.25 s and the
5/s progress throttle never holds one. The users (with their session cookies), the jobs and the
projects are made by bench/live_data.py before anything is measured.

1. Latency: clients are added (1, then 100, then 1,000 in all, all on one project); once every
   client has its snapshot and the presence events of the joins have all arrived (each client
   has seen the project's latest sequence number), WARMUP events, then EVENTS_AT[n] events at
   a fixed pace, far apart enough that the fan-out does not queue. p50/p99 over all
   (client, event) receipts. At 1,000 clients, a burst: BURST events as fast as the worker can
   commit them; deliveries per second from the first commit to the last receipt.
2. Connections held: a fresh uvicorn process; HELD sockets (HELD_PER_PROJECT per project, as
   teams would be, so that the joins' presence events stay small) opened by the HELD_MEMBERS
   editors of each project; each must answer a ping with a pong (a few dozen pings in flight at
   a time, as clients pinging every 20 s would be); the server's VmRSS before (after a warm-up)
   and after gives KiB per connection. Last, every socket pings at once (as after a restart,
   when all come back together): the pongs are counted, and the errors in the server's log are
   printed.

The server lets one user hold at most SOCKETS_PER_USER_PER_PROJECT sockets on a project and
SOCKETS_PER_USER in all (plumbing/socket_slots.py; more are closed with 4429), so the
bench spreads its sockets over enough users: each cookie opens at most SOCKETS_PER_MEMBER
sockets, all on one project. A socket refused or closed by the server during the measurements
ends the bench with a non-zero status and the close codes, rather than figures over fewer
sockets. The clients' Origin is the server's own scheme://host:port (config/socket_origin.py).

The machine's CPUs are shared by everything: uvicorn, the client processes, the worker, Redis
and PostgreSQL; CPU seconds per second of each are printed for the 1,000-client runs.

Goals: p99 under 50 ms with 100 clients, under 250 ms with 1,000 clients.
"""

import math
import os
import re
import signal
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    VAR_DIR,
    Figure,
    arguments,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)
from bench.live_clients import (
    CLIENT_PROCESSES,
    COMPRESSION,
    CONNECT_PARALLEL,
    ClientProcesses,
    SocketsLost,
    raise_open_files_limit,
)
from bench.live_data import (
    check_caps,
    make_held_projects,
    make_jobs,
    make_viewers,
    socket_specs,
)
from bench.live_processes import CpuMeter, Worker, pids_named, rss_kib, server_pid
from plumbing.socket_slots import SOCKETS_PER_USER, SOCKETS_PER_USER_PER_PROJECT

TITLE = "Bench: live latency"
JOBS = 200
SIZES = [1, 100, 1000]
WARMUP = 10
# (events, seconds between them) per size: a job's events are JOBS × pace apart (≥ 0.25 s).
EVENTS_AT = {1: (200, 0.02), 100: (200, 0.05), 1000: (60, 0.5)}
BURST = 100
HELD = 2000
HELD_PER_PROJECT = 20
# Sockets one bench user opens: under both caps of the server, each user being a member of a
# single project (a cookie over a cap would get 4429 and the figures would be over fewer sockets).
SOCKETS_PER_MEMBER = min(SOCKETS_PER_USER_PER_PROJECT, SOCKETS_PER_USER)
VIEWERS = math.ceil(max(SIZES) / SOCKETS_PER_MEMBER)  # of the latency project
HELD_MEMBERS = math.ceil(HELD_PER_PROJECT / SOCKETS_PER_MEMBER)  # of each held project
GOALS_P99_MS = {100: 50.0, 1000: 250.0}
EXCEPTION_LINE = re.compile(r"([\w.]+(?:Error|Exception))(?::|$)")  # a traceback's last line


def raise_on_sigterm() -> None:
    """SIGTERM (run_all's time limit) → SystemExit, so that every `finally` stops its process."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


# The measurements


def run_events(worker, clients, project_id, jobs, count, pace) -> tuple[list, list, dict]:
    """`count` events at `pace`; the commit stamps, the receipts and the clients' counters."""
    stamps = worker.publish(jobs, count, pace)
    clients.drain([project_id])
    collected = clients.collect()
    return stamps, collected.pop("receipts"), collected


def latencies_ms(stamps, receipts) -> tuple[list[float], int]:
    """Milliseconds from each commit to each receipt of its event; receipts without a commit."""
    committed = {(job, milli): at for job, milli, at in stamps}
    values, unmatched = [], 0
    for job, milli, at in receipts:
        if (job, milli) in committed:
            values.append((at - committed[(job, milli)]) * 1000)
        else:
            unmatched += 1
    return values, unmatched


def measure_latency(base_url: str, project_id: int, cookies: list[str], jobs: list[int]) -> dict:
    results: dict = {"sizes": {}}
    pid = server_pid(base_url)
    with ExitStack() as stack:
        worker = Worker(project_id)
        stack.callback(worker.stop)
        clients = ClientProcesses(base_url)
        stack.callback(clients.stop)
        groups = {
            "uvicorn": [pid],
            "clients": clients.pids,
            "worker": [worker.pid],
            "redis": pids_named("redis-server"),
            "postgres": pids_named("postgres"),
        }
        connected = 0
        for size in SIZES:
            connect_s = clients.connect(socket_specs(project_id, cookies, connected, size))
            connected = size
            drain_s = clients.drain([project_id])
            worker.publish(jobs, WARMUP, 0.05)
            clients.drain([project_id])
            clients.collect()
            count, pace = EVENTS_AT[size]
            meter = CpuMeter(groups)
            stamps, receipts, counters = run_events(worker, clients, project_id, jobs, count, pace)
            cpu = meter.per_second()
            clients.require_open(f"during the events at {size} clients")
            values, unmatched = latencies_ms(stamps, receipts)
            result = {
                "p50": median(values),
                "p99": percentile(values, 99),
                "max": max(values),
                "receipts": len(values),
                "expected": count * size,
                "unmatched": unmatched,
                "connect_s": connect_s,
                "drain_s": drain_s,
                "cpu": cpu,
                **counters,
            }
            results["sizes"][size] = result
            print(
                f"  {size} client{'s' if size > 1 else ''}: joined in {connect_s:.1f} s, "
                f"presence drained {drain_s:.1f} s later; "
                f"{count} events every {pace * 1000:.0f} ms: p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms, "
                f"max {result['max']:.1f} ms; {len(values)}/{count * size} receipts"
                + (f", {unmatched} without a commit" if unmatched else ""),
                flush=True,
            )
            if size == max(SIZES):
                print(f"    CPU s per s: {cpu}", flush=True)
        time.sleep(0.3)  # every job's last event ≥ 0.25 s ago: the throttle sends the next
        meter = CpuMeter(groups)
        stamps, receipts, counters = run_events(worker, clients, project_id, jobs, BURST, 0)
        cpu = meter.per_second()
        clients.require_open("during the burst")
        values, unmatched = latencies_ms(stamps, receipts)
        first_commit = min(at for _, _, at in stamps)
        last_commit = max(at for _, _, at in stamps)
        last_receipt = max(at for _, _, at in receipts)
        results["burst"] = {
            "per_s": len(receipts) / (last_receipt - first_commit),
            "offered_per_s": len(stamps) / max(last_commit - first_commit, 1e-9),
            "seconds": last_receipt - first_commit,
            "receipts": len(values),
            "expected": BURST * connected,
            "p50": median(values),
            "p99": percentile(values, 99),
            "cpu": cpu,
            **counters,
        }
        b = results["burst"]
        print(
            f"  burst at {connected} clients: {BURST} events committed at "
            f"{b['offered_per_s']:.0f}/s; {b['receipts']}/{b['expected']} deliveries in "
            f"{b['seconds']:.1f} s = {b['per_s']:.0f} msgs/s; latency p50 {b['p50']:.0f} ms, "
            f"p99 {b['p99']:.0f} ms\n    CPU s per s: {cpu}",
            flush=True,
        )
    return results


def server_errors() -> str:
    """What went wrong in the last uvicorn server (its log, kept until the next one starts)."""
    log = VAR_DIR / f"uvicorn-{Path(sys.argv[0]).stem}.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    errors = Counter(
        found.group(1) for line in lines if (found := EXCEPTION_LINE.match(line)) is not None
    )
    tracebacks = sum(line.startswith("Traceback") for line in lines)
    return f"{tracebacks} tracebacks" + "".join(f", {n}× {kind}" for kind, n in errors.items())


def held_specs(projects: dict[int, list[str]]) -> list[tuple[int, str]]:
    """HELD_PER_PROJECT sockets on each project, its members' cookies in turn."""
    return [
        spec
        for project_id, cookies in projects.items()
        for spec in socket_specs(project_id, cookies, 0, HELD_PER_PROJECT)
    ]


def measure_held(projects: dict[int, list[str]]) -> dict:
    """A fresh server: RSS after a warm-up, then HELD more sockets, each answering a ping (a few
    dozen in flight at a time, as clients pinging every 20 s would be); last, every socket
    pings at once."""
    warm_project, *held_projects = projects
    warm_specs = held_specs({warm_project: projects[warm_project]})
    specs = held_specs({pid: projects[pid] for pid in held_projects})
    with uvicorn_server() as base_url, ExitStack() as stack:
        pid = server_pid(base_url)
        clients = ClientProcesses(base_url)
        stack.callback(clients.stop)
        clients.connect(warm_specs)
        clients.drain([warm_project])
        clients.call("ping", timeout=30, parallel=CONNECT_PARALLEL)
        time.sleep(0.5)
        before = rss_kib(pid)
        began = time.perf_counter()
        connect_s = clients.connect(specs)
        clients.drain(held_projects)
        answers = clients.call("ping", timeout=60, parallel=CONNECT_PARALLEL)
        settled_s = time.perf_counter() - began
        clients.require_open("while they were pinged")
        time.sleep(0.5)
        after = rss_kib(pid)
        at_once = clients.call("ping", timeout=60)
        clients.require_open("when all pinged at once")
    total = sum(a["of"] for a in answers)
    return {
        "held": sum(a["pongs"] for a in answers) - len(warm_specs),  # less the warm-up's
        "opened": total - len(warm_specs),
        "rate": len(specs) / connect_s,
        "settled_s": settled_s,
        "before_kib": before,
        "after_kib": after,
        "kib_per_connection": (after - before) / len(specs),
        "at_once": sum(a["pongs"] for a in at_once),
        "at_once_of": sum(a["of"] for a in at_once),
        "errors": server_errors(),
    }


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    raise_on_sigterm()
    began = time.perf_counter()
    open_files = raise_open_files_limit()
    needed = HELD + HELD_PER_PROJECT + 200
    if open_files < needed:
        raise SystemExit(f"RLIMIT_NOFILE is {open_files}; {needed} are needed")
    setup_django()
    if not os.environ["REDIS_URL"]:
        raise SystemExit("this benchmark needs Redis (the channel layer between processes)")
    project = make_project(TITLE, sequences=2, shots=3, lines=1)
    cookies = make_viewers(project.project_id, VIEWERS)
    jobs = make_jobs(project.project_id, JOBS)
    held_projects = make_held_projects(HELD // HELD_PER_PROJECT + 1, HELD_MEMBERS)
    check_caps(socket_specs(project.project_id, cookies, 0, max(SIZES)))
    check_caps(held_specs(held_projects))
    print(
        f"Sharing the {os.cpu_count()} CPUs: uvicorn (1 process), {CLIENT_PROCESSES} client "
        f"processes (websockets {websockets_version()} asyncio client on uvloop, "
        f"compression {COMPRESSION}), the worker process, Redis, PostgreSQL; this process "
        "waits. Setup took "
        f"{time.perf_counter() - began:.0f} s.\n"
        f"Sockets per user at most {SOCKETS_PER_MEMBER} (caps: {SOCKETS_PER_USER_PER_PROJECT} per "
        f"project, {SOCKETS_PER_USER} in all): {VIEWERS} viewers on the latency project, "
        f"{HELD_MEMBERS} editors on each of the {len(held_projects)} held ones.",
        flush=True,
    )
    try:
        with uvicorn_server() as base_url:
            latency = measure_latency(base_url, project.project_id, cookies, jobs)
        print(f"    server log: {server_errors()}", flush=True)
        held = measure_held(held_projects)
    except SocketsLost as error:
        raise SystemExit(
            f"FAILED, no figures reported: {error}\n    server log: {server_errors()}"
        ) from None
    print(
        f"  held: {held['opened']} sockets over {HELD // HELD_PER_PROJECT} projects opened at "
        f"{held['rate']:.0f}/s, all pinged within {held['settled_s']:.1f} s: "
        f"{held['held']} pongs, none closed by the server; uvicorn VmRSS "
        f"{held['before_kib'] / 1024:.0f} → {held['after_kib'] / 1024:.0f} MiB\n"
        f"  then all {held['at_once_of']} pinging at once: {held['at_once']} pongs, "
        f"none closed by the server\n    server log: {held['errors']}",
        flush=True,
    )

    figures = []
    for size, result in latency["sizes"].items():
        p99 = result["p99"]
        goal = GOALS_P99_MS.get(size)
        clients = f"{size} client{'s' if size > 1 else ''}"
        figures.append(Figure(f"job event → {clients}: p50", result["p50"], "ms"))
        figures.append(
            Figure(
                f"job event → {clients}: p99",
                p99,
                "ms",
                f"< {goal:.0f} ms" if goal else "",
                p99 < goal if goal else None,
            )
        )
    burst = latency["burst"]
    runs = [*latency["sizes"].values(), burst]
    lost = sum(run["expected"] - run["receipts"] for run in runs)
    figures += [
        Figure(f"burst of {BURST} events → {max(SIZES)} clients", round(burst["per_s"]), "msgs/s"),
        Figure("job events not received (all runs)", lost),
        Figure("job events out of order (all runs)", burst["late_jobs"]),
        Figure("presence events out of order (joins)", burst["late"] - burst["late_jobs"]),
        Figure("connections held by one uvicorn (pong)", held["held"], "conns"),
        Figure("uvicorn RSS per connection", held["kib_per_connection"], "KiB"),
        Figure("pongs when all ping at once", f"{held['at_once']}/{held['at_once_of']}"),
        Figure("run time", round(time.perf_counter() - began), "s"),
    ]
    print(f"  1-min load average at the end {os.getloadavg()[0]:.2f}")
    report("Live events over the WebSocket (1 uvicorn, Redis pub/sub)", figures, args.json)


def websockets_version() -> str:
    from importlib.metadata import version

    return version("websockets")


if __name__ == "__main__":
    main()
