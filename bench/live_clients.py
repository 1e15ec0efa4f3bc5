"""The WebSocket clients of the live-events bench, in processes of their own.

The clients (the `websockets` asyncio client on uvloop, sending an Origin header and a session
cookie) run in CLIENT_PROCESSES processes started with multiprocessing's "spawn" method
(`client_process_main`), and stamp time.time() as each event arrives.

- `LiveClient`: one socket; its snapshot, then events, pongs and holes in the sequence numbers.
- `ClientPool`: the clients of one client process, driven by the bench through a pipe.
- `ClientProcesses`: the bench's side: starts the processes, sends each a command, gathers the
  answers (connect, drain to the projects' latest sequence numbers, collect, ping, stop).
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
from contextlib import suppress
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLIENT_PROCESSES = 2
CONNECT_PARALLEL = 32  # handshakes in flight per client process
DRAIN_TIMEOUT = 120.0
# The clients offer permessage-deflate as browsers do; BENCH_WS_COMPRESSION=none to compare.
COMPRESSION = None if os.environ.get("BENCH_WS_COMPRESSION") == "none" else "deflate"


def raise_open_files_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit (inherited by every process started after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def latest_seqs(project_ids) -> dict[int, int]:
    """Each project's last event number (storyboard_app.live_state's counter in Redis)."""
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
