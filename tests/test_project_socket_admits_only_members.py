"""The project socket: members get a snapshot of the project; everyone else is closed with 4403."""

import pytest

from storyboard_app.models import Membership
from tests.conftest import Cast
from tests.socket_helpers import db, member_socket, open_socket, run, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_a_member_gets_a_snapshot_of_the_project_with_their_role(cast: Cast, who: str) -> None:
    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, getattr(cast, who))
        assert snapshot["you"]["role"] == who
        assert snapshot["project"]["id"] == cast.project.pk
        [sequence] = snapshot["sequences"]
        assert [shot["id"] for shot in sequence["shots"]] == [shot.pk for shot in cast.shots]
        assert sequence["validation"]["ok"] in (True, False)
        assert snapshot["jobs"] == []
        assert snapshot["takes"] == []
        assert isinstance(snapshot["seq"], int)
        # They are present, under their own connection.
        [present] = snapshot["presence"]
        assert present["connection"] == snapshot["you"]["connection"]
        assert (present["user"], present["name"]) == (getattr(cast, who).pk, who)
        await socket.disconnect()

    run(scenario())


def test_an_outsider_is_closed_with_4403_and_learns_nothing(cast: Cast) -> None:
    async def scenario():
        cookie = await db(session_cookie, cast.outsider)
        socket, accepted = await open_socket(cast.project.pk, cookie)
        assert accepted
        output = await socket.receive_output(5)
        assert output == {"type": "websocket.close", "code": 4403}
        assert await socket.receive_nothing(0.3)

    run(scenario())


def test_an_anonymous_visitor_is_closed_with_4403(cast: Cast) -> None:
    async def scenario():
        socket, accepted = await open_socket(cast.project.pk)
        assert accepted
        assert await socket.closed_with() == 4403

    run(scenario())


def test_a_project_that_does_not_exist_looks_the_same_as_one_of_others(cast: Cast) -> None:
    async def scenario():
        cookie = await db(session_cookie, cast.owner)
        missing = cast.project.pk + 1000
        socket, accepted = await open_socket(missing, cookie)
        assert accepted
        assert await socket.closed_with() == 4403

    run(scenario())


@pytest.mark.parametrize("origin", [b"http://evil.example", None])
def test_a_page_of_another_site_cannot_open_the_socket(cast: Cast, origin) -> None:
    """The origin check refuses at the handshake, before the session is even read: another site
    cannot ride on a member's cookie."""

    async def scenario():
        cookie = await db(session_cookie, cast.owner)
        _, accepted = await open_socket(cast.project.pk, cookie, origin=origin)
        assert not accepted

    run(scenario())


def test_a_new_member_is_admitted_once_added(cast: Cast) -> None:
    async def scenario():
        cookie = await db(session_cookie, cast.outsider)
        socket, _ = await open_socket(cast.project.pk, cookie)
        assert await socket.closed_with() == 4403
        await db(Membership.objects.create, project=cast.project, user=cast.outsider, role="viewer")
        socket, snapshot = await member_socket(cast.project.pk, cast.outsider)
        assert snapshot["you"]["role"] == "viewer"
        await socket.disconnect()

    run(scenario())
