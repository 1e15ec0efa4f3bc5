"""One user holds at most SOCKETS_PER_USER_PER_PROJECT sockets on a project and SOCKETS_PER_USER in
all, counted in Redis across processes: one more is closed with 4429 and a reason; a closed
socket gives its slot back, and a slot its process never gave back (it crashed) stops counting
once it has not been confirmed for SLOT_TTL_SECONDS."""

import time

import pytest
from redis import Redis

from editor import consumers
from editor.consumers import CLOSE_TOO_MANY_SOCKETS
from plumbing.live_state import live_state
from plumbing.socket_slots import (
    SLOT_TTL_SECONDS,
    SOCKETS_PER_USER,
    SOCKETS_PER_USER_PER_PROJECT,
    project_key,
    user_key,
)
from storyboard_app import actions
from tests.conftest import Cast
from tests.socket_helpers import db, member_socket, open_socket, run, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]


@pytest.fixture
def redis(settings):
    client = Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


async def refused(project_id: int, cookie: str) -> dict:
    """The close message of a socket that is accepted, then closed at once."""
    socket, accepted = await open_socket(project_id, cookie)
    assert accepted
    output = await socket.receive_output(5)
    assert output["type"] == "websocket.close", output
    assert await socket.receive_nothing(0.3)
    return output


def test_one_socket_more_than_the_limit_on_a_project_is_closed_with_4429(cast: Cast) -> None:
    async def scenario():
        cookie = await db(session_cookie, cast.editor)
        sockets = [
            (await member_socket(cast.project.pk, cast.editor))[0]
            for _ in range(SOCKETS_PER_USER_PER_PROJECT)
        ]
        closed = await refused(cast.project.pk, cookie)
        assert closed["code"] == CLOSE_TOO_MANY_SOCKETS
        assert f"at most {SOCKETS_PER_USER_PER_PROJECT}" in closed["reason"]
        assert len(closed["reason"].encode()) <= 123  # what a close frame can carry
        # The refused socket was never present.
        present = await live_state().presence(cast.project.pk)
        assert len(present) == SOCKETS_PER_USER_PER_PROJECT
        # Other members are not counted against the editor.
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        await owner.disconnect()
        # One closed tab frees one slot.
        await sockets.pop().disconnect()
        again, _ = await member_socket(cast.project.pk, cast.editor)
        sockets.append(again)
        assert (await refused(cast.project.pk, cookie))["code"] == CLOSE_TOO_MANY_SOCKETS
        for socket in sockets:
            await socket.disconnect()

    run(scenario())


def test_one_socket_more_than_the_limit_over_all_projects_is_closed_with_4429(cast: Cast) -> None:
    projects_needed = -(-SOCKETS_PER_USER // SOCKETS_PER_USER_PER_PROJECT) + 1
    projects = [cast.project.pk] + [
        actions.create_project(cast.editor, f"Short {n}").pk for n in range(projects_needed - 1)
    ]

    async def scenario():
        cookie = await db(session_cookie, cast.editor)
        sockets = []
        for n in range(SOCKETS_PER_USER):
            project_id = projects[n // SOCKETS_PER_USER_PER_PROJECT]
            sockets.append((await member_socket(project_id, cast.editor))[0])
        closed = await refused(projects[-1], cookie)
        assert closed["code"] == CLOSE_TOO_MANY_SOCKETS
        assert f"at most {SOCKETS_PER_USER})" in closed["reason"]
        await sockets.pop().disconnect()
        last, _ = await member_socket(projects[-1], cast.editor)
        await last.disconnect()
        for socket in sockets:
            await socket.disconnect()

    run(scenario())


def test_slots_of_a_crashed_process_stop_counting_and_their_keys_expire(cast: Cast, redis) -> None:
    """Slots taken by a process that died: confirmed long ago, never given back."""
    user, project = cast.editor.pk, cast.project.pk
    long_ago = time.time() - SLOT_TTL_SECONDS - 1
    for n in range(SOCKETS_PER_USER):
        for key in (user_key(user), project_key(user, project)):
            redis.zadd(key, {f"ghost-{n}": long_ago})

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.editor)
        # The ghosts were swept; the live socket holds the only slot, in keys that expire.
        for key in (user_key(user), project_key(user, project)):
            assert redis.zrange(key, 0, -1) == [snapshot["you"]["connection"].encode()]
            assert 0 < redis.ttl(key) <= SLOT_TTL_SECONDS
        await socket.disconnect()
        for key in (user_key(user), project_key(user, project)):
            assert redis.zcard(key) == 0

    run(scenario())


def test_a_ping_confirms_the_slot(cast: Cast, redis) -> None:
    key = project_key(cast.editor.pk, cast.project.pk)

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.editor)
        connection = snapshot["you"]["connection"]
        redis.zadd(key, {connection: time.time() - SLOT_TTL_SECONDS / 2})
        before = redis.zscore(key, connection)
        await socket.send({"type": "ping"})
        await socket.next_of("pong")
        assert redis.zscore(key, connection) > before + SLOT_TTL_SECONDS / 4
        await socket.disconnect()

    run(scenario())


def test_a_socket_that_crashes_gives_its_slot_back(cast: Cast, redis, monkeypatch) -> None:
    def broken(*args):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(consumers, "_shot_in_project", broken)

    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.editor)
        await socket.send({"type": "select", "shot": cast.shots[0].pk})
        with pytest.raises(RuntimeError):
            await socket.receive_output(1)  # the crash shows once nothing came
        assert redis.zcard(project_key(cast.editor.pk, cast.project.pk)) == 0
        assert redis.zcard(user_key(cast.editor.pk)) == 0

    run(scenario())
