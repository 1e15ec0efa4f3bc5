"""A running render whose heartbeat went stale (its worker died) is taken over: by the task the
broker redelivers or by the reaper, exactly once however many try, after the short render stale
time (a provider job, or a render still queued, waits for the long one), its lost claim's
partial files removed; one that keeps losing its worker fails instead of looping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import dispatch, lost_renders, pipeline, transitions
from jobs.choices import JobState
from jobs.models import CreditAccount, GenerationJob
from jobs.snapshot import takes_dir
from tests.job_helpers import queued_job

RENDER = dispatch.LOCAL_PROVIDERS["animatic"]


@pytest.fixture(autouse=True)
def stale_times(settings):
    settings.JOBS_RENDER_STALE_SECONDS = 20
    settings.JOBS_STALE_SECONDS = 300


def rendering(cast, silent_for: float) -> GenerationJob:
    """An animatic job claimed by its first task (step 0 → 1), last heard of `silent_for` ago."""
    job = queued_job(cast.editor, cast.sequence)
    claimed = transitions.claim(job.pk, 0, [JobState.QUEUED], state=JobState.RUNNING)
    assert claimed is not None
    heard = timezone.now() - timedelta(seconds=silent_for)
    GenerationJob.objects.filter(pk=job.pk).update(heartbeat_at=heard, progress=0.4)
    return GenerationJob.objects.get(pk=job.pk)


def test_the_redelivered_task_takes_over_a_silent_render_and_a_second_taker_loses(cast, sent_tasks):
    job = rendering(cast, silent_for=30)

    first = pipeline.running_claim(job.pk, 0)  # the task whose first delivery claimed it
    second = pipeline.running_claim(job.pk, 0)

    assert first is not None
    assert (first.state, first.step, first.attempts, first.progress) == (JobState.RUNNING, 2, 1, 0)
    assert second is None
    assert pipeline.resume_stalled_jobs() == 0  # beating again, under its new claim


def test_a_render_still_beating_is_left_alone_and_looked_at_again_once_it_could_be_silent(
    cast, sent_tasks
):
    job = rendering(cast, silent_for=1)

    assert pipeline.running_claim(job.pk, 0) is None
    assert sent_tasks == [(RENDER, job.pk, 1)]  # the look again carries the job's step
    assert pipeline.running_claim(job.pk, 1) is None  # still beating: nothing more is sent
    assert sent_tasks == [(RENDER, job.pk, 1)]
    job.refresh_from_db()
    assert (job.state, job.step) == (JobState.RUNNING, 1)


def test_the_reaper_gives_a_silent_render_back_to_the_queue_once(cast, sent_tasks):
    job = rendering(cast, silent_for=30)

    assert pipeline.resume_stalled_jobs() == 1
    assert pipeline.resume_stalled_jobs() == 0

    job.refresh_from_db()
    assert (job.state, job.step, job.progress) == (JobState.QUEUED, 2, 0)
    assert sent_tasks == [(RENDER, job.pk, 2)]
    assert pipeline.running_claim(job.pk, 2).state == JobState.RUNNING


def test_only_a_running_render_is_silent_after_the_short_stale_time(cast, sent_tasks):
    queued = queued_job(cast.editor, cast.sequence)  # its message may wait behind a backlog
    GenerationJob.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=60))

    assert pipeline.resume_stalled_jobs() == 0
    assert pipeline.running_claim(queued.pk, 5) is None
    assert sent_tasks == []


def test_the_lost_claims_partial_file_is_removed_when_the_render_is_taken_over(
    cast, sent_tasks, media_root
):
    job = rendering(cast, silent_for=30)
    lost = takes_dir(cast.project.pk, job.pk) / "1"
    lost.mkdir(parents=True)
    (lost / ".video-abc.mp4.part").write_bytes(b"half a video")

    taken = pipeline.running_claim(job.pk, 0)

    assert taken is not None
    assert not list(media_root.rglob("*.part"))


def test_a_render_that_keeps_losing_its_worker_fails_instead_of_looping(cast, sent_tasks):
    job = rendering(cast, silent_for=30)
    GenerationJob.objects.filter(pk=job.pk).update(attempts=lost_renders.MAX_TAKEOVERS)

    assert pipeline.running_claim(job.pk, 0) is None

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error_code == "render_lost"
    assert "stopped 3 times" in job.error_message
    assert CreditAccount.objects.get(user=cast.editor).balance == 100
    assert sent_tasks == []
