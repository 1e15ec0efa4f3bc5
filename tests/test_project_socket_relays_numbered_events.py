"""Every change of a project reaches every open socket on it, numbered, after commit; a client
that misses a number asks for a snapshot, which holds every change numbered up to its own."""

import pytest
from django.urls import reverse

from plumbing.live_state import live_state
from storyboard_app.models import Shot
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.socket_helpers import db, member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]


def shot_url(shot: Shot) -> str:
    return reverse("api-shot", args=[shot.pk])


def patch_shot(cast: Cast, who: str, shot: Shot, **fields):
    shot.refresh_from_db()
    return cast.client(who).patch(
        shot_url(shot), {"version": shot.version, **fields}, format="json"
    )


def test_an_edit_reaches_the_other_members_as_the_next_numbered_event(cast: Cast) -> None:
    async def scenario():
        viewer, snapshot = await member_socket(cast.project.pk, cast.viewer)
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        joined = await viewer.next_of("presence")  # the owner arrived
        response = await db(patch_shot, cast, "editor", cast.shots[1], text="The gull lands")
        assert response.status_code == 200
        event = await viewer.next()
        assert event["type"] == "shot.updated"
        assert event["seq"] == joined["seq"] + 1 > snapshot["seq"]
        assert (event["shot"]["id"], event["shot"]["text"]) == (cast.shots[1].pk, "The gull lands")
        assert event["shot"]["version"] == response.json()["version"]
        assert (await owner.next_of("shot.updated"))["seq"] == event["seq"]
        await viewer.disconnect()
        await owner.disconnect()

    run(scenario())


def test_adding_resizing_reordering_and_deleting_shots_arrive_in_order(cast: Cast) -> None:
    sequence = cast.sequence
    first, second, third = cast.shots

    def edit():
        client = cast.client("editor")
        added = client.post(
            reverse("api-sequence-shots", args=[sequence.pk]), {"duration": 4}, format="json"
        ).json()
        patch_shot(cast, "editor", second, duration=6)
        order = [third.pk, added["id"], first.pk, second.pk]
        client.post(reverse("api-sequence-reorder", args=[sequence.pk]), {"shot_ids": order})
        client.delete(shot_url(first))
        sequence.refresh_from_db()
        client.patch(
            reverse("api-sequence", args=[sequence.pk]),
            {"version": sequence.version, "title": "Harbour"},
            format="json",
        )
        return added["id"], order

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.viewer)
        added, order = await db(edit)
        seen = [await socket.next() for _ in range(6)]
        assert [event["type"] for event in seen] == [
            "shot.updated",  # the new shot
            "shots.reordered",  # the positions it made
            "shot.updated",  # the resize
            "shots.reordered",
            "shot.deleted",  # the others keep their order
            "sequence.updated",
        ]
        assert [event["seq"] for event in seen] == list(
            range(snapshot["seq"] + 1, snapshot["seq"] + 7)
        )
        assert seen[0]["shot"]["id"] == added
        assert seen[2]["shot"]["duration"] == 6
        assert seen[3]["shot_ids"] == order
        assert seen[4] == {
            "type": "shot.deleted",
            "sequence": sequence.pk,
            "shot": first.pk,
            "seq": seen[4]["seq"],
        }
        assert seen[5]["sequence"]["title"] == "Harbour"
        await socket.disconnect()

    run(scenario())


def test_job_progress_and_the_finished_take_arrive(cast: Cast, media_root) -> None:
    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.viewer)
        job = await db(queued_job, cast.editor, cast.sequence)
        queued = await socket.next_of("job.updated")
        assert (queued["job"]["id"], queued["job"]["state"]) == (job.pk, "queued")
        take = await db(delivered_take, job)
        done = await socket.next_of("job.updated")
        assert (done["job"]["state"], done["job"]["progress"]) == ("succeeded", 1)
        created = await socket.next_of("take.created")
        assert created["take"]["id"] == take.pk
        assert created["take"]["video_url"].endswith("/video.mp4")
        assert done["seq"] < created["seq"]
        await socket.disconnect()

    run(scenario())


