"""Ten thousand Kling jobs in flight against the fake Kling server: polls, worker CPU, and how
soon a finished video becomes a take.

The fake (`python -m fake_kling`, its own process) takes 30 to 120 s per video and calls back on
every status change: PUBLIC_BASE_URL is the bench's uvicorn server, so the callbacks reach
/api/providers/kling/callback/ and the poll settings are the production ones (config/settings.py
defaults, the rare polls of callback mode). One `celery -A config worker -Q io` process with
WORKER_THREADS threads (and beat, for the reaper) runs the jobs. JOBS jobs are made with
jobs.actions.create_job from SUBMIT_THREADS threads of this process, for USERS users (the
in-flight limit and the starting credits raised through the environment), on the bench's own
PostgreSQL and Redis.

Sampled every second while the jobs run: the fake's request counters (`GET /_control/stats`)
and the CPU time of every process (/proc). Reported: how long submitting took; video queries
(polls) per second at the fake, peak of the 1-s samples and mean from the first submission to
the last job's end; the worker's CPU seconds per wall second; how many jobs succeeded; and per
take, from the moment its task succeeded at the fake (`GET /_control/tasks`: its creation time
plus the processing time the fake drew) to Take.created_at, p50/p99/max.

BENCH_KLING_JOBS=<n> makes fewer jobs for a quick check; BENCH_KLING_WORKERS=<n> starts n
worker processes. `--profile` adds a timeline (per 10 s:
polls/s, callbacks/s, callbacks due but not sent yet, the `io` queue, worker CPU).

Goals: under 200 polls/s at the peak; p99 under 5 s from success at the fake to the take.
"""

import bisect
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# First: it points the bench at its own database, Redis and media before bench.common loads.
from bench.jobs_common import (
    CpuMeter,
    Workers,
    children_matching,
    fresh_users,
    postgres_backends,
    processes_named,
    purge_queues,
)

# isort: split
import httpx

from bench.common import (
    REPO,
    VAR_DIR,
    Figure,
    _raise_on_sigterm,
    arguments,
    free_port,
    median,
    percentile,
    report,
    setup_django,
    stop_process,
    uvicorn_server,
)
from fake_kling.server import MAX_QUEUED_SECONDS as MAX_QUEUED
from fake_kling.server import QUEUED_SHARE

JOBS = int(os.environ.get("BENCH_KLING_JOBS", "10000"))  # fewer for a quick check
USERS = 20
SUBMIT_THREADS = 4
WORKER_THREADS = 16
WORKER_PROCESSES = int(os.environ.get("BENCH_KLING_WORKERS", "1"))
PROCESSING_SECONDS = (30, 120)
API_KEY = "bench-kling-key"
SAMPLE_SECONDS = 1.0
FINISH_TIMEOUT = 600.0  # after the last submission
GOAL_POLLS_PER_SECOND = 200.0
GOAL_AVAILABLE_SECONDS = 5.0


def start_fake() -> tuple[subprocess.Popen, str]:
    port = free_port()
    low, high = PROCESSING_SECONDS
    command = [sys.executable, "-m", "fake_kling", "--port", str(port), "--api-key", API_KEY]
    command += ["--processing", str(low), str(high)]
    log = open(VAR_DIR / "fake-kling.log", "wb")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=log)
    log.close()
    base_url = process.stdout.readline().decode().strip()  # it prints its URL once listening
    if not base_url.startswith("http"):
        stop_process(process, timeout=5)
        raise RuntimeError(f"the fake Kling server did not start: {base_url!r}")
    return process, base_url


