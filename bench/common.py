"""What every benchmark shares: environment, database, bench data, the uvicorn server, figures.

A benchmark calls `setup_django()` (bench environment, database created and migrated), makes
its data with `make_project()` through `storyboard_app.actions`, measures through
`uvicorn_server()` and ends with `report()`. Everything listens on or talks to 127.0.0.1 only.

Environment (all optional; an inherited DATABASE_URL or REDIS_URL is ignored, so that a shell
set up for `make run` never points the bench at real data): BENCH_DATABASE_URL (default the
storyboard_bench database of the local PostgreSQL, created if missing), BENCH_REDIS_URL (default
database 14 of the local Redis, in-memory if none answers), BENCH_VAR_DIR (default
/tmp/storyboard-bench: collected static files, media, the server's log).
"""

import argparse
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
DEFAULT_DATABASE_URL = f"postgres://postgres@{LOOPBACK}:5432/storyboard_bench"
DEFAULT_REDIS_URL = f"redis://{LOOPBACK}:6379/14"
VAR_DIR = Path(os.environ.get("BENCH_VAR_DIR", "/tmp/storyboard-bench"))
BENCH_USERNAME = "bench"
BENCH_PASSWORD = "bench-password-not-secret-1"
SERVER_START_TIMEOUT = 30.0
LOAD_AT_START = os.getloadavg()[0]  # other work on the machine skews every figure

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def configure_environment() -> None:
    """Set the bench's settings in os.environ (inherited by the uvicorn subprocess)."""
    (VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = DEFAULT_REDIS_URL if _answers(LOOPBACK, 6379) else ""
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", redis_url)
    os.environ["VAR_DIR"] = str(VAR_DIR)
    os.environ["MEDIA_ROOT"] = str(VAR_DIR / "media")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    for proxy in ("http_proxy", "https_proxy", "all_proxy"):  # never leave the loopback
        os.environ.pop(proxy, None)
        os.environ.pop(proxy.upper(), None)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(collectstatic: bool = False) -> None:
    """Configure, create and migrate the bench database, and set Django up in this process."""
    configure_environment()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)


@dataclass
class BenchProject:
    project_id: int
    sequence_ids: list[int]
    shot_ids: list[int]
    token: str
    username: str = BENCH_USERNAME
    password: str = BENCH_PASSWORD


def make_project(title: str, sequences: int = 10, shots: int = 6, lines: int = 2) -> BenchProject:
    """A fresh project of the bench user (older ones of that title are deleted first)."""
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from storyboard_app import actions
    from storyboard_app.models import Project

    user, created = User.objects.get_or_create(username=BENCH_USERNAME)
    if created or not user.check_password(BENCH_PASSWORD):
        user.set_password(BENCH_PASSWORD)
        user.save()
    token, _ = Token.objects.get_or_create(user=user)
    for old in Project.objects.filter(owner=user, title=title):
        actions.delete_project(old)

    project = actions.create_project(user, title, "16:9")
    first = project.sequences.get()
    all_sequences = [first] + [actions.add_sequence(project, {}) for _ in range(sequences - 1)]
    shot_ids = []
    for s, sequence in enumerate(all_sequences):
        for n in range(shots):
            dialogue = [
                {
                    "speaker": "Mara" if k % 2 == 0 else "Tomas",
                    "text": f"Line {k + 1} of shot {n + 1}: the ferry won't run today.",
                    "language": "en",
                    "delivery": "warm, unhurried",
                }
                for k in range(lines)
            ]
            data = {
                "duration": 2 + n % 3,
                "shot_size": "wide" if n % 2 else "close_up",
                "camera_movement": "push_in",
                "text": f"Sequence {s + 1}, shot {n + 1}: rain on the lighthouse window.",
                "sound_notes": "Rain on glass.",
                "dialogue": dialogue,
            }
            shot_ids.append(actions.add_shot(sequence, data).pk)
    return BenchProject(project.pk, [seq.pk for seq in all_sequences], shot_ids, token.key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _raise_on_sigterm() -> None:
    """Turn SIGTERM (e.g. run_all's timeout) into SystemExit so that `finally` blocks run."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


@contextmanager
def uvicorn_server(app: str = "config.asgi:application") -> Iterator[str]:
    """Start uvicorn (1 worker) serving `app`; yield its base URL; stop it."""
    _raise_on_sigterm()
    port = free_port()
    log_path = VAR_DIR / f"uvicorn-{Path(sys.argv[0]).stem}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    base_url = f"http://{LOOPBACK}:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_healthy(process, base_url, log_path)
        yield base_url
    finally:
        stop_process(process, timeout=10)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM (so the process can clean up in its `finally`), SIGKILL if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_healthy(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(base_url=base_url, trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    tail = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"uvicorn did not become healthy at {base_url}; its log:\n{tail}")


def api_client(base_url: str, token: str) -> httpx.Client:
    """An httpx client of the API with token authentication (no proxies, loopback only)."""
    return httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Token {token}"},
        trust_env=False,
        timeout=30,
    )


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p99 of 200 samples is the 198th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed_ms(run, runs: int) -> list[float]:
    """The wall time of each of `runs` calls of `run()`, in milliseconds (in-process benches)."""
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


@dataclass
class Figure:
    """One printed figure; `ok` is None when the figure has no goal."""

    name: str
    value: float | int | str
    unit: str = ""
    goal: str = ""
    ok: bool | None = None

    def line(self) -> str:
        value = f"{self.value:.1f}" if isinstance(self.value, float) else str(self.value)
        verdict = {True: "PASS", False: "FAIL", None: ""}[self.ok]
        goal = f"(goal: {self.goal})" if self.goal else ""
        return f"  {self.name:<44} {value:>10} {self.unit:<6} {goal:<22} {verdict}".rstrip()


def arguments(description: str) -> argparse.Namespace:
    """The common command line: --json PATH writes the figures for run_all.py."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--profile", action="store_true", help="print a profile if supported")
    return parser.parse_args()


def report(title: str, figures: list[Figure], json_path: Path | None) -> None:
    machine = f"{os.cpu_count()} CPUs, 1-min load average {LOAD_AT_START:.2f} at start"
    title = f"{title} [{machine}]"
    print(f"\n{title}")
    for figure in figures:
        print(figure.line())
    if json_path is not None:
        json_path.write_text(json.dumps({"title": title, "figures": [asdict(f) for f in figures]}))


def db_sessions() -> int:
    """Connections opened so far to the bench database (PostgreSQL's pg_stat_database)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return -1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]
