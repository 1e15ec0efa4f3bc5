"""The WebSocket clients of the live-events bench, in processes of their own.

The clients (the `websockets` asyncio client on uvloop, sending a session cookie and the Origin
a page of the server itself would: config/socket_origin.py admits only the request's own
scheme://host:port) run in CLIENT_PROCESSES processes started with multiprocessing's "spawn"
method (`client_process_main`), and stamp time.time() as each event arrives.

A socket the server refuses (the origin check's 403, 4403, or 4429 for a user over the caps of
plumbing/socket_slots.py) or closes while the bench measures would leave figures over
fewer sockets than announced: `ClientProcesses.connect` and `require_open` raise `SocketsLost`
instead, naming the close codes and reasons.

- `LiveClient`: one socket; its snapshot, then events, pongs and holes in the sequence numbers.
- `ClientPool`: the clients of one client process, driven by the bench through a pipe.
- `ClientProcesses`: the bench's side: starts the processes, sends each a command, gathers the
  answers (connect, drain to the projects' latest sequence numbers, collect, ping, closures,
  stop).
- `raise_open_files_limit`: room for thousands of sockets, in the processes started after.
"""

import asyncio
import json
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLIENT_PROCESSES = 2
CONNECT_PARALLEL = 32  # handshakes in flight per client process
DRAIN_TIMEOUT = 120.0
# The clients offer permessage-deflate as browsers do; BENCH_WS_COMPRESSION=none to compare.
COMPRESSION = None if os.environ.get("BENCH_WS_COMPRESSION") == "none" else "deflate"


class SocketsLost(RuntimeError):
    """Sockets were refused or closed by the server: the figures would be over fewer sockets."""


def describe(counts: Counter) -> str:
    """The counts as text, most first: `3× closed 4429 (Too many…); 1× handshake refused: …`."""
    return "; ".join(f"{n}× {what}" for what, n in counts.most_common())


def raise_open_files_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit (inherited by every process started after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def latest_seqs(project_ids) -> dict[int, int]:
    """Each project's last event number (plumbing.live_state's counter in Redis)."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        return {pid: int(client.get(f"live:seq:{pid}") or 0) for pid in project_ids}
    finally:
        client.close()


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
        self.close_code: int | None = None
        self.close_reason = ""

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
            self.close_code = self.socket.close_code
            self.close_reason = self.socket.close_reason or ""
            if not self.snapshot.done():
                self.snapshot.set_exception(RuntimeError(self.how_closed()))

    def how_closed(self) -> str:
        reason = f" ({self.close_reason})" if self.close_reason else ""
        return f"closed {self.close_code}{reason}"

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
        # The handshake's Host is the URL's host:port (set by websockets, so sent once: a repeated
        # Host is refused); the Origin must be the same scheme://host:port, as from a page of
        # the server's own.
        site = urlsplit(base_url)
        self.origin = f"{site.scheme}://{site.netloc}"
        self.ws_base = f"{'wss' if site.scheme == 'https' else 'ws'}://{site.netloc}"
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
        """Open one socket per (project id, session cookie); returns once each has its snapshot
        or was refused; the refusals by kind (those sockets are dropped)."""
        began = time.perf_counter()
        gate = asyncio.Semaphore(CONNECT_PARALLEL)
        refused: Counter = Counter()

        async def one(project_id: int, cookie: str) -> None:
            async with gate:
                client = LiveClient(self, project_id)
                url = f"{self.ws_base}/ws/projects/{project_id}/"
                try:
                    await client.open(url, self.origin, cookie)
                except Exception as error:
                    refused[refusal(client, error)] += 1
                    if hasattr(client, "socket"):
                        await client.socket.close()
                    return
                self.clients.append(client)

        await asyncio.gather(*(one(*spec) for spec in specs))
        return {
            "open": len(self.clients),
            "seconds": time.perf_counter() - began,
            "refused": dict(refused),
        }

    async def drain(self, targets: dict[int, int], timeout: float) -> dict:
        """Wait until each open client has seen its project's event number `targets[project]`
        (a closed one never will: `closures` tells)."""
        began = time.perf_counter()
        while True:
            behind = sum(
                1 for c in self.clients if not c.closed and c.seq < targets.get(c.project_id, 0)
            )
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

    async def closures(self) -> dict:
        """The sockets closed since they opened, by close code and reason."""
        return {"closed": dict(Counter(c.how_closed() for c in self.clients if c.closed))}

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


def refusal(client: LiveClient, error: Exception) -> str:
    """Why a socket did not open: its close code and reason, or the handshake's answer."""
    from websockets.exceptions import InvalidStatus

    if client.closed:
        return client.how_closed()
    if isinstance(error, InvalidStatus):
        return f"handshake refused: HTTP {error.response.status_code}"
    return f"did not open: {error!r}"


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
        """Spread the sockets over the processes; seconds until all have their snapshots.
        Raises SocketsLost if any was refused."""
        shares = [{"specs": specs[n :: len(self.pipes)]} for n in range(len(self.pipes))]
        answers = self.call("connect", shares)
        refused = sum((Counter(a["refused"]) for a in answers), Counter())
        if refused:
            raise SocketsLost(
                f"{refused.total()} of {len(specs)} sockets refused: {describe(refused)}"
            )
        return max(a["seconds"] for a in answers)

    def require_open(self, when: str) -> None:
        """Raise SocketsLost if the server closed any socket (`when`: "during the burst"…)."""
        closed = sum((Counter(a["closed"]) for a in self.call("closures")), Counter())
        if closed:
            raise SocketsLost(
                f"{closed.total()} sockets closed by the server {when}: {describe(closed)}"
            )

    def drain(self, project_ids) -> float:
        targets = latest_seqs(project_ids)
        answers = self.call("drain", targets=targets, timeout=DRAIN_TIMEOUT)
        self.require_open("while the bench waited for their events")
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