class Sampler:
    """Every SAMPLE_SECONDS: (time, the fake's counters, CPU times, messages waiting in the
    broker's `io` queue)."""

    def __init__(self, fake_url: str, meter: CpuMeter) -> None:
        import redis
        from django.conf import settings

        self.client = httpx.Client(base_url=fake_url, trust_env=False, timeout=10)
        self.broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        self.meter = meter
        self.samples: list[tuple[float, dict, dict, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            stats = self.client.get("/_control/stats").json()
            self.samples.append((time.time(), stats, self.meter.read(), self.broker.llen("io")))
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.client.close()
        self.broker.close()

    def query_rates(self) -> list[tuple[float, float]]:
        """(time, video queries per second since the previous sample)."""
        pairs = zip(self.samples, self.samples[1:], strict=False)
        return [
            (b[0], (b[1]["requests"]["query"] - a[1]["requests"]["query"]) / (b[0] - a[0]))
            for a, b in pairs
        ]


def submit(users) -> tuple[float, list[str]]:
    """Make JOBS Kling jobs through jobs.actions.create_job: the seconds it took, and the
    errors of the creates that failed."""
    from django.contrib.auth.models import User
    from django.db import connection

    from jobs import actions
    from storyboard_app.models import Sequence

    shares = [(user, JOBS // len(users) + (i < JOBS % len(users))) for i, user in enumerate(users)]
    errors: list[str] = []

    def run(mine) -> None:
        for bench_user, count in mine:
            user = User.objects.get(pk=bench_user.user_id)
            sequences = list(Sequence.objects.filter(pk__in=bench_user.sequence_ids))
            for n in range(count):
                try:
                    actions.create_job(user, sequences[n % len(sequences)], "kling")
                except Exception as error:  # counted and shown: a create must not fail
                    errors.append(repr(error)[:300])
        connection.close()

    began = time.perf_counter()
    threads = [
        threading.Thread(target=run, args=(shares[t::SUBMIT_THREADS],))
        for t in range(SUBMIT_THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, errors


def wait_until_final(user_ids: list[int]) -> Counter:
    from jobs.choices import FINAL_STATES
    from jobs.models import GenerationJob

    jobs = GenerationJob.objects.filter(created_by_id__in=user_ids)
    deadline = time.monotonic() + FINISH_TIMEOUT
    while time.monotonic() < deadline:
        if not jobs.exclude(state__in=FINAL_STATES).exists():
            break
        time.sleep(1)
    return Counter(jobs.values_list("state", flat=True))


def availability(tasks: list[dict], user_ids: list[int]) -> list[float]:
    """Seconds from each task's success at the fake to its take's creation."""
    from jobs.models import Take

    ends = {task["external_task_id"]: task["ends"] for task in tasks if not task["fails"]}
    takes = Take.objects.filter(job__created_by_id__in=user_ids).values_list(
        "job__external_task_id", "created_at"
    )
    return [created.timestamp() - ends[ext] for ext, created in takes if ext in ends]


def print_timeline(sampler: Sampler, tasks: list[dict], began: float) -> None:
    """Per 10 s: polls/s and callbacks/s at the fake, the callbacks due by then (a task's
    status changes: made, processing, ended) but not sent yet, the `io` queue, worker CPU."""
    changes = sorted(
        moment
        for task in tasks
        for moment in (
            task["created"],
            task["created"] + min(QUEUED_SHARE * (task["ends"] - task["created"]), MAX_QUEUED),
            task["ends"],
        )
    )
    print("  per 10 s:       polls/s  callbacks/s  callbacks late  io queue  worker CPU s/s")
    windows = sampler.samples[::10]
    for (t0, s0, c0, _), (t1, s1, c1, queued) in zip(windows, windows[1:], strict=False):
        dt = t1 - t0
        polls = (s1["requests"]["query"] - s0["requests"]["query"]) / dt
        calls = (s1["callbacks_sent"] - s0["callbacks_sent"]) / dt
        late = bisect.bisect_right(changes, t1) - s1["callbacks_sent"] - s1["callbacks_failed"]
        cpu = (c1["celery worker"] - c0["celery worker"]) / dt
        print(
            f"    t={t1 - began:5.0f} s  {polls:9.1f}  {calls:11.1f}  {late:14d}  {queued:8d}"
            f"  {cpu:14.2f}"
        )


def warn_of_other_jobs() -> None:
    """Jobs in flight of other users (a crashed run) would be resumed by the reaper and counted
    by the fake."""
    from jobs.choices import ACTIVE_STATES
    from jobs.models import GenerationJob

    others = GenerationJob.objects.filter(state__in=ACTIVE_STATES).count()
    if others:
        print(f"  warning: {others} other jobs in flight in the bench database skew the counts")


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    _raise_on_sigterm()  # so that run_all's timeout still stops the fake and the workers
    fake, fake_url = start_fake()
    try:
        os.environ.update(
            KLING_API_KEY=API_KEY,
            KLING_BASE_URL=fake_url,
            JOBS_MAX_IN_FLIGHT_PER_USER=str(JOBS),
            CREDITS_STARTING_BALANCE=str(JOBS * 100),
        )
        setup_django()
        from django.db import connection

        purge_queues()
        users = fresh_users("kling-bench", USERS)
        user_ids = [user.user_id for user in users]
        warn_of_other_jobs()
        with uvicorn_server() as base_url:
            workers = Workers("ks-")
            meter = CpuMeter(
                {
                    "celery worker": workers.pids,
                    "uvicorn": children_matching("uvicorn"),
                    "fake kling": children_matching("fake_kling"),
                    "postgres": postgres_backends(connection.settings_dict["NAME"]),
                    "redis": processes_named("redis-server"),
                }
            )
            try:
                for n in range(WORKER_PROCESSES):
                    workers.start(
                        "io",
                        concurrency=WORKER_THREADS,
                        beat=n == 0,
                        env={"PUBLIC_BASE_URL": base_url},
                    )
                with Sampler(fake_url, meter) as sampler:
                    began = time.time()
                    submit_seconds, create_errors = submit(users)
                    states = wait_until_final(user_ids)
                    ended = time.time()
            finally:
                task_errors = workers.task_errors()
                workers.stop_all()
        url = f"{fake_url}/_control/tasks"
        tasks = httpx.get(url, trust_env=False, timeout=60).json()["tasks"]
        delays = availability(tasks, user_ids)
    finally:
        stop_process(fake, timeout=10)

    rates = [rate for t, rate in sampler.query_rates() if began <= t <= ended + SAMPLE_SECONDS]
    first, last = sampler.samples[0], sampler.samples[-1]
    stats = last[1]
    peak = max(rates)
    wall = last[0] - first[0]
    worker_cpu = (last[2]["celery worker"] - first[2]["celery worker"]) / wall
    p99 = percentile(delays, 99) if delays else float("inf")
    figures = [
        Figure("jobs submitted (create_job)", JOBS - len(create_errors)),
        Figure("time to submit them", submit_seconds, "s"),
        Figure("create_job failures", len(create_errors)),
        Figure("worker task errors (raised unexpected)", task_errors),
        Figure("jobs succeeded", states.get("succeeded", 0)),
        Figure("run: first submission to last job final", ended - began, "s"),
        Figure(
            "polls/s at the fake, peak (1-s samples)",
            peak,
            "/s",
            f"< {GOAL_POLLS_PER_SECOND:.0f}/s",
            peak < GOAL_POLLS_PER_SECOND,
        ),
        Figure("polls/s at the fake, mean over the run", stats["requests"]["query"] / wall, "/s"),
        Figure("polls per job", round(stats["requests"]["query"] / JOBS, 2)),
        Figure("worker CPU (user+system s per s)", round(worker_cpu, 2)),
        Figure("success at fake → take, p50", median(delays) if delays else -1.0, "s"),
        Figure(
            "success at fake → take, p99",
            p99,
            "s",
            f"< {GOAL_AVAILABLE_SECONDS:.0f} s",
            p99 < GOAL_AVAILABLE_SECONDS,
        ),
        Figure("success at fake → take, max", max(delays) if delays else -1.0, "s"),
    ]
    setup = f"{JOBS} jobs, {WORKER_PROCESSES}×{WORKER_THREADS} worker threads"
    report(f"Kling at scale ({setup}, {PROCESSING_SECONDS} s each)", figures, args.json)
    print(f"  final states: {dict(states)}; fake counters: {stats}")
    if create_errors:
        print(f"  create_job failed {len(create_errors)} times, e.g. {create_errors[0]}")
    print(f"  CPU s per s over the run: {CpuMeter.per_second(first[2], last[2], wall)}")
    if args.profile:
        print_timeline(sampler, tasks, began)


if __name__ == "__main__":
    main()
