"""Jobs made on our own workers: the animatic renderer (`render` queue) and the instant
provider of the benchmarks.

The render runs inside one task, but it is not blind: between frames it writes a conditional
heartbeat (with its progress) that also tells it whether it still owns the job; a cancel or a
takeover stops it at the next check. When its worker dies the heartbeat stops, and the render
is taken over within seconds (jobs/lost_renders.py).
"""

import logging
import shutil
import time

from django.db.models import Q
from django.db.models.functions import Now

from animatic.render import RenderCanceled, render
from jobs import actions, events
from jobs.choices import JobState
from jobs.models import GenerationJob
from jobs.pipeline import deliver_files, running_claim, take_dir
from jobs.providers.instant import write_clip
from jobs.snapshot import inputs_dir

logger = logging.getLogger(__name__)

# How often a render checks it still owns its job and saves its progress (each check is one
# UPDATE and, when the progress moved, one event). The check is the render's heartbeat: it must
# be far shorter than JOBS_RENDER_STALE_SECONDS, after which a silent render is taken over.
OWNERSHIP_CHECK_SECONDS = 0.5
# Progress stops short of 1 until the take is saved.
RENDER_PROGRESS_CAP = 0.98


class _Lease:
    """The running render's hold on its job: a heartbeat that fails once the job was canceled
    or taken over (its step moved on)."""

    def __init__(self, job: GenerationJob) -> None:
        self.job = job
        self.progress = 0.0
        self.checked_at = 0.0
        self.lost = False

    def report(self, fraction: float) -> None:
        self.progress = min(fraction, 1.0) * RENDER_PROGRESS_CAP

    def cancelled(self) -> bool:
        if self.lost or time.monotonic() - self.checked_at < OWNERSHIP_CHECK_SECONDS:
            return self.lost
        self.checked_at = time.monotonic()
        moved = round(self.progress, 3) != round(self.job.progress, 3)
        fields = {"heartbeat_at": Now()}  # the database's clock, as staleness is read
        if moved:
            fields["progress"] = round(self.progress, 3)
        held = GenerationJob.objects.filter(
            Q(pk=self.job.pk, step=self.job.step, state=JobState.RUNNING)
        ).update(**fields)
        self.lost = held != 1
        if moved and not self.lost:
            self.job.progress = fields["progress"]
            events.job_updated(self.job)
        return self.lost


def render_job(job_id: int, step: int) -> None:
    """Render an animatic job into its take."""
    job = running_claim(job_id, step)
    if job is None:
        return
    events.job_updated(job)
    directory = take_dir(job)
    directory.mkdir(parents=True, exist_ok=True)
    lease = _Lease(job)
    try:
        result = render(
            job.request,
            inputs_dir(job.project_id, job.external_task_id),
            directory / "video.mp4",
            progress=lease.report,
            cancelled=lease.cancelled,
        )
    except RenderCanceled:
        shutil.rmtree(directory, ignore_errors=True)
        return
    except Exception as error:  # a renderer bug or bad input must fail the job, not hang it
        logger.exception("job %s: render failed", job.pk)
        shutil.rmtree(directory, ignore_errors=True)
        # Only while it still holds the job: a render taken over (its files removed under it)
        # must not fail the claim that replaced it.
        message = f"The animatic could not be rendered: {error}"
        actions.fail_job(job.pk, "render_failed", message, at_step=job.step)
        return
    deliver_files(job, directory / "video.mp4", result.poster, result.thumbnails)


def make_instant_take(job_id: int, step: int) -> None:
    """The instant provider: a stock clip as the take, at once."""
    job = running_claim(job_id, step)
    if job is None:
        return
    directory = take_dir(job)
    directory.mkdir(parents=True, exist_ok=True)
    write_clip(job.request["seconds"], directory / "video.mp4")
    deliver_files(job, directory / "video.mp4", directory / "poster.jpg")
