"""What moderation does to jobs: a held job released or rejected by a moderator, the jobs of a
suspended user canceled. Each state change is a conditional UPDATE (transitions.move), so a
job the owner canceled meanwhile is left alone; the loser refunds nothing."""

from django.db import transaction
from django.db.models.functions import Now

from jobs import dispatch, events, transitions
from jobs.actions import finish_failed
from jobs.choices import ACTIVE_STATES, JobState
from jobs.models import MAX_ERROR_MESSAGE_CHARS, GenerationJob


def release_held(job: GenerationJob) -> bool:
    """A moderator approved a held job: it is queued and starts; False if it was not held."""
    with transaction.atomic():
        moved = transitions.move(
            job.pk, [JobState.HELD], JobState.QUEUED, heartbeat_at=Now(), queued_at=Now()
        )
        if moved:
            job.refresh_from_db()
            events.job_updated(job)
            dispatch.start_on_commit(job.pk, job.provider, job.step)
    return moved


def reject_held(job: GenerationJob, reason: str) -> bool:
    """A moderator rejected a held job: it fails with the reason shown, and is refunded."""
    message = f"A moderator rejected this generation: {reason}"
    return _fail_from(job.pk, [JobState.HELD], "rejected_by_moderator", message)


def cancel_jobs_of(user, note: str) -> int:
    """Cancel and refund every job of `user` in flight (a suspension); how many were."""
    ids = list(
        GenerationJob.objects.filter(created_by=user, state__in=ACTIVE_STATES).values_list(
            "pk", flat=True
        )
    )
    return sum(
        _fail_from(pk, ACTIVE_STATES, "account_suspended", note, JobState.CANCELED) for pk in ids
    )


def _fail_from(
    job_id: int, sources, code: str, message: str, target: str = JobState.FAILED
) -> bool:
    with transaction.atomic():
        moved = transitions.move(
            job_id,
            sources,
            target,
            error_code=code,
            error_message=message[:MAX_ERROR_MESSAGE_CHARS],
        )
        if moved:
            finish_failed(GenerationJob.objects.get(pk=job_id), message)
    return moved
