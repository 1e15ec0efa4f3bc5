"""The job state machine: every state change and every claim is one conditional UPDATE.

`queued → submitted → running → succeeded | failed | canceled` (and `held` for moderation).
`move` changes the state only from the states it names and reports whether it did, so of two
workers (or a worker and a user pressing cancel) exactly one wins. `claim` is how a task takes
a job for one step: it advances the job's `step` fence, so a duplicated or redelivered task
carrying an old step finds nothing to do.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Now
from django.utils import timezone

from jobs.choices import FINAL_STATES, JobState
from jobs.models import GenerationJob

# Which states each state may move to; `move` refuses anything else.
ALLOWED = {
    JobState.QUEUED: {JobState.SUBMITTED, JobState.RUNNING, JobState.FAILED, JobState.CANCELED},
    JobState.HELD: {JobState.QUEUED, JobState.FAILED, JobState.CANCELED},
    JobState.SUBMITTED: {
        JobState.RUNNING,
        JobState.SUCCEEDED,
        JobState.FAILED,
        JobState.CANCELED,
    },
    # Back to the queue: a render whose worker died, taken over by the reaper (take_over).
    JobState.RUNNING: {JobState.QUEUED, JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELED},
}


class IllegalTransition(ValueError):
    pass


def _check_allowed(sources: list[str], target: str) -> None:
    for source in sources:
        if target not in ALLOWED.get(source, ()):
            raise IllegalTransition(f"{source} → {target}")


def move(
    job_id: int, sources: Iterable[str], target: str, *, at_step: int | None = None, **fields
) -> bool:
    """Move the job from one of `sources` to `target` (setting `fields` too); False when it was
    in none of them (someone else moved it first). With `at_step`, only while the job is still
    at that step: a task that lost its job (taken over) cannot end it."""
    sources = list(sources)
    _check_allowed(sources, target)
    now = timezone.now()
    if target in FINAL_STATES:
        fields.setdefault("finished_at", now)
    fence = {} if at_step is None else {"step": at_step}
    return (
        GenerationJob.objects.filter(pk=job_id, state__in=sources, **fence).update(
            state=target, **fields
        )
        == 1
    )


def claim(job_id: int, step: int, states: Iterable[str], **fields) -> GenerationJob | None:
    """Take the job for one step if it is still at `step` and in one of `states`; returns the
    job as it is now (its `step` moved on by one), or None when the task has nothing to do."""
    taken = GenerationJob.objects.filter(pk=job_id, step=step, state__in=list(states)).update(
        step=F("step") + 1, heartbeat_at=Now(), **fields
    )
    if taken != 1:
        return None
    return GenerationJob.objects.select_related("created_by").get(pk=job_id)


def take_over(
    job_id: int, steps: Iterable[int], silent_since: Combinable, **fields
) -> GenerationJob | None:
    """Take a running job from an owner that went silent: only while it is running at one of
    `steps` and its heartbeat is older than `silent_since`. Like `claim` it moves the step on
    (the old owner's lease fails at its next check) and counts the takeover in `attempts`;
    `fields` may send the job back to the queue (`state=QUEUED`). None when the job was not
    silent, or another taker won."""
    if "state" in fields:
        _check_allowed([JobState.RUNNING], fields["state"])
    taken = GenerationJob.objects.filter(
        pk=job_id, state=JobState.RUNNING, step__in=list(steps), heartbeat_at__lt=silent_since
    ).update(step=F("step") + 1, attempts=F("attempts") + 1, heartbeat_at=Now(), **fields)
    if taken != 1:
        return None
    return GenerationJob.objects.select_related("created_by").get(pk=job_id)


def expect_next(job_id: int, step: int, in_seconds: float) -> bool:
    """Record when the job's next step is due, so the reaper leaves it alone until then."""
    due = timezone.now() + timedelta(seconds=in_seconds)
    return GenerationJob.objects.filter(pk=job_id, step=step).update(heartbeat_at=due) == 1


def beat(job_id: int, **fields) -> None:
    """A sign of life from the task that owns the job (with progress, for instance)."""
    GenerationJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), **fields)
