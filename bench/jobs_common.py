"""What the generation-job benchmarks share: their own stores, users, workers, events, CPU time.

Importing this module (before bench.common) points the bench at stores of its own unless told
otherwise, because these benchmarks make thousands of jobs and Celery messages: BENCH_DATABASE_URL
defaults to the sb_bench_jobs database, BENCH_REDIS_URL to database 12 of the local Redis (the
broker and the channel layer; required), BENCH_VAR_DIR to /tmp/storyboard-bench-jobs.

- `fresh_users()`: users with a token and a project each (older ones of the prefix deleted).
- `Workers`: real `celery -A config worker` processes, each in its own process group.
- `EventListener`: a channel of this process added to project groups of the channel layer; it
  timestamps the `job.updated` event that says a job succeeded.
- `CpuMeter`: user+system CPU seconds of named processes, read from /proc.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sb_bench_jobs")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("BENCH_VAR_DIR", "/tmp/storyboard-bench-jobs")

from bench.common import REPO, VAR_DIR, stop_process  # noqa: E402

WORKER_START_TIMEOUT = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class BenchUser:
    user_id: int
    username: str
    token: str
    project_id: int
    sequence_ids: list[int]


def fresh_users(prefix: str, count: int, sequences: int = 4, shots: int = 2) -> list[BenchUser]:
    """`count` users named `<prefix>-<n>`, each with a token and a project of `sequences`
    sequences of `shots` shots; the users of an earlier run (their jobs, takes and files) go."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from storyboard_app import actions
    from storyboard_app.models import Project

    old = User.objects.filter(username__startswith=f"{prefix}-")
    old_projects = list(Project.objects.filter(owner__in=old).values_list("pk", flat=True))
    old.delete()  # cascades to their projects, jobs, takes and credit accounts
    for project_id in old_projects:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "private" / "projects" / str(project_id), True)
    users = []
    for n in range(count):
        user = User(username=f"{prefix}-{n}")
        user.set_unusable_password()
        user.save()
        token = Token.objects.create(user=user)
        project = actions.create_project(user, f"{prefix} {n}", "16:9")
        all_sequences = [project.sequences.get()]
        all_sequences += [actions.add_sequence(project, {}) for _ in range(sequences - 1)]
        for sequence in all_sequences:
            for k in range(shots):
                actions.add_shot(
                    sequence,
                    {
                        "duration": 2 + k % 3,
                        "shot_size": "wide",
                        "camera_movement": "push_in",
                        "text": f"Shot {k + 1}: rain on the lighthouse window.",
                        "dialogue": [{"speaker": "Mara", "text": "Not today.", "language": "en"}],
                    },
                )
        users.append(
            BenchUser(user.pk, user.username, token.key, project.pk, [s.pk for s in all_sequences])
        )
    return users


def purge_queues() -> None:
    """Drop the messages waiting in the broker's queues (left by an earlier run)."""
    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("io", "render"):
            conn.default_channel.queue_purge(queue)


class Workers:
    """Celery worker processes, each in its own session (so its pool children share its process
    group), logging to VAR_DIR at level WARNING as bin/serve runs them; started once they
    answer a ping."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(
        self,
        queues: str = "io",
        *,
        pool: str = "threads",
        concurrency: int = 8,
        beat: bool = False,
        env: dict[str, str] | None = None,
        app: str = "config",
    ) -> subprocess.Popen:
        name = f"{self.tag}{len(self.processes)}"
        log_path = VAR_DIR / f"worker-{name}.log"
        self.logs.append(log_path)
        command = [
            sys.executable, "-m", "celery", "-A", app, "worker",
            "-Q", queues, "--pool", pool, "-c", str(concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{name}@%h", "--loglevel", "WARNING",
        ]  # fmt: skip
        if beat:  # the reaper that resumes stalled jobs, as in production
            command += ["-B", "-s", str(VAR_DIR / f"beat-schedule-{name}")]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=REPO,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not _answers_ping(name):
            if process.poll() is not None or time.monotonic() > deadline:
                self.stop_all()
                raise RuntimeError(f"worker {name} did not start:\n{log_path.read_text()[-3000:]}")
        return process

    def pids(self) -> list[int]:
        """The worker processes and their pool children."""
        groups = {process.pid for process in self.processes if process.poll() is None}
        return [pid for pid, stat in _all_stats().items() if int(stat[2]) in groups]

    def task_errors(self) -> int:
        """Tasks that raised (Celery logs "raised unexpected"), in every worker's log."""
        return sum(log.read_bytes().count(b" raised unexpected: ") for log in self.logs)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                stop_process(process, timeout=15)
            with suppress(ProcessLookupError):  # a pool child that outlived its parent
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()


