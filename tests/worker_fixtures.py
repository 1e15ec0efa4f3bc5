"""Real Celery worker processes for the tests that are about jobs.

`workers` starts `celery worker` processes (and beat when asked) against the test database
and the test Redis, with the pipeline's waits shortened; `workers.kill()` sends SIGKILL to a
worker's whole process group, as a crash would. The broker's queues are purged before each
test so no task of an earlier test leaks in. Tests using it need `transactional_db`: a worker
is another process and sees only committed rows.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from fake_kling import FakeKling
from jobs import dispatch
from jobs.registry import _kling

ROOT = Path(__file__).resolve().parent.parent
# Node names say which xdist worker started them (each has its own broker: xdist_fixtures.py).
XDIST_SUFFIX = (
    f"-{os.environ['PYTEST_XDIST_WORKER']}" if "PYTEST_XDIST_WORKER" in os.environ else ""
)
STARTUP_SECONDS = 20.0
# The waits of the pipeline, short enough for tests and in the same proportions as production.
FAST_JOBS_ENV = {
    "JOBS_POLL_FIRST_SECONDS": "0.3",
    "JOBS_POLL_MAX_SECONDS": "1",
    "JOBS_POLL_WITH_CALLBACKS_FIRST_SECONDS": "2",
    "JOBS_POLL_WITH_CALLBACKS_MAX_SECONDS": "4",
    "JOBS_RETRY_BASE_SECONDS": "0.3",
    "JOBS_RETRY_MAX_SECONDS": "4",
    "JOBS_STALE_SECONDS": "6",
    # A killed render is taken over after this silence (20 s in production, heartbeats every
    # 0.5 s); as tests/test_killed_render_resumes_at_once.py runs it.
    "JOBS_RENDER_STALE_SECONDS": "8",
    "JOBS_REAPER_SECONDS": "1",
    "JOBS_GIVE_UP_SECONDS": "600",
}


# The workers' sessions on PostgreSQL go by this name (see Workers.stop_all).
APPLICATION_NAME = "test-celery-worker"
GONE_SECONDS = 10.0


def database_url() -> str:
    """The URL of the database the tests run on (the test database pytest-django made)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        f"?application_name={APPLICATION_NAME}"
    )


def wait_for_worker_sessions_to_end() -> None:
    """Until no session of a killed worker is left on the test database: one in the middle of
    a statement finishes it before it sees its client gone, and must not hold a lock when the
    database is reset (TRUNCATE) after the test."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + GONE_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [APPLICATION_NAME],
            )
            (left,) = cursor.fetchone()
            if not left:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{left} sessions of killed workers are still open")
            time.sleep(0.02)


def purge_queues() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("io", "render"):
            conn.default_channel.queue_purge(queue)


class Workers:
    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(
        self,
        queues: str = "io,render",
        *,
        pool: str = "threads",
        concurrency: int = 4,
        beat: bool = False,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.Popen:
        name = f"w{len(self.processes)}"
        log_path = self.log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", queues, "--pool", pool, "-c", str(concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{name}{XDIST_SUFFIX}@%h", "--loglevel", "INFO",
        ]  # fmt: skip
        if beat:
            command += ["-B", "-s", str(self.log_dir / f"{name}-beat-schedule")]
        env = {**self.env, **(extra_env or {})}
        with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        deadline = time.monotonic() + STARTUP_SECONDS
        # Celery logs "<name>@<host> ready." once it consumes.
        while b" ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.1)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its children at once, as a crash would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        """The test is over: nothing its workers still do matters. A warm shutdown (SIGTERM)
        waits out the broker's one-second poll and any task in flight, 1.5 s or more a test;
        the queues are purged after, and the database is reset once their sessions are gone."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(timeout=10)
        wait_for_worker_sessions_to_end()

    def log(self, index: int = -1) -> str:
        return (self.log_dir / f"w{index % len(self.processes)}.log").read_text()


@pytest.fixture
def workers(transactional_db, media_root, tmp_path, settings) -> Iterator[Workers]:
    purge_queues()
    env = {
        **os.environ,
        **FAST_JOBS_ENV,
        "DATABASE_URL": database_url(),
        # This xdist worker's Redis database, broker and channel prefix (xdist_fixtures.py).
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CHANNEL_PREFIX": settings.CHANNEL_PREFIX,
        "MEDIA_ROOT": str(media_root),
        "DB_POOL_MIN": "1",
        "DB_POOL_MAX": "8",
        # Django's system checks are run by `manage.py check` and the suite, not again by each
        # worker a test starts (a third of its start: 0.5 s of CPU, loading every URL and view).
        "CELERY_SKIP_CHECKS": "1",
    }
    # The test process enqueues with the same short waits as the workers use.
    for name, value in FAST_JOBS_ENV.items():
        setattr(settings, name, float(value))
    pool = Workers(env, tmp_path)
    yield pool
    pool.stop_all()
    purge_queues()


class SentTasks(list):
    """Tasks recorded as `(task, job_id, step)`; `urgent` says, for each, if it jumped the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.urgent: list[bool] = []

    def record(self, task: str, job_id: int, step: int, countdown: float = 0, urgent=False):
        self.append((task, job_id, step))
        self.urgent.append(urgent)


@pytest.fixture
def sent_tasks(monkeypatch) -> SentTasks:
    """The pipeline's tasks, recorded instead of sent to a worker."""
    sent = SentTasks()
    monkeypatch.setattr(dispatch, "send", sent.record)
    return sent


def wait_for(check: Callable[[], object], seconds: float, message: str) -> object:
    """Poll `check` until it returns something true, or fail with `message`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(message)


@pytest.fixture
def fake_kling(settings) -> Iterator[FakeKling]:
    """The fake Kling server, and this process's settings pointing at it (workers started with
    the `workers` fixture need its address in their environment too)."""
    server = FakeKling(processing_seconds=1.0, element_seconds=0.3)
    server.start()
    settings.KLING_API_KEY = server.api_key
    settings.KLING_BASE_URL = server.base_url
    _kling.cache_clear()
    yield server
    server.stop()
    _kling.cache_clear()
