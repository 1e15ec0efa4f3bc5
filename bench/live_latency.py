"""Live events over the project WebSocket: latency to 1, 100 and 1,000 clients; connections held.

One uvicorn process serves `config.asgi:application`; the channel layer is Redis pub/sub (the
bench's Redis). A separate worker process (Django set up, as a Celery worker is) changes a
GenerationJob row inside `transaction.atomic()` and calls `jobs.events.job_updated(job)`, as
jobs/actions.py does; an on-commit hook registered before the event's stamps time.time() right
after the commit. The clients (the `websockets` asyncio client on uvloop, sending an Origin
header and the session cookie of one of VIEWERS viewer members) run in CLIENT_PROCESSES
processes and stamp time.time() as each event arrives; a receipt is matched to its commit by
(job id, progress), every event setting a new progress. Events go round-robin over JOBS jobs,
so no job is offered twice within 0.25 s and the 5/s progress throttle never holds one.

1. Latency: clients are added (1, then 100, then 1,000 in all, all on one project); once every
   client has its snapshot and the presence events of the joins have all arrived (each client
   has seen the project's latest sequence number), WARMUP events, then EVENTS_AT[n] events at
   a fixed pace, far apart enough that the fan-out does not queue. p50/p99 over all
   (client, event) receipts. At 1,000 clients, a burst: BURST events as fast as the worker can
   commit them; deliveries per second from the first commit to the last receipt.
2. Connections held: a fresh uvicorn process; HELD sockets (HELD_PER_PROJECT per project, as
   teams would be, so that the joins' presence events stay small) opened by the bench user;
   each must answer a ping with a pong (a few dozen pings in flight at a time, as clients
   pinging every 20 s would be); the server's VmRSS before (after a warm-up) and after gives
   KiB per connection. Last, every socket pings at once (as after a restart, when all come
   back together): the pongs are counted, and the errors in the server's log are printed.

The machine's CPUs are shared by everything: uvicorn, the client processes, the worker, Redis
and PostgreSQL; CPU seconds per second of each are printed for the 1,000-client runs.

Goals: p99 under 50 ms with 100 clients, under 250 ms with 1,000 clients.
"""

import asyncio
import json
import multiprocessing
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack, suppress
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH_USERNAME,
    REPO,
    VAR_DIR,
    Figure,
    arguments,
    configure_environment,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    stop_process,
    uvicorn_server,
)

TITLE = "Bench: live latency"
HELD_TITLE = "Bench: live connections"
VIEWERS = 10
JOBS = 200
CLIENT_PROCESSES = 2
SIZES = [1, 100, 1000]
WARMUP = 10
# (events, seconds between them) per size: a job's events are JOBS × pace apart (≥ 0.25 s).
EVENTS_AT = {1: (200, 0.02), 100: (200, 0.05), 1000: (60, 0.5)}
BURST = 100
HELD = 2000
HELD_PER_PROJECT = 20
CONNECT_PARALLEL = 32  # handshakes in flight per client process
DRAIN_TIMEOUT = 120.0
GOALS_P99_MS = {100: 50.0, 1000: 250.0}
WORKER_FLAG = "--worker"
EXCEPTION_LINE = re.compile(r"([\w.]+(?:Error|Exception))(?::|$)")  # a traceback's last line
# The clients offer permessage-deflate as browsers do; BENCH_WS_COMPRESSION=none to compare.
COMPRESSION = None if os.environ.get("BENCH_WS_COMPRESSION") == "none" else "deflate"


