"""A job's progress events go out at most 5 times a second: the first at once, the ones in
between held and replaced by newer ones, the latest flushed when the interval ends (so the last
progress before a pause is never lost); a new phase or the final event goes out at once and
drops what was held, so nothing stale can follow it."""

import asyncio
import threading
import time

import pytest

from plumbing import publisher
from plumbing.throttle import ProgressThrottle, Throttled
from tests.conftest import Cast
from tests.socket_helpers import WAIT_SECONDS, member_socket, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_keys")]

# The fake clock counts in seconds; times and the interval are exact binary fractions.
INTERVAL = 1.0
RUNNING = Throttled("job:1", "running")


def test_the_first_event_of_a_job_is_sent_at_once() -> None:
    throttle = ProgressThrottle(INTERVAL)
    assert throttle.offer(RUNNING, "10%", now=100.0) == (True, None)


def test_events_inside_the_interval_are_held_and_the_newest_replaces_the_older() -> None:
    throttle = ProgressThrottle(INTERVAL)
    throttle.offer(RUNNING, "10%", now=100.0)
    assert throttle.offer(RUNNING, "11%", now=100.25) == (False, 101.0)
    assert throttle.offer(RUNNING, "12%", now=100.5) == (False, None)  # already scheduled
    assert throttle.due("job:1", now=100.75) is None  # not yet
    assert throttle.due("job:1", now=101.0) == "12%"
    assert throttle.due("job:1", now=101.5) is None  # flushed once


def test_the_held_event_is_flushed_with_the_latest_value_and_starts_the_next_window() -> None:
    throttle = ProgressThrottle(INTERVAL)
    throttle.offer(RUNNING, "10%", now=100.0)
    throttle.offer(RUNNING, "11%", now=100.5)
    throttle.offer(RUNNING, "15%", now=100.75)
    assert throttle.due("job:1", now=101.125) == "15%"  # a timer may fire a little late
    # The flush counts as a send: the next event waits for the window after it.
    assert throttle.offer(RUNNING, "16%", now=101.5) == (False, 102.125)
    assert throttle.due("job:1", now=102.125) == "16%"
    # After a quiet interval an event goes out at once again.
    assert throttle.offer(RUNNING, "20%", now=104.0) == (True, None)


def test_one_flush_is_scheduled_per_window() -> None:
    throttle = ProgressThrottle(INTERVAL)
    throttle.offer(RUNNING, 0, now=0.0)
    scheduled, flushed, pending = [], [], None
    for step in range(1, 80):  # 5 s of events every 1/16 s, each flush done when due
        now = step / 16
        if pending is not None and pending <= now:
            flushed.append(throttle.due("job:1", now=pending))
            pending = None
        send, flush_at = throttle.offer(RUNNING, step, now=now)
        assert not send
        if flush_at is not None:
            assert pending is None
            scheduled.append(pending := flush_at)
    assert scheduled == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert flushed == [15, 31, 47, 63]  # each time the latest offered


@pytest.mark.parametrize("state", ["succeeded", "failed", "canceled"])
def test_a_final_event_goes_out_at_once_and_drops_what_was_held(state: str) -> None:
    throttle = ProgressThrottle(INTERVAL)
    throttle.offer(RUNNING, "10%", now=100.0)
    send, flush_at = throttle.offer(RUNNING, "40%", now=100.5)
    assert not send
    ending = Throttled("job:1", state, final=True)
    assert throttle.offer(ending, state, now=100.75) == (True, None)
    # The flush scheduled before the end finds nothing: no 40% after it.
    assert throttle.due("job:1", now=flush_at) is None
    # An end is never held, even right after another one.
    assert throttle.offer(ending, state, now=100.875) == (True, None)


def test_a_new_phase_goes_out_at_once_and_drops_what_was_held() -> None:
    throttle = ProgressThrottle(INTERVAL)
    submitted = Throttled("job:1", "submitted")
    throttle.offer(submitted, "submitted 5%", now=100.0)
    send, flush_at = throttle.offer(submitted, "submitted 6%", now=100.25)
    assert not send
    assert throttle.offer(RUNNING, "running 0%", now=100.5) == (True, None)
    assert throttle.due("job:1", now=flush_at) is None
    # The new phase has a window of its own.
    assert throttle.offer(RUNNING, "running 1%", now=100.75) == (False, 101.5)
    assert throttle.due("job:1", now=101.5) == "running 1%"


