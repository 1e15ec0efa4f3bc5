"""A render whose worker is killed (SIGKILL: the whole worker, or only the pool child doing the
work) is taken over as soon as its heartbeat goes stale, not after the long silence allowed to
provider jobs: it runs again, ends with a playable take, frees its place in the user's in-flight
limit, and leaves no partial (`.part`) file behind.

The workers run with the production silence for provider jobs (JOBS_STALE_SECONDS, minutes) and
a short render stale time, so only the render rule can bring the job back within the bounds.
"""

import os
import signal
from pathlib import Path

import pytest
from django.urls import reverse

from jobs.choices import ACTIVE_STATES, FINAL_STATES, JobState
from jobs.models import GenerationJob, Take
from jobs.probe import probe_video
from tests.worker_fixtures import wait_for

PROVIDER_STALE_SECONDS = "300"  # the production default: a provider job may be silent this long
RENDER_STALE_SECONDS = "8"
# From the kill to the job claimed again: the render stale time plus a worker's start, the
# reaper's period and a loaded machine's delays, far below the provider silence.
RESUME_SECONDS = 45
FINISH_SECONDS = 90


@pytest.fixture
def render_workers(workers, settings):
    workers.env.update(
        JOBS_STALE_SECONDS=PROVIDER_STALE_SECONDS, JOBS_RENDER_STALE_SECONDS=RENDER_STALE_SECONDS
    )
    settings.JOBS_STALE_SECONDS = float(PROVIDER_STALE_SECONDS)
    settings.JOBS_RENDER_STALE_SECONDS = float(RENDER_STALE_SECONDS)
    settings.JOBS_MAX_IN_FLIGHT_PER_USER = 1
    return workers


def generate(cast):
    return cast.client("editor").post(
        reverse("api-sequence-generate", args=[cast.sequence.pk]), {"provider": "animatic"}
    )


def rendering(cast) -> GenerationJob:
    """An animatic job of the editor's, well into its render (a .part file being written)."""
    cast.sequence.quality = "1080p"  # slow enough to be killed mid-way
    cast.sequence.save()
    response = generate(cast)
    assert response.status_code == 202, response.content
    job = GenerationJob.objects.get(pk=response.json()["id"])
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).progress > 0.1, 60, "the render never began"
    )
    job.refresh_from_db()
    return job


def pool_children(worker_pid: int) -> list[int]:
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def part_files(media_root: Path) -> list[Path]:
    return list(media_root.rglob("*.part"))


def resumed_after(job: GenerationJob, claimed_step: int) -> bool:
    """Claimed again since the kill (its step fence moved on), or already over."""
    job.refresh_from_db()
    return job.step > claimed_step or job.state in FINAL_STATES


def assert_finishes_with_a_playable_take(cast, job: GenerationJob, media_root: Path) -> None:
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).state in FINAL_STATES,
        FINISH_SECONDS,
        "the resumed render did not finish",
    )
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, (job.error_code, job.error_message)
    take = Take.objects.get(job=job)
    assert probe_video(media_root / take.video.name).duration == pytest.approx(9, abs=0.1)
    assert not GenerationJob.objects.filter(created_by=cast.editor, state__in=ACTIVE_STATES)
    assert part_files(media_root) == []


def test_a_render_whose_whole_worker_is_killed_is_taken_over_after_the_short_stale_time(
    cast, render_workers, media_root
):
    first = render_workers.start("render", pool="prefork", concurrency=1)
    job = rendering(cast)
    assert part_files(media_root)  # the render is writing
    assert generate(cast).status_code == 429  # it fills the editor's one place in flight

    render_workers.kill(first)
    render_workers.start(beat=True)

    wait_for(lambda: resumed_after(job, job.step), RESUME_SECONDS, "the render was not resumed")
    assert_finishes_with_a_playable_take(cast, job, media_root)
    again = generate(cast)  # its place in flight is free again
    assert again.status_code == 202, again.content
    cast.client("editor").post(reverse("api-job-cancel", args=[again.json()["id"]]))


def test_a_render_whose_pool_child_is_killed_is_taken_over_by_its_redelivered_task(
    cast, render_workers, media_root
):
    # No beat: only the task the worker redelivers can bring the job back.
    worker = render_workers.start("render", pool="prefork", concurrency=1)
    job = rendering(cast)
    (child,) = pool_children(worker.pid)

    os.kill(child, signal.SIGKILL)

    wait_for(lambda: resumed_after(job, job.step), RESUME_SECONDS, "the render was not resumed")
    assert_finishes_with_a_playable_take(cast, job, media_root)
    again = generate(cast)
    assert again.status_code == 202, again.content
    cast.client("editor").post(reverse("api-job-cancel", args=[again.json()["id"]]))
