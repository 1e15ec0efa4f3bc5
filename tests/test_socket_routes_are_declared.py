"""Every WebSocket route, every role; every client message, every member role.

The WebSocket half of the authorization matrix (the HTTP half is tests/permission_tables/,
checked by tests/test_permissions_of_every_endpoint.py). `SOCKET_TABLE` declares, for each route
of `websocket_urlpatterns`, what each of the eight roles gets when it opens the socket with its
session cookie and the site's Origin: the snapshot (members, with their role in `you.role`) or
the close code 4403 (everyone else, after the handshake: the browser must learn not to come
back). `MESSAGE_TABLE` declares which roles may send each message type of `consumers.MESSAGES`.
The walkers fail when a route or a message type has no declaration, so neither can ship
unprotected.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from channels.routing import URLRouter
from django.urls import URLPattern, URLResolver

from config.asgi import application
from editor.consumers import CLOSE_FORBIDDEN, MESSAGES, ProjectConsumer
from editor.routing import websocket_urlpatterns
from storyboard_app.access import may
from tests.conftest import Cast
from tests.role_helpers import MEMBERS, ROLES, FullCast, role_label, with_more_roles
from tests.socket_helpers import HOST, ORIGIN, WAIT_SECONDS, Socket, db, run, session_cookie

SNAPSHOT = "snapshot"
QUIET_SECONDS = 0.3


def sockets(test):
    """A test that opens sockets: the consumer's database thread needs committed data, and no
    sequence counter or presence of an earlier test may linger in Redis."""
    marks = (pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys"))
    for mark in marks:
        test = mark(test)
    return test


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    """conftest's cast with a commenter of the project, a moderator and a staff user."""
    return with_more_roles(cast)


def members_only() -> dict:
    """Members get a snapshot; anonymous visitors and the strangers are closed with 4403."""
    return {role: SNAPSHOT if role in MEMBERS else CLOSE_FORBIDDEN for role in ROLES}


@dataclass(frozen=True)
class SocketRoute:
    route: str  # as written in the routing
    consumer: type
    path: Callable[[Cast], str]
    expect: dict  # role → SNAPSHOT or the close code


SOCKET_TABLE = [
    SocketRoute(
        "ws/projects/<id:project_id>/",
        ProjectConsumer,
        lambda cast: f"/ws/projects/{cast.project.pk}/",
        members_only(),
    ),
]


@dataclass(frozen=True)
class Message:
    roles: tuple[str, ...]  # the roles that may send it (sockets of others never open)
    body: Callable[[Cast], dict]
    reply: str  # the type of the answer when it is allowed
    match: Callable[[Cast, str], dict] = lambda cast, role: {}  # fields the answer must have


MESSAGE_TABLE = {
    "snapshot": Message(
        MEMBERS,
        lambda cast: {"type": "snapshot"},
        "snapshot",
        lambda cast, role: {"you": {"role": role}, "project": {"id": cast.project.pk}},
    ),
    "ping": Message(MEMBERS, lambda cast: {"type": "ping"}, "pong"),
    "select": Message(
        MEMBERS,
        lambda cast: {"type": "select", "shot": cast.shots[1].pk},
        "presence",
        lambda cast, role: {"shot": cast.shots[1].pk, "user": getattr(cast, role).pk},
    ),
}


# Opening a socket as a role


async def open_as(cast: FullCast, role: str | None, path: str) -> tuple[Socket, bool]:
    headers = [(b"host", HOST), (b"origin", ORIGIN)]
    if role is not None:
        cookie = await db(session_cookie, getattr(cast, role))
        headers.append((b"cookie", cookie.encode()))
    socket = Socket(application, path, headers=headers)
    accepted, _ = await socket.connect(timeout=WAIT_SECONDS)
    return socket, accepted


# The declarations are complete


def _socket_routes(patterns, prefix: str = ""):
    """(full route, consumer class) of every WebSocket route, nested routers included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _socket_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern.callback, URLRouter):
            yield from _socket_routes(pattern.callback.routes, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "consumer_class", None)


def test_the_socket_route_walker_sees_the_project_socket():
    assert ("ws/projects/<id:project_id>/", ProjectConsumer) in set(
        _socket_routes(websocket_urlpatterns)
    )


def test_every_socket_route_is_declared():
    declared = {(entry.route, entry.consumer) for entry in SOCKET_TABLE}
    undeclared = [route for route in _socket_routes(websocket_urlpatterns) if route not in declared]

    assert undeclared == [], "add these routes to SOCKET_TABLE"


def test_the_socket_table_declares_no_route_that_does_not_exist_and_every_role():
    routes = set(_socket_routes(websocket_urlpatterns))

    assert [e.route for e in SOCKET_TABLE if (e.route, e.consumer) not in routes] == []
    assert [e.route for e in SOCKET_TABLE if set(e.expect) != set(ROLES)] == []


def test_every_message_type_is_declared():
    assert set(MESSAGE_TABLE) == set(MESSAGES), "declare who may send each message type"


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_the_declared_senders_are_those_the_access_table_allows(kind):
    """No role outside the members may send anything (their socket is closed at once); among
    the members, the declaration and `ROLE_PERMISSIONS` agree."""
    declared = MESSAGE_TABLE[kind].roles

    assert set(declared) <= set(MEMBERS)
    assert [role for role in MEMBERS if may(role, MESSAGES[kind]) != (role in declared)] == []


# Each role gets what is declared


@pytest.mark.parametrize(
    ("entry", "role"),
    [
        pytest.param(entry, role, id=f"{entry.route} as {role_label(role)}")
        for entry in SOCKET_TABLE
        for role in ROLES
    ],
)
@sockets
def test_each_role_gets_the_declared_outcome_on_opening_the_socket(
    entry: SocketRoute, role, cast: FullCast
):
    expected = entry.expect[role]

    async def scenario():
        socket, accepted = await open_as(cast, role, entry.path(cast))
        # Accepted either way: a refusal before the handshake reaches the browser as a bare
        # failure, without the code that tells it not to come back.
        assert accepted
        if expected == SNAPSHOT:
            snapshot = await socket.next_of("snapshot")
            assert snapshot["you"]["role"] == role
            assert snapshot["project"]["id"] == cast.project.pk
            await socket.disconnect()
            return
        assert await socket.closed_with() == expected
        # A closed socket learns nothing more, whatever it sends.
        await socket.send({"type": "snapshot"})
        assert await socket.receive_nothing(QUIET_SECONDS)

    run(scenario())


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        pytest.param(kind, role, id=f"{kind} by {role}")
        for kind in sorted(MESSAGE_TABLE)
        for role in MEMBERS
    ],
)
@sockets
def test_each_member_role_may_send_the_declared_messages(kind: str, role: str, cast: FullCast):
    message = MESSAGE_TABLE[kind]

    async def scenario():
        socket, accepted = await open_as(cast, role, f"/ws/projects/{cast.project.pk}/")
        assert accepted
        await socket.next_of("snapshot")
        await socket.send(message.body(cast))
        if role in message.roles:
            answer = await socket.next_of(message.reply)
            for key, value in message.match(cast, role).items():
                if isinstance(value, dict):
                    assert {k: answer[key][k] for k in value} == value, answer
                else:
                    assert answer[key] == value, answer
        else:
            error = await socket.next_of("error")
            assert error["message"] == "You can view this project but not change it."
        await socket.disconnect()

    run(scenario())