def _answers_ping(name: str) -> bool:
    from config.celery import app

    replies = app.control.ping(timeout=0.5)
    return any(worker.startswith(f"{name}@") for reply in replies for worker in reply)


class EventListener:
    """Listens to project groups on the channel layer from a thread of this process and notes,
    by time.perf_counter(), when each job's `job.updated` with state `succeeded` arrived."""

    def __init__(self, project_ids: list[int]) -> None:
        self.groups = [f"project_{project_id}" for project_id in project_ids]
        self.succeeded: dict[int, float] = {}
        self.events = 0
        self._ready = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=asyncio.run, args=(self._listen(),), daemon=True)

    def __enter__(self) -> "EventListener":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the event listener did not join its groups")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping = True
        self._thread.join(timeout=5)

    async def _listen(self) -> None:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        channel = await layer.new_channel()
        for group in self.groups:
            await layer.group_add(group, channel)
        self._ready.set()
        try:
            while not self._stopping:
                try:
                    message = await asyncio.wait_for(layer.receive(channel), timeout=0.5)
                except TimeoutError:
                    continue
                arrived = time.perf_counter()
                self.events += 1
                event = message.get("event", {})
                job = event.get("job") or {}
                if event.get("type") == "job.updated" and job.get("state") == "succeeded":
                    self.succeeded.setdefault(job["id"], arrived)
        finally:
            for group in self.groups:
                await layer.group_discard(group, channel)

    def wait_for(self, job_ids: set[int], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if job_ids <= self.succeeded.keys():
                return True
            time.sleep(0.05)
        return False


def _all_stats() -> dict[int, list[str]]:
    """Fields 3.. of /proc/<pid>/stat of every process (index 0 state, 1 ppid, 2 pgrp, 11
    utime, 12 stime)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            stats[int(entry.name)] = text[text.rindex(")") + 2 :].split()
    return stats


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def children_matching(text: str) -> Callable[[], list[int]]:
    """A selector of this process's children whose command line contains `text`."""
    me = str(os.getpid())
    return lambda: [
        pid for pid, stat in _all_stats().items() if stat[1] == me and text in _cmdline(pid)
    ]


def postgres_backends(database: str) -> Callable[[], list[int]]:
    """A selector of the PostgreSQL server processes serving `database`."""

    def select() -> list[int]:
        lines = {pid: _cmdline(pid) for pid in _all_stats()}
        serving = f" {database} "
        return [
            pid for pid, line in lines.items() if line.startswith("postgres:") and serving in line
        ]

    return select


def processes_named(name: str) -> Callable[[], list[int]]:
    """A selector of the processes called `name` (e.g. redis-server)."""
    return lambda: [pid for pid in _all_stats() if _comm(pid) == name]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


class CpuMeter:
    """User+system CPU seconds used by named groups of processes between two readings (a
    process that ended between them is missed; this process counts its own threads)."""

    def __init__(self, selectors: dict[str, Callable[[], list[int]]]) -> None:
        self.selectors = selectors

    def read(self) -> dict[str, float]:
        stats = _all_stats()
        totals = {"bench process": sum(os.times()[:2])}
        for name, select in self.selectors.items():
            ticks = sum(
                int(stats[pid][11]) + int(stats[pid][12]) for pid in select() if pid in stats
            )
            totals[name] = ticks / CLOCK_TICKS
        return totals

    @staticmethod
    def per_second(before: dict[str, float], after: dict[str, float], wall: float) -> str:
        """`name 0.52` CPU seconds per wall second of each group, one line."""
        return ", ".join(
            f"{name} {(after[name] - before.get(name, 0.0)) / wall:.2f}" for name in after
        )
