"""Renders whose worker died: taken over as soon as their heartbeat goes stale.

A render on our own workers heartbeats every half second while it works (jobs/local.py,
`OWNERSHIP_CHECK_SECONDS`), so a running render silent for `JOBS_RENDER_STALE_SECONDS` (20 s,
much shorter than `JOBS_STALE_SECONDS`, which must outlast a provider's longest wait) lost its
worker. Whichever comes first takes it over:

- the task the broker redelivers. A killed pool child has its message put back at once
  (acks_late with CELERY_TASK_REJECT_ON_WORKER_LOST); that task finds the job running at the
  step its own lost delivery claimed and renders it again. Arriving before the heartbeat is
  stale, it sends itself to look once more when it will be (no sleeping in the worker).
- the reaper (beat, every `JOBS_REAPER_SECONDS`), which gives the job back to the queue. This
  covers a whole worker killed: Redis hands its unacknowledged messages out again only after
  the broker's visibility timeout (an hour).

Each takeover is one conditional UPDATE of the step fence on a still-silent heartbeat
(transitions.take_over): of two takers one wins, and an owner that was only frozen loses its
lease at its next check. The lost claim's partial files are removed at once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models.expressions import Combinable
from django.db.models.functions import Now
from django.utils import timezone

from jobs import actions, dispatch, events, partial_files, transitions
from jobs.choices import JobState
from jobs.models import GenerationJob

logger = logging.getLogger(__name__)

# A render that lost its worker this many times fails instead of being taken over again: one
# that kills its worker every time (memory, a crash in the encoder) must not loop.
MAX_TAKEOVERS = 2
LOST_TOO_OFTEN = (
    "The animatic could not be rendered: the worker rendering it stopped {times} times. "
    "Try again; a shorter sequence or a lower quality renders with less memory."
)
# The look again comes this long after the heartbeat should have gone stale.
LOOK_AGAIN_MARGIN_SECONDS = 1.0


def silent_since() -> Combinable:
    """A running render whose heartbeat is older than this lost its worker. Read on the
    database's clock, as heartbeats are written: with a stale time of seconds, the clocks of
    the hosts must not decide."""
    return Now() - timedelta(seconds=settings.JOBS_RENDER_STALE_SECONDS)


def take_over(job_id: int, step: int) -> GenerationJob | None:
    """The render task carrying `step` takes its job from a silent owner: the job is running at
    `step` (a look again, or the reaper's older task) or at `step + 1` (claimed by an earlier
    delivery of this very task, whose worker died). The job as it is now, or None."""
    # Its render starts again from the beginning.
    job = transitions.take_over(job_id, [step, step + 1], silent_since(), progress=0)
    if job is None:
        _look_again_when_silent(job_id, step)
        return None
    logger.warning("job %s: its render went silent; taken over (claim %s)", job.pk, job.step)
    if _gave_up(job):
        return None
    partial_files.remove_parts(job.project_id, job.pk, keep_step=job.step)
    return job


def requeue(stalled: GenerationJob) -> bool:
    """The reaper's part: give a silent render back to the queue and send it its task; False
    when it spoke meanwhile, or another taker won."""
    job = transitions.take_over(
        stalled.pk, [stalled.step], silent_since(), state=JobState.QUEUED, progress=0
    )
    if job is None:
        return False
    logger.warning("job %s: its render went silent; back to the queue", job.pk)
    if not _gave_up(job):
        partial_files.remove_parts(job.project_id, job.pk)
        events.job_updated(job)
        dispatch.send(dispatch.task_for(job.provider, job.state), job.pk, job.step)
    return True


def _gave_up(job: GenerationJob) -> bool:
    """Fail the job just taken over if it lost its worker too often (its partial files go with
    the failure)."""
    if job.attempts <= MAX_TAKEOVERS:
        return False
    message = LOST_TOO_OFTEN.format(times=job.attempts)
    actions.fail_job(job.pk, "render_lost", message, at_step=job.step)
    return True


def _look_again_when_silent(job_id: int, step: int) -> None:
    """This task's own earlier delivery holds the job and its heartbeat is still fresh: the
    worker that died beat a moment ago, or (a message handed out twice) it is alive. Look
    again once the heartbeat would be stale; that look carries the job's step, so it never
    sends another."""
    job = (
        GenerationJob.objects.filter(pk=job_id, step=step + 1, state=JobState.RUNNING)
        .only("pk", "step", "provider", "heartbeat_at")
        .first()
    )
    if job is None or job.heartbeat_at is None:
        return
    stale_at = job.heartbeat_at + timedelta(seconds=settings.JOBS_RENDER_STALE_SECONDS)
    wait = (stale_at - timezone.now()).total_seconds() + LOOK_AGAIN_MARGIN_SECONDS
    dispatch.send(dispatch.LOCAL_PROVIDERS[job.provider], job.pk, job.step, max(wait, 0))
