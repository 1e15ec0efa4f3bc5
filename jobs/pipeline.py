"""The steps of a generation, one per Celery task, and the reaper that resumes stalled jobs.

Each step takes `(job_id, step)`, claims the job (transitions.claim: a conditional UPDATE of
its fence), does one piece of work, and schedules the next step with a countdown instead of
sleeping. A duplicated or redelivered task carries an old step and does nothing (but a render
task takes over its render once that went silent, see jobs/lost_renders.py). Every wait is
written to the job as its next expected sign of life (`heartbeat_at`), so the reaper resumes a
job only when its owner really went silent (a worker killed mid-job, a lost message).
"""

import logging
import random
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from jobs import actions, dispatch, events, lost_renders, transitions
from jobs.choices import JobState
from jobs.models import GenerationJob, RemoteElement
from jobs.probe import UnreadableVideo, probe_video, write_poster
from jobs.providers.base import Pending, ProviderError, TaskState, TaskStatus
from jobs.registry import callback_url, remote_provider
from jobs.snapshot import inputs_dir, takes_dir

logger = logging.getLogger(__name__)

REMOTE_ACTIVE = (JobState.SUBMITTED, JobState.RUNNING)
# Progress shown while a provider works (it reports none): elapsed time against what a video
# of that length usually takes, never past RUNNING_PROGRESS_CAP until it is delivered.
EXPECTED_BASE_SECONDS = 30
EXPECTED_SECONDS_PER_VIDEO_SECOND = 6
SUBMITTED_PROGRESS = 0.05
RUNNING_PROGRESS_CAP = 0.9
REAPER_BATCH = 500
# Task statuses in provider callbacks that end a task (Kling legacy `succeed`, new `succeeded`).
FINAL_PROVIDER_STATUSES = ("succeed", "succeeded", "failed")
UNREADABLE_RESULT = (
    "The provider's video could not be read. Generate again; this one was not charged."
)
TIMED_OUT = "The generation took too long and was stopped; you were refunded. Try again."


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter for the `attempt`-th retry (1, 2, …)."""
    ceiling = min(
        settings.JOBS_RETRY_MAX_SECONDS, settings.JOBS_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    )
    return random.uniform(ceiling / 2, ceiling)


def poll_interval(job: GenerationJob) -> float:
    """The wait before the next poll: grows with the time the provider has had the job."""
    if callback_url(job.provider):
        first, longest = (
            settings.JOBS_POLL_WITH_CALLBACKS_FIRST_SECONDS,
            settings.JOBS_POLL_WITH_CALLBACKS_MAX_SECONDS,
        )
    else:
        first, longest = settings.JOBS_POLL_FIRST_SECONDS, settings.JOBS_POLL_MAX_SECONDS
    since = job.submitted_at or job.created_at
    elapsed = (timezone.now() - since).total_seconds()
    # A little jitter spreads the polls of jobs submitted together.
    return min(longest, max(first, elapsed / 2)) * random.uniform(0.9, 1.1)


def _schedule(job: GenerationJob, task: str, countdown: float) -> None:
    if transitions.expect_next(job.pk, job.step, countdown):
        dispatch.send(task, job.pk, job.step, countdown)


def _gave_up(job: GenerationJob) -> bool:
    age = (timezone.now() - job.queued_at).total_seconds()
    return age > settings.JOBS_GIVE_UP_SECONDS


def _retry_or_fail(job: GenerationJob, error: ProviderError, task: str) -> None:
    if error.retryable and not _gave_up(job):
        GenerationJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
        logger.info("job %s: %s, retrying", job.pk, error)
        _schedule(job, task, backoff(job.attempts + 1))
        return
    actions.fail_job(
        job.pk,
        error.code,
        error.user_message,
        content_refused=error.content_refusal,
        provider_said=str(error),
    )


def _remember_elements(job: GenerationJob, registered: dict) -> None:
    hashes = job.request.get("element_hashes", {})
    for ref, remote_id in registered.items():
        if str(ref) in hashes:
            RemoteElement.objects.get_or_create(
                element_id=int(ref),
                provider=job.provider,
                content_hash=hashes[str(ref)],
                defaults={"remote_id": str(remote_id)},
            )


def start_job(job_id: int, step: int) -> None:
    """Submit a remote job (or go on preparing its submission)."""
    job = transitions.claim(job_id, step, [JobState.QUEUED])
    if job is None:
        return
    provider = remote_provider(job.provider)
    try:
        outcome = provider.submit(
            job.request,
            inputs_dir=inputs_dir(job.project_id, job.external_task_id),
            external_task_id=job.external_task_id,
            callback_url=callback_url(job.provider),
            pending_state=job.provider_state or None,
        )
    except ProviderError as error:
        _retry_or_fail(job, error, dispatch.START_REMOTE)
        return
    if isinstance(outcome, Pending):
        GenerationJob.objects.filter(pk=job.pk, step=job.step).update(provider_state=outcome.state)
        _schedule(job, dispatch.START_REMOTE, outcome.retry_after)
        return
    _remember_elements(job, outcome.registered)
    with transaction.atomic():
        moved = transitions.move(
            job.pk,
            [JobState.QUEUED],
            JobState.SUBMITTED,
            provider_task_id=outcome.task_id,
            submitted_at=timezone.now(),
            progress=SUBMITTED_PROGRESS,
        )
        if moved:
            job.refresh_from_db()
            events.job_updated(job)
    if moved:
        _schedule(job, dispatch.POLL, poll_interval(job))


def _progress_estimate(job: GenerationJob) -> float:
    since = job.submitted_at or job.created_at
    elapsed = (timezone.now() - since).total_seconds()
    expected = EXPECTED_BASE_SECONDS + EXPECTED_SECONDS_PER_VIDEO_SECOND * job.request["seconds"]
    return round(min(RUNNING_PROGRESS_CAP, SUBMITTED_PROGRESS + elapsed / expected), 3)


def _still_working(job: GenerationJob, status: TaskStatus) -> None:
    fields = {"progress": _progress_estimate(job)}
    if status.state == TaskState.RUNNING and job.state == JobState.SUBMITTED:
        transitions.move(job.pk, [JobState.SUBMITTED], JobState.RUNNING, started_at=Now())
    GenerationJob.objects.filter(pk=job.pk, state__in=REMOTE_ACTIVE).update(**fields)
    job.refresh_from_db()
    events.job_updated(job)
    _schedule(job, dispatch.POLL, poll_interval(job))


def poll_job(job_id: int, step: int) -> None:
    """Ask the provider how a submitted job is doing, and act on the answer."""
    job = transitions.claim(job_id, step, REMOTE_ACTIVE)
    if job is None:
        return
    provider = remote_provider(job.provider)
    try:
        status = provider.poll(job.request, job.provider_task_id)
    except ProviderError as error:
        _retry_or_fail(job, error, dispatch.POLL)
        return
    if status.state in (TaskState.SUBMITTED, TaskState.RUNNING):
        _still_working(job, status)
    elif status.state == TaskState.SUCCEEDED:
        _download_and_deliver(job, provider, status)
    else:
        refused = status.content_refusal
        message = (
            "The provider rejected the prompt on content grounds. Change the prompt or images "
            "and try again."
            if refused
            else f"The provider could not make the video: {status.message or 'no reason given'}."
        )
        actions.fail_job(
            job.pk,
            "content_refused" if refused else "provider_failed",
            message,
            content_refused=refused,
            provider_said=status.message or "",
        )


def take_dir(job: GenerationJob) -> Path:
    """Where this claim of the job writes its take: one directory per step, so a worker that
    lost the job can remove its files without touching those of the one that took over."""
    return takes_dir(job.project_id, job.pk) / str(job.step)


def _storage_name(path: Path) -> str:
    return str(path.relative_to(settings.MEDIA_ROOT))


def deliver_files(job: GenerationJob, video: Path, poster: Path, thumbnails=()) -> None:
    """Make the files in the job's take directory its take, or remove them if it lost."""
    try:
        info = probe_video(video)
        if not poster.exists():
            write_poster(video, poster)
    except UnreadableVideo:
        shutil.rmtree(video.parent, ignore_errors=True)
        actions.fail_job(job.pk, "unreadable_result", UNREADABLE_RESULT)
        return
    take = actions.deliver_take(
        job,
        _storage_name(video),
        _storage_name(poster),
        info,
        [_storage_name(path) for path in thumbnails],
    )
    if take is None:
        shutil.rmtree(video.parent, ignore_errors=True)