def test_jobs_are_throttled_independently() -> None:
    throttle = ProgressThrottle(INTERVAL)
    other = Throttled("job:2", "running")
    assert throttle.offer(RUNNING, "a1", now=100.0) == (True, None)
    assert throttle.offer(other, "b1", now=100.25) == (True, None)
    assert throttle.offer(RUNNING, "a2", now=100.5) == (False, 101.0)
    assert throttle.offer(other, "b2", now=100.5) == (False, 101.25)
    assert throttle.offer(Throttled("job:2", "succeeded", final=True), "b3", now=100.75)[0]
    assert throttle.due("job:1", now=101.0) == "a2"  # job 2's end dropped only its own
    assert throttle.due("job:2", now=101.25) is None


def test_a_timer_firing_a_tick_early_still_flushes() -> None:
    throttle = ProgressThrottle(INTERVAL)
    throttle.offer(RUNNING, "10%", now=100.0)
    throttle.offer(RUNNING, "11%", now=100.5)
    assert throttle.due("job:1", now=100.999) == "11%"


def test_jobs_that_went_quiet_are_forgotten() -> None:
    """A web process sends the first event of every job and rarely its last: it must not keep
    a key per job it ever saw."""
    throttle = ProgressThrottle(INTERVAL)
    for job in range(1000):
        throttle.offer(Throttled(f"job:{job}", "queued"), "queued", now=float(job) / 100)
    throttle.offer(Throttled("job:busy", "running"), "1%", now=20.0)
    throttle.offer(Throttled("job:busy", "running"), "2%", now=20.5)  # held
    throttle.offer(Throttled("job:new", "running"), "1%", now=21.0)
    assert set(throttle._tracks) == {"job:busy", "job:new"}
    assert throttle.due("job:busy", now=21.0) == "2%"


def job_event(progress: float, state: str = "running") -> dict:
    return {"type": "job.updated", "job": {"id": 1, "state": state, "progress": progress}}


def test_a_second_of_progress_reaches_the_socket_at_most_five_times_a_second(cast: Cast) -> None:
    """Through the real publisher (its thread, its timers) and Redis, from sync code."""
    project_id = cast.project.pk
    key = f"job:throttle-test-{time.monotonic_ns()}"
    offered = [round((i + 1) / 50, 3) for i in range(40)]
    last_seen = threading.Event()
    offering: dict[str, float] = {}

    def offer_progress():
        offering["start"] = time.monotonic()
        for i, progress in enumerate(offered):
            publisher.send_now(project_id, job_event(progress), Throttled(key, "running"))
            time.sleep(max(0.0, offering["start"] + (i + 1) * 0.025 - time.monotonic()))
        offering["end"] = time.monotonic()
        # The trailing edge: the last progress goes out when its interval ends.
        last_seen.wait(WAIT_SECONDS)
        final = job_event(1, "succeeded")
        publisher.send_now(project_id, final, Throttled(key, "succeeded", final=True))

    async def scenario():
        socket, snapshot = await member_socket(project_id, cast.viewer)
        thread = threading.Thread(target=offer_progress, daemon=True)
        thread.start()
        received = []
        while True:
            event = await socket.next_of("job.updated")
            received.append(event)
            if event["job"]["progress"] == offered[-1]:
                last_seen.set()
            if event["job"]["state"] != "running":
                break
        await asyncio.to_thread(thread.join)
        running = [event["job"]["progress"] for event in received[:-1]]
        assert offering["end"] - offering["start"] == pytest.approx(1, abs=0.2)
        assert 3 <= len(running) <= 6, running  # 5 a second, plus the one at the boundary
        assert running == sorted(set(running))
        assert running[0] == offered[0]
        assert running[-1] == offered[-1]
        assert received[-1]["job"] == {"id": 1, "state": "succeeded", "progress": 1}
        seqs = [event["seq"] for event in received]
        assert seqs == list(range(snapshot["seq"] + 1, snapshot["seq"] + 1 + len(received)))
        # Nothing held is flushed after the end.
        assert await socket.receive_nothing(publisher.PROGRESS_INTERVAL_SECONDS * 2)
        await socket.disconnect()

    run(scenario())
