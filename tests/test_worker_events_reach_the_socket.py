"""Events made in a Celery worker process reach a socket held by another process (this one) over
the Redis channel layer: an animatic job's whole life, numbered by the shared counter with no
gap, its progress rising and throttled to at most 5 events a second."""

import time

import pytest

from storyboard_app.models import Shot
from tests.conftest import Cast
from tests.job_helpers import queued_job
from tests.socket_helpers import db, member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

# The first event of the worker waits for it to take the job; the last for the encoder.
EVENT_SECONDS = 30.0
PROGRESS_PER_SECOND = 5


def most_in_one_second(times: list[float]) -> int:
    return max((sum(1 for t in times if start <= t < start + 1) for start in times), default=0)


def test_an_animatic_job_s_events_reach_the_socket_numbered_and_throttled(
    cast: Cast, workers
) -> None:
    # The longest sequence there is, in full HD: a render of a few seconds.
    cast.sequence.quality = "1080p"
    cast.sequence.save()
    Shot.objects.filter(sequence=cast.sequence).update(duration=5)
    workers.start("render", pool="prefork", concurrency=1)

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.viewer)
        job = await db(queued_job, cast.editor, cast.sequence)
        received: list[tuple[float, dict]] = []
        while not received or received[-1][1]["type"] != "take.created":
            event = await socket.next(EVENT_SECONDS)
            received.append((time.monotonic(), event))
        assert await socket.receive_nothing(0.5)  # nothing after the take
        events = [event for _, event in received]

        queued, *running, succeeded, created = events
        assert queued["type"] == succeeded["type"] == "job.updated"
        assert {event["type"] for event in running} == {"job.updated"}
        assert {event["job"]["id"] for event in events[:-1]} == {job.pk}
        assert queued["job"]["state"] == "queued"
        assert {event["job"]["state"] for event in running} == {"running"}
        progress = [event["job"]["progress"] for event in running]
        assert progress == sorted(progress), progress  # never falling
        assert len(set(progress)) >= 3, progress  # it moved as the frames were drawn
        assert progress[-1] < 1
        times = [when for when, event in received[1:-2]]
        assert most_in_one_second(times) <= PROGRESS_PER_SECOND, progress
        assert (succeeded["job"]["state"], succeeded["job"]["progress"]) == ("succeeded", 1)
        assert created["type"] == "take.created"
        assert created["take"]["job"] == job.pk
        assert created["take"]["video_url"].endswith("/video.mp4")
        # One counter for both processes: every number after the snapshot, once, in order.
        assert [event["seq"] for event in events] == list(
            range(snapshot["seq"] + 1, snapshot["seq"] + 1 + len(events))
        )
        await socket.disconnect()

    run(scenario())