def _download_and_deliver(job: GenerationJob, provider, status: TaskStatus) -> None:
    directory = take_dir(job)
    directory.mkdir(parents=True, exist_ok=True)
    video = directory / "video.mp4"
    try:
        provider.download(status.video_url, video)
    except ProviderError as error:
        _retry_or_fail(job, error, dispatch.POLL)
        return
    deliver_files(job, video, directory / "poster.jpg")


def callback_received(external_task_id: str, task_status: str) -> None:
    """A provider said a task changed: poll it now rather than at the next scheduled poll.
    The body is never trusted; the poll asks the provider itself."""
    if task_status not in FINAL_PROVIDER_STATUSES:
        return  # progress is estimated; only an end is worth a poll
    job = (
        GenerationJob.objects.filter(external_task_id=external_task_id, state__in=REMOTE_ACTIVE)
        .only("pk", "step")
        .first()
    )
    if job is not None:
        dispatch.send(dispatch.POLL, job.pk, job.step, urgent=True)


def resume_stalled_jobs() -> int:
    """Resume the jobs whose owner went silent (or fail them if they are too old); the
    number of jobs acted on. A running render is silent after JOBS_RENDER_STALE_SECONDS (it
    heartbeats while it works, see jobs/lost_renders.py), any other job after
    JOBS_STALE_SECONDS (the longest wait between two steps)."""
    now = timezone.now()
    silent_since = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    render = Q(state=JobState.RUNNING, provider__in=list(dispatch.LOCAL_PROVIDERS))
    stalled = GenerationJob.objects.filter(
        (
            Q(state__in=[JobState.QUEUED, JobState.SUBMITTED, JobState.RUNNING])
            & ~render
            & Q(heartbeat_at__lt=silent_since)
        )
        | (render & Q(heartbeat_at__lt=lost_renders.silent_since()))
    ).only("pk", "step", "state", "provider", "queued_at")[:REAPER_BATCH]
    acted = 0
    for job in stalled:
        if (now - job.queued_at).total_seconds() > settings.JOBS_GIVE_UP_SECONDS:
            acted += actions.fail_job(job.pk, "timed_out", TIMED_OUT)
            continue
        if job.state == JobState.RUNNING and job.provider in dispatch.LOCAL_PROVIDERS:
            acted += lost_renders.requeue(job)
            continue
        # Claiming the wait (still silent, step unchanged) keeps two reapers from resuming
        # a job twice.
        due = now + timedelta(seconds=settings.JOBS_STALE_SECONDS)
        if GenerationJob.objects.filter(
            pk=job.pk, step=job.step, heartbeat_at__lt=silent_since
        ).update(heartbeat_at=due):
            logger.warning("job %s stalled in %s; resuming", job.pk, job.state)
            dispatch.send(dispatch.task_for(job.provider, job.state), job.pk, job.step)
            acted += 1
    return acted


def running_claim(job_id: int, step: int) -> GenerationJob | None:
    """Claim a local job for rendering: queued at this step, or running with an owner gone
    silent (taken over, see jobs/lost_renders.py)."""
    job = transitions.claim(
        job_id,
        step,
        [JobState.QUEUED],
        state=JobState.RUNNING,
        started_at=Coalesce(F("started_at"), Now()),
    )
    return job if job is not None else lost_renders.take_over(job_id, step)
