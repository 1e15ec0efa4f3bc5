"""Presence on the project socket: every open connection (each tab, so one user may have two) is
announced when it arrives, when it selects a shot and when it leaves; a newcomer's snapshot
lists everyone present with the shot they have selected; an entry nobody confirms any more
(its process died) drops out after PRESENCE_TTL_SECONDS, and a ping keeps one's own fresh."""

import time

import pytest

from plumbing.live_state import PRESENCE_TTL_SECONDS, live_state
from storyboard_app import actions
from storyboard_app.models import Project
from tests.conftest import Cast
from tests.socket_helpers import db, member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

QUIET_SECONDS = 0.3
NO_SUCH_SHOT = {"type": "error", "message": "No such shot in this project."}


def row(snapshot: dict, user, shot: int | None = None) -> dict:
    """The presence row of the connection that got `snapshot`."""
    connection = snapshot["you"]["connection"]
    return {"connection": connection, "user": user.pk, "name": user.username, "shot": shot}


def announced(event: dict) -> dict:
    """A presence event without its sequence number."""
    assert event["type"] == "presence"
    return {key: value for key, value in event.items() if key not in ("type", "seq")}


async def stored(project_id: int, connection: str) -> dict | None:
    present = await live_state().presence(project_id)
    return next((entry for entry in present if entry["connection"] == connection), None)


def foreign_shot(cast: Cast) -> int:
    """A shot of the outsider's own project."""
    project = Project.objects.get(owner=cast.outsider)
    return actions.add_shot(project.sequences.get(), {"duration": 3, "text": "Theirs"}).pk


def shot_of_the_editors_other_project(cast: Cast) -> int:
    """A shot the editor may see, but in a project of their own."""
    project = actions.create_project(cast.editor, "Editor's short")
    return actions.add_shot(project.sequences.get(), {"duration": 3, "text": "Mine"}).pk


def test_a_member_who_joins_is_announced_to_those_already_there(cast: Cast) -> None:
    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, joined = await member_socket(cast.project.pk, cast.editor)
        event = await owner.next()
        assert announced(event) == row(joined, cast.editor)
        assert event["seq"] == joined["seq"]  # the snapshot already holds the arrival
        assert await editor.receive_nothing(QUIET_SECONDS)  # not told of oneself
        await owner.disconnect()
        await editor.disconnect()

    run(scenario())


def test_a_selected_shot_is_announced_to_everyone_and_selecting_nothing_clears_it(
    cast: Cast,
) -> None:
    shot = cast.shots[1].pk

    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, joined = await member_socket(cast.project.pk, cast.editor)
        await owner.next_of("presence")
        await editor.send({"type": "select", "shot": shot})
        for socket in (owner, editor):
            assert announced(await socket.next()) == row(joined, cast.editor, shot)
        assert (await stored(cast.project.pk, joined["you"]["connection"]))["shot"] == shot
        # The same shot again changes nothing and says nothing.
        await editor.send({"type": "select", "shot": shot})
        assert await owner.receive_nothing(QUIET_SECONDS)
        await editor.send({"type": "select", "shot": None})
        for socket in (owner, editor):
            assert announced(await socket.next()) == row(joined, cast.editor, None)
        assert (await stored(cast.project.pk, joined["you"]["connection"]))["shot"] is None
        await owner.disconnect()
        await editor.disconnect()

    run(scenario())


def test_a_shot_of_another_project_or_not_a_shot_id_is_refused_and_nothing_is_announced(
    cast: Cast,
) -> None:
    async def scenario():
        refused = [
            await db(foreign_shot, cast),  # the outsider's
            await db(shot_of_the_editors_other_project, cast),
            cast.shots[-1].pk + 1000,  # no such shot
            2**70,  # nor one the database could hold
            str(cast.shots[0].pk),
            cast.shots[0].pk + 0.5,
            True,
            [cast.shots[0].pk],
            {"id": cast.shots[0].pk},
        ]
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, joined = await member_socket(cast.project.pk, cast.editor)
        await owner.next_of("presence")
        await editor.send({"type": "select", "shot": cast.shots[2].pk})
        await owner.next_of("presence")
        await editor.next_of("presence")
        for shot in refused:
            await editor.send({"type": "select", "shot": shot})
            assert await editor.next() == NO_SUCH_SHOT, shot
        assert await owner.receive_nothing(QUIET_SECONDS)
        # The earlier selection stands, and the socket stays open.
        entry = await stored(cast.project.pk, joined["you"]["connection"])
        assert entry["shot"] == cast.shots[2].pk
        await editor.send({"type": "ping"})
        assert await editor.next() == {"type": "pong"}
        await owner.disconnect()
        await editor.disconnect()

    run(scenario())


