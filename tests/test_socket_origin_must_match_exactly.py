"""The project socket opens only from a page of this very site: the Origin of the handshake must
be the request's own origin, scheme, host and port (the Host header, which must be one of
ALLOWED_HOSTS), or one of CSRF_TRUSTED_ORIGINS. Another port of the same machine, the other
scheme or another allowed host name is refused at the handshake, before the session is read."""

import asyncio

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from config.asgi import application
from tests.conftest import Cast
from tests.socket_helpers import WAIT_SECONDS, Socket, db, run, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

SITE = "127.0.0.1:8000"


async def handshake(
    project_id: int, cookie: str, origin: str | None, host: str | None = SITE, scheme: str = "ws"
) -> bool:
    """Whether the socket is accepted at the handshake (members then get a snapshot)."""
    headers = [(b"cookie", cookie.encode())]
    if host is not None:
        headers.append((b"host", host.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    socket = Socket(application, f"/ws/projects/{project_id}/", headers=headers)
    socket.scope["scheme"] = scheme  # as a server sets it: ws, or wss behind TLS
    accepted, _ = await socket.connect(timeout=WAIT_SECONDS)
    if accepted:
        assert (await socket.next_of("snapshot"))["project"]["id"] == project_id
        await socket.disconnect()
    return accepted


def outcome(cast: Cast, origin: str | None, **kwargs) -> bool:
    result = []

    async def scenario():
        cookie = await db(session_cookie, cast.owner)
        result.append(await handshake(cast.project.pk, cookie, origin, **kwargs))

    run(scenario())
    return result[0]


def test_the_sites_own_origin_is_accepted(cast: Cast) -> None:
    assert outcome(cast, f"http://{SITE}")


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:9999",  # another program on the same machine
        "http://127.0.0.1",  # the same host on port 80
        "https://127.0.0.1:8000",  # the other scheme
        "http://localhost:8000",  # another allowed host name than the one the page is on
        "http://evil.example:8000",
        "ws://127.0.0.1:8000",
        "http://127.0.0.1:8000/page",
        "http://user@127.0.0.1:8000",
        "null",  # a sandboxed frame, a file:// page
        "",
    ],
)
def test_any_other_origin_is_refused(cast: Cast, origin: str) -> None:
    assert not outcome(cast, origin)


def test_a_handshake_without_an_origin_or_a_host_is_refused(cast: Cast) -> None:
    assert not outcome(cast, None)
    assert not outcome(cast, f"http://{SITE}", host=None)


def test_a_host_outside_allowed_hosts_is_refused_even_with_its_own_origin(cast: Cast) -> None:
    """DNS rebinding: a name of the attacker's that resolves to this server."""
    assert not outcome(cast, "http://rebound.example:8000", host="rebound.example:8000")


def test_default_ports_are_the_same_origin_written_or_not(cast: Cast) -> None:
    assert outcome(cast, "http://localhost", host="localhost:80")
    assert outcome(cast, "http://localhost:80", host="localhost")


def test_behind_tls_only_the_https_origin_is_accepted(cast: Cast) -> None:
    assert outcome(cast, "https://localhost", host="localhost", scheme="wss")
    assert not outcome(cast, "http://localhost", host="localhost", scheme="wss")


def test_a_trusted_origin_is_accepted_exactly(cast: Cast, settings) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://studio.example", "https://*.films.example"]

    assert outcome(cast, "https://studio.example")
    assert outcome(cast, "https://cut.films.example")
    assert not outcome(cast, "http://studio.example")
    assert not outcome(cast, "https://studio.example:8443")
    assert not outcome(cast, "https://films.example.evil")


def test_through_the_real_server_another_port_is_refused(cast: Cast, live_server) -> None:
    """uvicorn's handshake carries the browser's Host: the page's own origin opens the socket
    (an anonymous visitor is then closed with 4403), one port further is refused with a 403."""
    url = f"ws://localhost:{live_server.port}/ws/projects/{cast.project.pk}/"

    async def scenario():
        async with connect(url, origin=f"http://localhost:{live_server.port}") as socket:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(socket.recv(), WAIT_SECONDS)
            assert socket.close_code == 4403
        with pytest.raises(InvalidStatus) as refused:
            async with connect(url, origin=f"http://localhost:{live_server.port + 1}"):
                pass
        assert refused.value.response.status_code == 403

    asyncio.run(scenario())
