"""Throughput and overhead of the generation pipeline alone, with the instant provider.

The instant provider (JOBS_INSTANT_PROVIDER=1) copies a stock clip, so what is measured is the
pipeline: POST /api/sequences/{id}/generate/ through uvicorn (compile, job row, credits, event,
Celery message), a real `celery -A config worker -Q io` process taking the task (claim, clip,
probe, poster, take row), and the `job.updated` event of the success arriving through the
Redis channel layer. PostgreSQL and Redis are the bench's own (bench/jobs_common.py).

USERS client threads, each with its own user and project (the in-flight limit is raised through
JOBS_MAX_IN_FLIGHT_PER_USER), post jobs; this process listens to the projects' groups and
timestamps each job's `job.updated` event with state `succeeded`. For each worker pool (threads
-c 8, then prefork -c 2):
- saturation: SATURATION_JOBS posted as fast as the clients can; jobs completed per second from
  the first POST to the last success event (the API's own acceptance rate is shown beside it);
- overhead: STEADY_RATE jobs/s offered for STEADY_SECONDS (an open loop: each POST at its due
  time); per job, the time from the start of its POST to its success event, p50/p99; then the
  same at LIGHT_RATE, far from saturation, for comparison.
The CPU seconds per wall second of each process during the saturation run show where the time
goes (bench process = the clients and the listener); success events that never arrived and
tasks that raised are counted. `--profile` adds the CPU per job of the view and of the task
in-process, step by step, and the cost of publishing one event.

Goals: at least 50 jobs/s completed at saturation; p99 overhead under 100 ms at 50 jobs/s.
"""

import itertools
import os
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# First: it points the bench at its own database, Redis and media before bench.common loads.
from bench.jobs_common import (
    CpuMeter,
    EventListener,
    Workers,
    children_matching,
    fresh_users,
    postgres_backends,
    processes_named,
    purge_queues,
)

# isort: split
from bench.common import (
    Figure,
    api_client,
    arguments,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)

USERS = 16
WARMUP_JOBS = 40
SATURATION_JOBS = 1500
STEADY_RATE = 50.0
STEADY_SECONDS = 20
LIGHT_RATE = 20.0  # the same overhead with the machine far from saturated, for comparison
LIGHT_SECONDS = 10
PROFILE_JOBS = 200
DRAIN_TIMEOUT = 120.0
POOLS = [("threads", 8), ("prefork", 2)]
GOAL_JOBS_PER_SECOND = 50.0
GOAL_P99_MS = 100.0
PIPELINE_ENV = {"JOBS_INSTANT_PROVIDER": "1", "JOBS_MAX_IN_FLIGHT_PER_USER": "1000000"}