def test_a_member_who_leaves_is_announced_as_left(cast: Cast) -> None:
    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, joined = await member_socket(cast.project.pk, cast.editor)
        await owner.next_of("presence")
        await editor.send({"type": "select", "shot": cast.shots[0].pk})
        await owner.next_of("presence")
        await editor.disconnect()
        event = await owner.next()
        assert announced(event) == {"left": True, **row(joined, cast.editor, None)}
        assert await stored(cast.project.pk, joined["you"]["connection"]) is None
        await owner.disconnect()

    run(scenario())


def test_a_newcomer_s_snapshot_lists_everyone_present_with_their_selected_shots(
    cast: Cast,
) -> None:
    first, _, third = (shot.pk for shot in cast.shots)

    async def scenario():
        owner, owner_snapshot = await member_socket(cast.project.pk, cast.owner)
        editor, editor_snapshot = await member_socket(cast.project.pk, cast.editor)
        await owner.send({"type": "select", "shot": first})
        await editor.send({"type": "select", "shot": third})
        # Both selections made (each is stored before it is announced).
        await owner.next_of("presence", shot=third)
        await editor.next_of("presence", shot=first)
        viewer, snapshot = await member_socket(cast.project.pk, cast.viewer)
        # In the order they arrived.
        assert snapshot["presence"] == [
            row(owner_snapshot, cast.owner, first),
            row(editor_snapshot, cast.editor, third),
            row(snapshot, cast.viewer, None),
        ]
        for socket in (owner, editor, viewer):
            await socket.disconnect()

    run(scenario())


def test_two_tabs_of_one_user_are_two_connections(cast: Cast) -> None:
    async def scenario():
        owner, owner_snapshot = await member_socket(cast.project.pk, cast.owner)
        tab1, first = await member_socket(cast.project.pk, cast.editor)
        tab2, second = await member_socket(cast.project.pk, cast.editor)
        assert first["you"]["connection"] != second["you"]["connection"]
        arrivals = [announced(await owner.next()) for _ in range(2)]
        assert arrivals == [row(first, cast.editor), row(second, cast.editor)]
        # Each tab selects on its own.
        await tab1.send({"type": "select", "shot": cast.shots[0].pk})
        assert announced(await owner.next()) == row(first, cast.editor, cast.shots[0].pk)
        await tab1.disconnect()
        assert announced(await owner.next()) == {"left": True, **row(first, cast.editor)}
        # The other tab is still there, with nothing selected.
        viewer, snapshot = await member_socket(cast.project.pk, cast.viewer)
        assert snapshot["presence"] == [
            row(owner_snapshot, cast.owner),
            row(second, cast.editor),
            row(snapshot, cast.viewer),
        ]
        for socket in (owner, tab2, viewer):
            await socket.disconnect()

    run(scenario())


def test_an_entry_whose_process_died_is_not_in_the_next_snapshot(cast: Cast) -> None:
    """A server process that died could not say goodbye: its entries stay in Redis, unconfirmed,
    until they are older than the TTL."""

    def entry(connection: str, user, seen: float) -> dict:
        shown = {"connection": connection, "user": user.pk, "name": user.username, "shot": None}
        return {**shown, "since": seen - 600, "seen": seen}

    async def scenario():
        now = time.time()
        ghost = entry("ghost", cast.editor, now - PRESENCE_TTL_SECONDS - 5)
        quiet = entry("quiet", cast.viewer, now - PRESENCE_TTL_SECONDS + 5)  # within its TTL
        for written in (ghost, quiet):
            await live_state().put_presence(cast.project.pk, written)
        owner, snapshot = await member_socket(cast.project.pk, cast.owner)
        assert [entry["connection"] for entry in snapshot["presence"]] == [
            "quiet",
            snapshot["you"]["connection"],
        ]
        # The ghost is gone from the store too, for every process.
        assert await stored(cast.project.pk, "ghost") is None
        await owner.disconnect()

    run(scenario())


def test_a_ping_keeps_ones_own_entry_fresh(cast: Cast) -> None:
    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, joined = await member_socket(cast.project.pk, cast.editor)
        await owner.next_of("presence")
        connection = joined["you"]["connection"]
        # Its entry was last confirmed almost a TTL ago.
        entry = await stored(cast.project.pk, connection)
        aged = {**entry, "seen": time.time() - PRESENCE_TTL_SECONDS + 1}
        await live_state().put_presence(cast.project.pk, aged)
        before = time.time()
        await editor.send({"type": "ping"})
        assert await editor.next() == {"type": "pong"}
        entry = await stored(cast.project.pk, connection)
        assert before <= entry["seen"] <= time.time()
        assert entry["since"] == aged["since"]  # the same connection, confirmed
        assert await owner.receive_nothing(QUIET_SECONDS)  # a ping announces nothing
        await owner.disconnect()
        await editor.disconnect()

    run(scenario())