def raise_open_files_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit (inherited by every process started after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def raise_on_sigterm() -> None:
    """SIGTERM (run_all's time limit) → SystemExit, so that every `finally` stops its process."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


# Data: viewers with session cookies, jobs, the projects of the held connections


def session_cookies(users) -> list[str]:
    from django.test import Client

    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    return cookies


def make_viewers(project_id: int, count: int) -> list[str]:
    """`count` fresh users, viewers of the project; their session cookies."""
    from django.contrib.auth.models import User

    from storyboard_app.choices import Role
    from storyboard_app.models import Membership

    User.objects.filter(username__startswith="live-bench-viewer-").delete()
    users = []
    for n in range(count):
        user = User(username=f"live-bench-viewer-{n}")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(project_id=project_id, user=user, role=Role.VIEWER)
        users.append(user)
    return session_cookies(users)


def make_jobs(project_id: int, count: int) -> list[int]:
    """`count` running jobs of the project, at progress 0."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from jobs.choices import JobState, Provider
    from jobs.models import GenerationJob
    from storyboard_app.models import Project

    project = Project.objects.get(pk=project_id)
    sequence = project.sequences.order_by("position").first()
    owner = User.objects.get(username=BENCH_USERNAME)
    now = timezone.now()
    jobs = GenerationJob.objects.bulk_create(
        GenerationJob(
            project=project,
            sequence=sequence,
            created_by=owner,
            provider=Provider.ANIMATIC,
            request={"seconds": 5},
            storyboard={},
            state=JobState.RUNNING,
            external_task_id=f"live-bench-{project_id}-{n}",
            submitted_at=now,
            started_at=now,
            heartbeat_at=now,
        )
        for n in range(count)
    )
    return [job.pk for job in jobs]


def make_held_projects(count: int) -> tuple[list[int], str]:
    """`count` fresh projects of the bench user (older ones deleted) and its session cookie."""
    from django.contrib.auth.models import User

    from storyboard_app import actions
    from storyboard_app.models import Project

    user = User.objects.get(username=BENCH_USERNAME)
    for old in Project.objects.filter(owner=user, title__startswith=HELD_TITLE):
        actions.delete_project(old)
    ids = [actions.create_project(user, f"{HELD_TITLE} {n}").pk for n in range(count)]
    return ids, session_cookies([user])[0]


def latest_seqs(project_ids) -> dict[int, int]:
    """Each project's last event number (storyboard_app.live_state's counter in Redis)."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        return {pid: int(client.get(f"live:seq:{pid}") or 0) for pid in project_ids}
    finally:
        client.close()


# Processes: the server's pid, RSS and CPU; the worker; the client processes


def server_pid(base_url: str) -> int:
    """The uvicorn child of this process that listens on the port of `base_url`."""
    port = base_url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if ppid == os.getpid() and b"uvicorn" in argv and port.encode() in argv:
            return int(entry.name)
    raise RuntimeError(f"no uvicorn child listening on {port}")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def pids_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


class CpuMeter:
    """User+system CPU seconds of groups of processes, read from /proc/<pid>/stat."""

    TICKS = os.sysconf("SC_CLK_TCK")

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups
        self.began = time.perf_counter()
        self.start = self._read()

    def _read(self) -> dict[str, float]:
        totals = {}
        for name, pids in self.groups.items():
            total = 0
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += int(fields[11]) + int(fields[12])
            totals[name] = total / self.TICKS
        return totals

    def per_second(self) -> str:
        elapsed = time.perf_counter() - self.began
        end = self._read()
        used = {name: (end[name] - self.start[name]) / elapsed for name in end}
        return ", ".join(f"{name} {value:.2f}" for name, value in used.items())


class Worker:
    """The worker process (this file with WORKER_FLAG): commits job changes and publishes their
    events on request; returns (job, milli-progress, commit time) of each."""

    def __init__(self, project_id: int) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), WORKER_FLAG, str(project_id)]
        self.process = subprocess.Popen(
            command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.pid = self.process.pid
        self._ask({"jobs": [], "count": 0, "pace": 0})  # Django set up, connections open

    def _ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker exited ({self.process.poll()})")
        return json.loads(line)

    def publish(self, jobs: list[int], count: int, pace: float) -> list[tuple[int, int, float]]:
        answer = self._ask({"jobs": jobs, "count": count, "pace": pace})
        return [tuple(stamp) for stamp in answer["stamps"]]

    def stop(self) -> None:
        self.process.stdin.close()
        stop_process(self.process, timeout=10)


def worker_main(project_id: int) -> None:
    """The worker process: reads {"jobs", "count", "pace"} lines, writes {"stamps"} lines."""
    answers = os.fdopen(os.dup(1), "w")  # the protocol; anything printed goes to stderr
    os.dup2(2, 1)
    configure_environment()
    import django

    django.setup()
    from django.db import transaction

    from jobs.events import job_updated
    from jobs.models import GenerationJob

    sent: dict[int, int] = {}  # job → events so far (its progress in thousandths)
    turn = 0
    for line in sys.stdin:
        request = json.loads(line)
        stamps = []
        jobs = request["jobs"]
        begin = time.perf_counter()
        for n in range(request["count"]):
            time.sleep(max(0.0, begin + n * request["pace"] - time.perf_counter()))
            job_id = jobs[turn % len(jobs)]
            turn += 1
            milli = sent[job_id] = sent.get(job_id, 0) + 1
            with transaction.atomic():
                GenerationJob.objects.filter(pk=job_id).update(progress=milli / 1000)
                job = GenerationJob.objects.get(pk=job_id)
                # Runs first of the on-commit hooks: right after the commit, before the event.
                transaction.on_commit(
                    lambda s=stamps, j=job_id, m=milli: s.append((j, m, time.time()))
                )
                job_updated(job)
        answers.write(json.dumps({"stamps": stamps}) + "\n")
        answers.flush()


# The clients


class LiveClient:
    """One socket: the snapshot, then events (job receipts stamped), pongs and sequence holes."""

    def __init__(self, pool: "ClientPool", project_id: int) -> None:
        self.pool = pool
        self.project_id = project_id
        self.seq = -1
        self.missing: set[int] = set()  # numbers skipped over and not (yet) arrived
        self.late = 0  # events that came after a higher number
        self.late_jobs = 0  # of which job events
        self.snapshot = asyncio.get_running_loop().create_future()
        self.pong: asyncio.Future | None = None
        self.closed = False

    async def open(self, url: str, origin: str, cookie: str) -> None:
        from websockets.asyncio.client import connect

        self.socket = await connect(
            url,
            origin=origin,
            additional_headers={"Cookie": f"sessionid={cookie}"},
            proxy=None,
            compression=COMPRESSION,
            ping_interval=None,
            open_timeout=120,
            close_timeout=2,
            max_size=2**24,
            max_queue=None,
        )
        self.task = asyncio.create_task(self.read())
        await asyncio.wait_for(asyncio.shield(self.snapshot), 120)

    async def read(self) -> None:
        try:
            async for text in self.socket:
                now = time.time()
                message = json.loads(text)
                kind = message["type"]
                if kind == "snapshot":
                    self.seq = message["seq"]
                    if not self.snapshot.done():
                        self.snapshot.set_result(None)
                elif "seq" in message:
                    self.count(message["seq"], kind)
                if kind == "job.updated":
                    job = message["job"]
                    self.pool.receipts.append((job["id"], round(job["progress"] * 1000), now))
                elif kind == "pong" and self.pong is not None and not self.pong.done():
                    self.pong.set_result(now)
        except Exception as error:
            if not self.snapshot.done():
                self.snapshot.set_exception(error)
        finally:
            self.closed = True
            if not self.snapshot.done():
                self.snapshot.set_exception(RuntimeError(f"closed: {self.socket.close_code}"))

    def count(self, seq: int, kind: str) -> None:
        if seq > self.seq:
            self.missing.update(range(self.seq + 1, seq))
            self.seq = seq
        else:
            self.late += 1
            self.late_jobs += kind == "job.updated"
            self.missing.discard(seq)

    async def ping(self) -> bool:
        self.pong = asyncio.get_running_loop().create_future()
        await self.socket.send('{"type": "ping"}')
        await self.pong
        return True


class ClientPool:
    """The clients of one client process, driven by the bench through a pipe: each command is
    (method name, keyword arguments) and is answered with the method's result."""

    def __init__(self, conn, base_url: str) -> None:
        self.conn = conn
        self.origin = base_url
        self.ws_base = base_url.replace("http://", "ws://", 1)
        self.clients: list[LiveClient] = []
        self.receipts: list[tuple[int, int, float]] = []

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                command, kwargs = await loop.run_in_executor(None, self.conn.recv)
                if command == "stop":
                    break
                try:
                    answer = await getattr(self, command)(**kwargs)
                except Exception as error:
                    answer = {"error": f"{command}: {error!r}"}
                self.conn.send(answer)
        finally:
            await self.close()

    async def connect(self, specs: list[tuple[int, str]]) -> dict:
        """Open one socket per (project id, session cookie); returns once each has its snapshot."""
        began = time.perf_counter()
        gate = asyncio.Semaphore(CONNECT_PARALLEL)

        async def one(project_id: int, cookie: str) -> None:
            async with gate:
                client = LiveClient(self, project_id)
                self.clients.append(client)
                url = f"{self.ws_base}/ws/projects/{project_id}/"
                await client.open(url, self.origin, cookie)

        await asyncio.gather(*(one(*spec) for spec in specs))
        return {"open": len(self.clients), "seconds": time.perf_counter() - began}

    async def drain(self, targets: dict[int, int], timeout: float) -> dict:
        """Wait until each client has seen its project's event number `targets[project]`."""
        began = time.perf_counter()
        while True:
            behind = sum(1 for c in self.clients if c.seq < targets.get(c.project_id, 0))
            if not behind or time.perf_counter() - began > timeout:
                return {"behind": behind, "seconds": time.perf_counter() - began}
            await asyncio.sleep(0.02)

    async def collect(self) -> dict:
        """The job receipts since the last call; holes and late events so far."""
        receipts, self.receipts = self.receipts, []
        return {
            "receipts": receipts,
            "missing": sum(len(c.missing) for c in self.clients),
            "late": sum(c.late for c in self.clients),
            "late_jobs": sum(c.late_jobs for c in self.clients),
            "closed": sum(c.closed for c in self.clients),
        }

    async def ping(self, timeout: float, parallel: int | None = None) -> dict:
        """Ping every client, `parallel` at a time (None: all at once); how many got a pong."""
        gate = asyncio.Semaphore(parallel or len(self.clients) or 1)

        async def one(client: LiveClient) -> bool:
            async with gate:
                return await asyncio.wait_for(client.ping(), timeout)

        results = await asyncio.gather(*(one(c) for c in self.clients), return_exceptions=True)
        return {"pongs": sum(1 for r in results if r is True), "of": len(self.clients)}

    async def close(self) -> dict:
        await asyncio.gather(
            *(c.socket.close() for c in self.clients if hasattr(c, "socket")),
            return_exceptions=True,
        )
        self.clients = []
        return {}


def client_process_main(conn, base_url: str) -> None:
    import uvloop

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the bench stops us
    uvloop.run(ClientPool(conn, base_url).serve())


class ClientProcesses:
    """CLIENT_PROCESSES client processes; `call` sends a command to each and gathers answers."""

    def __init__(self, base_url: str, count: int = CLIENT_PROCESSES) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(
                target=client_process_main, args=(theirs, base_url), daemon=True
            )
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)
        self.pids = [p.pid for p in self.processes]

    def call(self, command: str, per_process: list[dict] | None = None, **kwargs) -> list[dict]:
        for n, pipe in enumerate(self.pipes):
            pipe.send((command, per_process[n] if per_process else kwargs))
        answers = [pipe.recv() for pipe in self.pipes]
        for answer in answers:
            if "error" in answer:
                raise RuntimeError(f"client process: {answer['error']}")
        return answers

    def connect(self, specs: list[tuple[int, str]]) -> float:
        """Spread the sockets over the processes; seconds until all have their snapshots."""
        shares = [{"specs": specs[n :: len(self.pipes)]} for n in range(len(self.pipes))]
        return max(a["seconds"] for a in self.call("connect", shares))

    def drain(self, project_ids) -> float:
        targets = latest_seqs(project_ids)
        answers = self.call("drain", targets=targets, timeout=DRAIN_TIMEOUT)
        behind = sum(a["behind"] for a in answers)
        if behind:
            raise RuntimeError(f"{behind} clients still behind after {DRAIN_TIMEOUT:.0f} s")
        return max(a["seconds"] for a in answers)

    def collect(self) -> dict:
        answers = self.call("collect")
        keys = ("missing", "late", "late_jobs", "closed")
        merged = {key: sum(a[key] for a in answers) for key in keys}
        merged["receipts"] = [r for a in answers for r in a["receipts"]]
        return merged

    def stop(self) -> None:
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            with suppress(OSError):
                pipe.send(("stop", {}))
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()


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
            specs = [(project_id, cookies[n % len(cookies)]) for n in range(connected, size)]
            connect_s = clients.connect(specs)
            connected = size
            drain_s = clients.drain([project_id])
            worker.publish(jobs, WARMUP, 0.05)
            clients.drain([project_id])
            clients.collect()
            count, pace = EVENTS_AT[size]
            meter = CpuMeter(groups)
            stamps, receipts, counters = run_events(worker, clients, project_id, jobs, count, pace)
            cpu = meter.per_second()
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


