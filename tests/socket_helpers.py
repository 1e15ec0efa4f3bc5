"""Project sockets for the tests: the real ASGI application (origin check, session auth, the
consumer) driven by Channels' WebsocketCommunicator over the Redis channel layer.

Scenarios are coroutines run with `run(...)`; what they do to the database goes through `db(...)`
(a thread of its own, as the server's views would), so the tests need `transactional_db`.
"""

import asyncio
import json
from collections.abc import Callable, Coroutine
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.db import aclose_old_connections
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from redis import Redis
from redis.asyncio.connection import ConnectionPool

from config.asgi import application

ORIGIN = b"http://localhost"
# The Host a browser on that origin sends: the origin check compares the two.
HOST = b"localhost"
WAIT_SECONDS = 5.0


def run(scenario: Coroutine) -> None:
    async def whole():
        loop = asyncio.get_running_loop()
        pools: list[ConnectionPool] = []  # the Redis pools made on this loop

        def recording_init(pool: ConnectionPool, *args, **kwargs) -> None:
            make_pool(pool, *args, **kwargs)
            if running_loop() is loop:  # not the live server's, in its own thread
                pools.append(pool)

        try:
            with mock.patch.object(ConnectionPool, "__init__", recording_init):
                await scenario
        finally:
            # Channels' communicator turns close_old_connections into a no-op while it waits
            # for output, so the consumers' thread may still hold the connection of its last
            # check: hand it back, as a server would (else the test database cannot be dropped).
            await aclose_old_connections()
            # The live state and the socket slots keep a Redis client per event loop for the
            # life of the process (one loop in a server); this loop ends here, and its
            # connections would stay open to the end of the run. The channel layer closes its
            # own (as it does when a loop closes), then the rest are closed.
            await get_channel_layer().flush()
            for pool in pools:
                await pool.disconnect()

    make_pool = ConnectionPool.__init__
    asyncio.run(whole())


def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def db(function: Callable, *args, **kwargs):
    """Await `function(*args, **kwargs)` run in a worker thread with its own connection."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # back to the pool: the test database can be dropped

    return sync_to_async(call, thread_sensitive=False)()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Socket(WebsocketCommunicator):
    """One browser tab's socket on a project."""

    async def next(self, timeout: float = WAIT_SECONDS) -> dict:
        return json.loads(await self.receive_from(timeout))

    async def next_of(self, kind: str, timeout: float = WAIT_SECONDS, **match) -> dict:
        """The next message of type `kind` (whose fields equal `match`), skipping others."""
        while True:
            message = await self.next(timeout)
            if message["type"] == kind and all(message.get(k) == v for k, v in match.items()):
                return message

    async def send(self, message: dict) -> None:
        await self.send_json_to(message)

    async def closed_with(self, timeout: float = WAIT_SECONDS) -> int:
        """The close code, once the server closes this socket (messages before it are skipped)."""
        while True:
            output = await self.receive_output(timeout)
            if output["type"] == "websocket.close":
                return output.get("code", 1000)


async def open_socket(
    project_id: int, cookie: str | None = None, origin: bytes | None = ORIGIN
) -> tuple[Socket, bool]:
    """A socket on the project, connected: (socket, accepted at the handshake)."""
    headers = [(b"host", HOST)]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    socket = Socket(application, f"/ws/projects/{project_id}/", headers=headers)
    accepted, _ = await socket.connect(timeout=WAIT_SECONDS)
    return socket, accepted


async def member_socket(project_id: int, user) -> tuple[Socket, dict]:
    """A member's connected socket and the snapshot it got."""
    socket, accepted = await open_socket(project_id, await db(session_cookie, user))
    assert accepted
    return socket, await socket.next_of("snapshot")


@pytest.fixture
def live_keys(settings):
    """No sequence counter or presence left from an earlier test with the same project ids."""
    redis = Redis.from_url(settings.REDIS_URL)
    for key in redis.scan_iter("live:*"):
        redis.delete(key)
    yield
    redis.close()