def test_a_client_that_missed_an_event_catches_up_with_a_snapshot(cast: Cast) -> None:
    """An event lost on the way (here: numbered, never sent) shows as a gap in the numbers;
    the snapshot the client then asks for holds the change and the number it reached."""

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.viewer)
        lost = await live_state().next_seq(cast.project.pk)
        await db(Shot.objects.filter(pk=cast.shots[0].pk).update, text="Changed meanwhile")
        await db(patch_shot, cast, "editor", cast.shots[2], text="Seen")
        event = await socket.next()
        assert event["seq"] == lost + 1 == snapshot["seq"] + 2  # a gap: lost was never seen
        await socket.send({"type": "snapshot"})
        fresh = await socket.next_of("snapshot")
        assert fresh["seq"] >= event["seq"]
        texts = [shot["text"] for shot in fresh["sequences"][0]["shots"]]
        assert texts == ["Changed meanwhile", "Shot 2 action", "Seen"]
        await socket.disconnect()

    run(scenario())


def test_a_reconnecting_client_gets_a_snapshot_with_what_it_missed(cast: Cast) -> None:
    async def scenario():
        socket, before = await member_socket(cast.project.pk, cast.viewer)
        await socket.disconnect()
        await db(patch_shot, cast, "editor", cast.shots[0], text="While away")
        socket, after = await member_socket(cast.project.pk, cast.viewer)
        assert after["seq"] > before["seq"]
        assert after["sequences"][0]["shots"][0]["text"] == "While away"
        await socket.disconnect()

    run(scenario())


def test_a_viewer_receives_events_but_cannot_edit(cast: Cast, db_rows) -> None:
    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.viewer)
        before = await db(db_rows)
        refused = await db(patch_shot, cast, "viewer", cast.shots[0], text="Mine now")
        assert refused.status_code == 403
        assert await db(db_rows) == before
        # No event for a refused edit; the socket only offers what a viewer may do.
        assert await socket.receive_nothing(0.3)
        await socket.send({"type": "shot.update", "shot": cast.shots[0].pk, "text": "Mine now"})
        error = await socket.next()
        assert error["type"] == "error"
        assert error["message"].startswith("Unknown message type 'shot.update'")
        assert await db(db_rows) == before
        await db(patch_shot, cast, "editor", cast.shots[0], text="By the editor")
        assert (await socket.next_of("shot.updated"))["shot"]["text"] == "By the editor"
        await socket.disconnect()

    run(scenario())


NOT_JSON = "A message is JSON text of at most 2000 characters."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", NOT_JSON),
        ('{"type": "ping"' + " " * 2000 + "}", NOT_JSON),
        ("[1, 2]", "Unknown message type None; expected one of snapshot, ping, select."),
        ('{"type": "select", "shot": "2"}', "No such shot in this project."),
    ],
)
def test_a_bad_message_gets_an_error_and_the_socket_stays_open(cast, text, message) -> None:
    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.editor)
        await socket.send_to(text_data=text)
        assert await socket.next() == {"type": "error", "message": message}
        await socket.send({"type": "ping"})
        assert (await socket.next())["type"] == "pong"
        await socket.disconnect()

    run(scenario())


def test_a_client_sending_in_a_loop_is_slowed_down_not_served(cast: Cast) -> None:
    async def scenario():
        socket, _ = await member_socket(cast.project.pk, cast.editor)
        for _ in range(30):
            await socket.send({"type": "ping"})
        answers = [(await socket.next())["type"] for _ in range(30)]
        assert answers.count("pong") <= 21  # the burst, and what refilled meanwhile
        assert answers.count("error") >= 9
        await socket.disconnect()

    run(scenario())