def measure_held(project_ids: list[int], cookie: str) -> dict:
    """A fresh server: RSS after a warm-up, then HELD more sockets, each answering a ping (a few
    dozen in flight at a time, as clients pinging every 20 s would be); last, every socket
    pings at once."""
    warm_project, held_projects = project_ids[0], project_ids[1:]
    with uvicorn_server() as base_url, ExitStack() as stack:
        pid = server_pid(base_url)
        clients = ClientProcesses(base_url)
        stack.callback(clients.stop)
        clients.connect([(warm_project, cookie)] * HELD_PER_PROJECT)
        clients.drain([warm_project])
        clients.call("ping", timeout=30, parallel=CONNECT_PARALLEL)
        time.sleep(0.5)
        before = rss_kib(pid)
        specs = [(held_projects[n // HELD_PER_PROJECT], cookie) for n in range(HELD)]
        began = time.perf_counter()
        connect_s = clients.connect(specs)
        clients.drain(held_projects)
        answers = clients.call("ping", timeout=60, parallel=CONNECT_PARALLEL)
        settled_s = time.perf_counter() - began
        time.sleep(0.5)
        after = rss_kib(pid)
        closed = clients.collect()["closed"]
        at_once = clients.call("ping", timeout=60)
        closed_at_once = clients.collect()["closed"] - closed
    total = sum(a["of"] for a in answers)
    return {
        "held": sum(a["pongs"] for a in answers) - HELD_PER_PROJECT,  # less the warm-up's
        "opened": total - HELD_PER_PROJECT,
        "closed": closed,
        "rate": HELD / connect_s,
        "settled_s": settled_s,
        "before_kib": before,
        "after_kib": after,
        "kib_per_connection": (after - before) / HELD,
        "at_once": sum(a["pongs"] for a in at_once),
        "at_once_of": sum(a["of"] for a in at_once),
        "closed_at_once": closed_at_once,
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
    held_projects, owner_cookie = make_held_projects(HELD // HELD_PER_PROJECT + 1)
    print(
        f"Sharing the {os.cpu_count()} CPUs: uvicorn (1 process), {CLIENT_PROCESSES} client "
        f"processes (websockets {websockets_version()} asyncio client on uvloop, "
        f"compression {COMPRESSION}), the worker process, Redis, PostgreSQL; this process "
        "waits. Setup took "
        f"{time.perf_counter() - began:.0f} s.",
        flush=True,
    )
    with uvicorn_server() as base_url:
        latency = measure_latency(base_url, project.project_id, cookies, jobs)
    print(f"    server log: {server_errors()}", flush=True)
    held = measure_held(held_projects, owner_cookie)
    print(
        f"  held: {held['opened']} sockets over {HELD // HELD_PER_PROJECT} projects opened at "
        f"{held['rate']:.0f}/s, all pinged within {held['settled_s']:.1f} s: "
        f"{held['held']} pongs, {held['closed']} closed by the server; uvicorn VmRSS "
        f"{held['before_kib'] / 1024:.0f} → {held['after_kib'] / 1024:.0f} MiB\n"
        f"  then all {held['at_once_of']} pinging at once: {held['at_once']} pongs, "
        f"{held['closed_at_once']} closed by the server\n    server log: {held['errors']}",
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
    if sys.argv[1:2] == [WORKER_FLAG]:
        worker_main(int(sys.argv[2]))
    else:
        main()
