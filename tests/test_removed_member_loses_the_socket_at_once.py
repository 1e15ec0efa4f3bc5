"""A membership that ends, by any path (a future "remove member" action, the admin, the project's
deletion), closes every socket that member has open on the project with 4403 at once, without
waiting for a ping or a reconnect; a changed role sends the member's sockets a fresh snapshot."""

import time

import pytest

from storyboard_app import actions
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project
from tests.conftest import Cast
from tests.socket_helpers import db, member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

# "At once": the close follows the commit, not the next ping (20 s) or a reconnect.
AT_ONCE_SECONDS = 2.0
QUIET_SECONDS = 0.3


def remove(project: Project, user) -> None:
    Membership.objects.filter(project=project, user=user).delete()


def change_role(project: Project, user, role: str) -> None:
    membership = Membership.objects.get(project=project, user=user)
    membership.role = role
    membership.save()


def editor_joins_the_outsiders_project(cast: Cast) -> Project:
    project = Project.objects.get(owner=cast.outsider)
    Membership.objects.create(project=project, user=cast.editor, role=Role.EDITOR)
    return project


def test_removing_a_member_closes_all_their_sockets_and_tells_the_others(cast: Cast) -> None:
    async def scenario():
        other_project = await db(editor_joins_the_outsiders_project, cast)
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        tab1, first = await member_socket(cast.project.pk, cast.editor)
        tab2, second = await member_socket(cast.project.pk, cast.editor)
        elsewhere, _ = await member_socket(other_project.pk, cast.editor)
        connections = {first["you"]["connection"], second["you"]["connection"]}
        for _ in connections:
            await owner.next_of("presence")
        start = time.monotonic()
        await db(remove, cast.project, cast.editor)
        assert await tab1.closed_with(AT_ONCE_SECONDS) == 4403
        assert await tab2.closed_with(AT_ONCE_SECONDS) == 4403
        assert time.monotonic() - start < AT_ONCE_SECONDS
        left = [await owner.next() for _ in connections]
        assert {event.pop("connection") for event in left} == connections
        for event in left:
            event.pop("seq")
            assert event == {
                "type": "presence",
                "left": True,
                "user": cast.editor.pk,
                "name": "editor",
                "shot": None,
            }
        # Those events went to the project's group; the closed sockets are out of it.
        for tab in (tab1, tab2):
            assert await tab.receive_nothing(QUIET_SECONDS)
        # The owner's socket stays open, and the removed member is no longer listed.
        await owner.send({"type": "snapshot"})
        snapshot = await owner.next_of("snapshot")
        assert [entry["user"] for entry in snapshot["presence"]] == [cast.owner.pk]
        # Their socket on a project they still belong to is untouched.
        await elsewhere.send({"type": "ping"})
        assert await elsewhere.next() == {"type": "pong"}
        await owner.disconnect()
        await elsewhere.disconnect()

    run(scenario())


def test_a_member_whose_role_changes_gets_a_snapshot_with_the_new_role(cast: Cast) -> None:
    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        editor, before = await member_socket(cast.project.pk, cast.editor)
        await owner.next_of("presence")
        assert before["you"]["role"] == "editor"
        await db(change_role, cast.project, cast.editor, Role.VIEWER)
        after = await editor.next(AT_ONCE_SECONDS)
        assert after["type"] == "snapshot"
        assert after["you"] == {"connection": before["you"]["connection"], "role": "viewer"}
        assert await owner.receive_nothing(QUIET_SECONDS)  # others' roles did not change
        # A save that leaves the role as it was sends nothing.
        await db(change_role, cast.project, cast.editor, Role.VIEWER)
        assert await editor.receive_nothing(QUIET_SECONDS)
        await editor.send({"type": "ping"})
        assert await editor.next() == {"type": "pong"}
        await owner.disconnect()
        await editor.disconnect()

    run(scenario())


def test_deleting_the_project_closes_every_member_s_socket(cast: Cast) -> None:
    async def scenario():
        sockets = [
            (await member_socket(cast.project.pk, user))[0]
            for user in (cast.owner, cast.editor, cast.viewer)
        ]
        await db(actions.delete_project, cast.project)
        for socket in sockets:
            assert await socket.closed_with(AT_ONCE_SECONDS) == 4403

    run(scenario())