class Clients:
    """One keep-alive API client per user; `run(worker)` calls `worker(index)` on one thread
    per user (`post(index, n)` makes a job as that user) and returns when all are done."""

    def __init__(self, base_url: str, users) -> None:
        self.users = users
        self.clients = [api_client(base_url, user.token) for user in users]
        self.errors: list[str] = []

    def post(self, index: int, n: int) -> int:
        user = self.users[index]
        sequence = user.sequence_ids[n % len(user.sequence_ids)]
        response = self.clients[index].post(
            f"/api/sequences/{sequence}/generate/", json={"provider": "instant"}
        )
        if response.status_code != 202:
            raise RuntimeError(f"generate answered {response.status_code}: {response.text[:300]}")
        return response.json()["id"]

    def run(self, worker) -> None:
        def guarded(index: int) -> None:
            try:
                worker(index)
            except Exception as error:  # reported after the run
                self.errors.append(repr(error))

        threads = [threading.Thread(target=guarded, args=(i,)) for i in range(len(self.users))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.errors:
            raise RuntimeError(f"{len(self.errors)} client errors, e.g. {self.errors[0]}")

    def close(self) -> None:
        for client in self.clients:
            client.close()


def saturate(clients: Clients, listener: EventListener, jobs: int) -> dict:
    """Post `jobs` as fast as the clients can; rates of acceptance and of completion."""
    counter = itertools.count()
    posted: list[tuple[int, float, float]] = []  # (job, POST started, POST answered)

    def worker(index: int) -> None:
        while (n := next(counter)) < jobs:
            started = time.perf_counter()
            job = clients.post(index, n)
            posted.append((job, started, time.perf_counter()))

    clients.run(worker)
    ids = {job for job, _, _ in posted}
    listener.wait_for(ids, DRAIN_TIMEOUT)
    first = min(started for _, started, _ in posted)
    answered = max(done for _, _, done in posted)
    arrivals = [listener.succeeded[job] for job in ids if job in listener.succeeded]
    return {
        "accepted_per_s": jobs / (answered - first),
        "completed_per_s": len(arrivals) / (max(arrivals) - first),
        "missing": len(ids) - len(arrivals),
        "post_ms_median": median([(done - started) * 1000 for _, started, done in posted]),
    }


def steady(clients: Clients, listener: EventListener, rate: float, seconds: float) -> dict:
    """Offer `rate` jobs/s for `seconds`; milliseconds from each POST to its success event."""
    total = int(rate * seconds)
    counter = itertools.count()
    posted: list[tuple[int, float, float]] = []  # (job, due, POST started)
    begin = time.perf_counter() + 0.2

    def worker(index: int) -> None:
        while (n := next(counter)) < total:
            due = begin + n / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            started = time.perf_counter()
            posted.append((clients.post(index, n), due, started))

    clients.run(worker)
    ids = {job for job, _, _ in posted}
    listener.wait_for(ids, DRAIN_TIMEOUT)
    latencies = [
        (listener.succeeded[job] - started) * 1000
        for job, _, started in posted
        if job in listener.succeeded
    ]
    return {
        "p50": median(latencies),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "missing": total - len(latencies),
        "late_ms_max": max((started - due) * 1000 for _, due, started in posted),
    }


def measure_pool(pool: str, concurrency: int, clients: Clients, listener, meter) -> dict:
    workers = Workers(f"pt-{pool}-")
    try:
        workers.start("io", pool=pool, concurrency=concurrency, env=PIPELINE_ENV)
        meter.selectors["celery worker"] = workers.pids
        saturate(clients, listener, WARMUP_JOBS)  # each worker process makes its stock clip
        before, began = meter.read(), time.perf_counter()
        result = saturate(clients, listener, SATURATION_JOBS)
        result["cpu"] = CpuMeter.per_second(before, meter.read(), time.perf_counter() - began)
        result["steady"] = steady(clients, listener, STEADY_RATE, STEADY_SECONDS)
        result["light"] = steady(clients, listener, LIGHT_RATE, LIGHT_SECONDS)
        result["task_errors"] = workers.task_errors()
    finally:
        workers.stop_all()
    return result


def _cpu_ms_per_job(run, count: int) -> float:
    began = time.process_time()
    for n in range(count):
        run(n)
    return (time.process_time() - began) / count * 1000


STEPS = {
    "POST generate (view)": ("jobs/api/generation.py", "post"),
    "  storyboard_of (read)": ("jobs/snapshot.py", "storyboard_of"),
    "  compile_request": ("compiler/storyboard.py", "compile_request"),
    "  transaction exits (commit, on-commit)": ("django/db/transaction.py", "__exit__"),
    "make_instant_take (task)": ("jobs/local.py", "make_instant_take"),
    "  running_claim": ("jobs/pipeline.py", "running_claim"),
    "  write_clip": ("jobs/providers/instant.py", "write_clip"),
    "  probe_video": ("jobs/probe.py", "probe_video"),
    "  write_poster": ("jobs/probe.py", "write_poster"),
    "  deliver_take": ("jobs/actions.py", "deliver_take"),
    "publishing its 3 events (view + task)": ("plumbing/publisher.py", "send_now"),
    "Celery message (dispatch.send)": ("jobs/dispatch.py", "send"),
}


def profile_steps(user) -> str:
    """In this process, no server: CPU per job of the view (Django test client) and of the
    task (make_instant_take), then both under cProfile with a CPU clock: CPU ms per job of
    each step (process-wide, so a step's helper threads count). Last,
    one event published as storyboard_app.events does (async_to_sync: a new thread, event loop
    and Redis connection per call) and on one long-lived event loop."""
    import asyncio
    import cProfile
    import pstats

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from django.test import Client

    from jobs import local
    from jobs.models import GenerationJob

    client = Client(HTTP_AUTHORIZATION=f"Token {user.token}")

    def post(n: int) -> None:
        sequence = user.sequence_ids[n % len(user.sequence_ids)]
        path = f"/api/sequences/{sequence}/generate/"
        response = client.post(path, {"provider": "instant"}, content_type="application/json")
        assert response.status_code == 202, response.content

    def take(n: int) -> None:
        local.make_instant_take(*queued[n])

    def queued_jobs() -> list[tuple[int, int]]:
        jobs = GenerationJob.objects.filter(created_by_id=user.user_id, state="queued")
        return list(jobs.order_by("pk").values_list("pk", "step"))

    lines = ["In-process profile (no server; cProfile's overhead inflates the step times):"]
    view_cpu = _cpu_ms_per_job(post, PROFILE_JOBS)
    queued = queued_jobs()
    task_cpu = _cpu_ms_per_job(take, PROFILE_JOBS)
    lines.append(f"  CPU per job: view {view_cpu:.1f} ms, task {task_cpu:.1f} ms")
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(lambda: [post(n) for n in range(PROFILE_JOBS)])
    queued = queued_jobs()
    profiler.runcall(lambda: [take(n) for n in range(PROFILE_JOBS)])
    purge_queues()  # the profiled jobs' messages: no worker is running
    stats = pstats.Stats(profiler).stats
    for label, (file, function) in STEPS.items():
        total = sum(
            entry[3]
            for (path, _, name), entry in stats.items()
            if path.endswith(file) and name == function
        )
        lines.append(f"  {label:<40} {total / PROFILE_JOBS * 1000:6.2f} ms CPU/job")
    layer = get_channel_layer()
    message = {"type": "project.event", "event": {"type": "job.updated", "job": {"id": 0}}}
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    ways = {
        "async_to_sync per event (as now)": lambda n: async_to_sync(layer.group_send)(
            "project_0", message
        ),
        "one long-lived event loop": lambda n: asyncio.run_coroutine_threadsafe(
            layer.group_send("project_0", message), loop
        ).result(),
    }
    for label, publish in ways.items():
        lines.append(f"  publish, {label}: {_cpu_ms_per_job(publish, 300):.2f} ms CPU/event")
    loop.call_soon_threadsafe(loop.stop)
    return "\n".join(lines)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    os.environ.update(PIPELINE_ENV)  # for this process, uvicorn and the workers
    setup_django()
    from django.db import connection

    purge_queues()
    users = fresh_users("pipeline-bench", USERS)
    meter = CpuMeter(
        {
            "uvicorn": children_matching("uvicorn"),
            "postgres": postgres_backends(connection.settings_dict["NAME"]),
            "redis": processes_named("redis-server"),
        }
    )
    results = {}
    with (
        uvicorn_server() as base_url,
        EventListener([user.project_id for user in users]) as listener,
    ):
        clients = Clients(base_url, users)
        try:
            for pool, concurrency in POOLS:
                results[f"{pool} -c {concurrency}"] = measure_pool(
                    pool, concurrency, clients, listener, meter
                )
        finally:
            clients.close()
    figures = []
    for name, result in results.items():
        figures += [
            Figure(f"{name}: API accepted (saturation)", result["accepted_per_s"], "jobs/s"),
            Figure(f"{name}: completed (saturation)", result["completed_per_s"], "jobs/s"),
            Figure(f"{name}: overhead p50 @ {STEADY_RATE:.0f}/s", result["steady"]["p50"], "ms"),
            Figure(f"{name}: overhead p99 @ {STEADY_RATE:.0f}/s", result["steady"]["p99"], "ms"),
            Figure(f"{name}: overhead p99 @ {LIGHT_RATE:.0f}/s", result["light"]["p99"], "ms"),
        ]
    best_name, best = max(results.items(), key=lambda item: item[1]["completed_per_s"])
    rate, p99 = best["completed_per_s"], best["steady"]["p99"]
    figures += [
        Figure("best pool", best_name),
        Figure(
            "jobs completed/s at saturation (best)",
            rate,
            "jobs/s",
            f">= {GOAL_JOBS_PER_SECOND:.0f}/s",
            rate >= GOAL_JOBS_PER_SECOND,
        ),
        Figure(
            f"overhead p99 @ {STEADY_RATE:.0f} jobs/s (best)",
            p99,
            "ms",
            f"< {GOAL_P99_MS:.0f} ms",
            p99 < GOAL_P99_MS,
        ),
    ]
    report(f"Pipeline throughput (instant provider, {USERS} clients)", figures, args.json)
    for name, result in results.items():
        s = result["steady"]
        print(
            f"  {name}: POST median {result['post_ms_median']:.1f} ms at saturation; "
            f"overhead max {s['max']:.0f} ms; POSTs up to {s['late_ms_max']:.0f} ms late; "
            f"success events missed {result['missing'] + s['missing']}; "
            f"task errors {result['task_errors']}"
        )
        print(f"    CPU s per s at saturation: {result['cpu']}")
    if args.profile:
        print(profile_steps(users[0]))


if __name__ == "__main__":
    main()
