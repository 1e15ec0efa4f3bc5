"""A `.part` file (a take being written) never outlives its job: it is removed when the job
ends in any state, and beat's sweep removes those no running claim is writing (of a job that
ended or is gone, or of an earlier claim of a job in flight), leaving the one being written."""

import os
import time
from pathlib import Path

import pytest

from jobs import actions, tasks, transitions
from jobs.choices import JobState
from jobs.snapshot import takes_dir
from tests.job_helpers import delivered_take, queued_job

LONG_AGO = time.time() - 3600


def partial(cast, job, claim: int, *, written_at: float | None = None) -> Path:
    directory = takes_dir(cast.project.pk, job.pk) / str(claim)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ".video-abc.mp4.part"
    path.write_bytes(b"half a video")
    if written_at is not None:
        os.utime(path, (written_at, written_at))
    return path


ENDINGS = {
    "failed": lambda job: actions.fail_job(job.pk, "render_failed", "boom"),
    "canceled": lambda job: actions.cancel_job(job),
    "succeeded": delivered_take,
}


@pytest.mark.parametrize("ending", ENDINGS, ids=list(ENDINGS))
def test_a_job_that_ends_leaves_no_part_file(
    cast, media_root, ending, django_capture_on_commit_callbacks
):
    job = queued_job(cast.editor, cast.sequence)
    left = partial(cast, job, claim=7)  # a claim whose worker was killed

    with django_capture_on_commit_callbacks(execute=True):
        ENDINGS[ending](job)

    assert not left.exists()
    assert not list(media_root.rglob("*.part"))


def test_the_sweep_removes_the_part_files_no_running_claim_writes(cast, media_root):
    ended = queued_job(cast.editor, cast.sequence)
    actions.fail_job(ended.pk, "render_failed", "boom")
    of_ended = partial(cast, ended, claim=1, written_at=LONG_AGO)
    running = queued_job(cast.editor, cast.sequence)
    transitions.claim(running.pk, 0, [JobState.QUEUED], state=JobState.RUNNING)
    transitions.claim(running.pk, 1, [JobState.RUNNING])  # taken over: now at claim 2
    of_lost_claim = partial(cast, running, claim=1, written_at=LONG_AGO)
    being_written = partial(cast, running, claim=2, written_at=LONG_AGO)
    gone = takes_dir(cast.project.pk, 10**9) / "1" / ".video.mp4.part"
    gone.parent.mkdir(parents=True)
    gone.write_bytes(b"")
    os.utime(gone, (LONG_AGO, LONG_AGO))
    just_written = partial(cast, ended, claim=2)  # its writer may still be closing it

    assert tasks.remove_stray_part_files() == 3

    assert not of_ended.exists()
    assert not of_lost_claim.exists()
    assert not gone.exists()
    assert being_written.exists()
    assert just_written.exists()
