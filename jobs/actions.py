"""Every change to jobs and takes: make a job, cancel it, fail or finish it, choose a take.

Each function locks what it changes, validates, writes, and publishes its events after commit.
State changes go through `transitions.move`, so of two callers exactly one changes a job, and
only that one settles or refunds its credits.
"""

import shutil
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from activity.models import Verb
from activity.record import record, where_sequence
from compiler.storyboard import compile_request
from jobs import credits, dispatch, events, partial_files, transitions
from jobs.choices import ACTIVE_STATES, JobState
from jobs.models import MAX_ERROR_MESSAGE_CHARS, GenerationJob, Take
from jobs.providers.base import replace_files
from jobs.registry import available_providers
from jobs.snapshot import freeze_inputs, inputs_dir, storyboard_of, takes_dir
from moderation import cases
from moderation.gate import Screened, screen_again, screen_generation
from storyboard_app.approval import check_open
from storyboard_app.models import Sequence


class GenerationRefused(Exception):
    """The storyboard cannot be generated as it is: errors per field path."""

    def __init__(
        self,
        errors: dict[str, list[str]],
        warnings: list[str] | None = None,
        detail: str = "The storyboard cannot be generated yet.",
    ) -> None:
        super().__init__(detail)
        self.errors = errors
        self.warnings = warnings or []


class TooManyJobs(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You already have {limit} generations in flight; wait for one to finish or cancel one."
        )


class IdempotencyKeyReused(Exception):
    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used for a different request.")


class JobFinished(Exception):
    def __init__(self, state: str) -> None:
        super().__init__(f"The job has already {state}; there is nothing to cancel.")


class TakeRemoved(Exception):
    def __init__(self) -> None:
        super().__init__("This take was taken down by a moderator; it cannot go into the cut.")


SCREENING_REFUSAL = "This storyboard cannot be generated: part of it is not allowed here."
HELD_WARNING = "A moderator will review this storyboard before it is generated."


class _Blocked(Exception):
    """Screening refused the request: raised inside the job's transaction, so that nothing of
    it is written, and turned into a recorded refusal outside it."""

    def __init__(self, screened: Screened) -> None:
        super().__init__("blocked")
        self.screened = screened


def _replay(user, key: str, sequence: Sequence, provider: str) -> GenerationJob | None:
    if not key:
        return None
    job = GenerationJob.objects.filter(created_by=user, idempotency_key=key).first()
    if job is not None and (job.sequence_id != sequence.pk or job.provider != provider):
        raise IdempotencyKeyReused()
    return job


def _admit(user, key: str, sequence: Sequence, provider: str):
    """Inside the caller's transaction, lock the user's credit account and check what every
    new job must pass: `(account, replayed job or None)`. The lock serialises one user's job
    creations, so the in-flight limit and the idempotency key are checked with no race."""
    if provider not in available_providers():
        raise GenerationRefused({"provider": [f"{provider!r} is not available here."]})
    account = credits.account_of(user, lock=True)
    replayed = _replay(user, key, sequence, provider)
    if replayed is None:
        limit = settings.JOBS_MAX_IN_FLIGHT_PER_USER
        if GenerationJob.objects.filter(created_by=user, state__in=ACTIVE_STATES).count() >= limit:
            raise TooManyJobs(limit)
    return account, replayed


def _queue(
    user,
    sequence: Sequence,
    provider: str,
    request: dict,
    storyboard: dict,
    cost: int,
    key: str,
    account,
    screened: Screened,
) -> GenerationJob:
    """Save the job with its own copy of its input files, reserve its cost, start it on commit
    (or hold it for a moderator when screening asks for a review)."""
    if screened.blocked:
        raise _Blocked(screened)
    external_task_id = f"sbd-{uuid.uuid4().hex}"
    directory = inputs_dir(sequence.project_id, external_task_id)
    try:
        frozen = freeze_inputs(request, directory)
        job = GenerationJob.objects.create(
            project_id=sequence.project_id,
            sequence=sequence,
            created_by=user,
            provider=provider,
            request=frozen,
            storyboard=storyboard,
            cost=cost,
            external_task_id=external_task_id,
            idempotency_key=key,
            heartbeat_at=timezone.now(),
            state=JobState.HELD if screened.held else JobState.QUEUED,
        )
        credits.reserve(account, job)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    summary = f"{where_sequence(sequence)} with {provider}"
    record(sequence.project_id, user, Verb.GENERATION_STARTED, summary)
    events.job_updated(job)
    if screened.held:
        cases.hold_for_review(job, screened.verdict, screened.fields)
    else:
        dispatch.start_on_commit(job.pk, provider, job.step)
    return job


def _refused_by_screening(user, sequence: Sequence, blocked: _Blocked) -> GenerationRefused:
    """Record the refusal (for the user's pattern) and say per field which category it hit."""
    screened = blocked.screened
    with transaction.atomic():
        cases.record_refused_generation(user, sequence, screened.verdict, screened.fields)
    return GenerationRefused(screened.errors(), detail=SCREENING_REFUSAL)


def _with_element_hashes(request: dict, elements: list[dict]) -> dict:
    """Note which images each element sent to the provider had, so the remote id the provider
    gives it is reused only while those images stay the same."""
    sent = {str(element["ref"]) for element in request.get("elements", [])}
    if not sent:
        return request
    hashes = {str(e["id"]): e["content_hash"] for e in elements if str(e["id"]) in sent}
    return {**request, "element_hashes": hashes}


def create_job(
    user, sequence: Sequence, provider: str, idempotency_key: str = ""
) -> tuple[GenerationJob, bool]:
    """Compile the sequence for `provider` and queue a job; `(job, created)`, where a replayed
    Idempotency-Key returns the first job and False. Raises GenerationRefused (screening's
    refusals included), credits.NotEnoughCredits, TooManyJobs or IdempotencyKeyReused."""
    try:
        with transaction.atomic():
            account, replayed = _admit(user, idempotency_key, sequence, provider)
            if replayed is not None:
                return replayed, False
            storyboard = storyboard_of(sequence)
            compiled = compile_request(provider, storyboard)
            if compiled.errors:
                raise GenerationRefused(compiled.errors, compiled.warnings)
            job = _queue(
                user,
                sequence,
                provider,
                _with_element_hashes(compiled.request, storyboard["elements"]),
                storyboard["sequence"],
                compiled.cost,
                idempotency_key,
                account,
                screen_generation(storyboard["sequence"], storyboard["elements"]),
            )
    except _Blocked as blocked:
        raise _refused_by_screening(user, sequence, blocked) from None
    return job, True


def generate_again(
    user, source: GenerationJob, idempotency_key: str = ""
) -> tuple[GenerationJob, bool]:
    """A new job with exactly the request of `source` (its frozen input files included)."""
    if Take.objects.filter(job=source, removed_at__isnull=False).exists():
        raise TakeRemoved()
    sequence = source.sequence
    try:
        with transaction.atomic():
            account, replayed = _admit(user, idempotency_key, sequence, source.provider)
            if replayed is not None:
                return replayed, False
            # The source's inputs are already private copies: link them again under the new job.
            prefix = inputs_dir(source.project_id, source.external_task_id).relative_to(
                settings.MEDIA_ROOT
            )
            request = replace_files(source.request, lambda name: f"{prefix}/{name}")
            job = _queue(
                user,
                sequence,
                source.provider,
                request,
                source.storyboard,
                source.cost,
                idempotency_key,
                account,
                # The terms may have changed since the source was made: screened again.
                screen_again(source.storyboard, request),
            )
    except _Blocked as blocked:
        raise _refused_by_screening(user, sequence, blocked) from None
    return job, True


def resume_job(job: GenerationJob) -> bool:
    """Send a job in flight its next task now (an administrator's nudge); the step fence makes
    it harmless if the job was not stuck. False when the job is not in flight."""
    if job.state not in (JobState.QUEUED, JobState.SUBMITTED, JobState.RUNNING):
        return False
    dispatch.send(dispatch.task_for(job.provider, job.state), job.pk, job.step)
    return True


def finish_failed(job: GenerationJob, note: str) -> None:
    """Refund a job that just failed or was canceled, tell the editors, and remove its partial
    files once that commits."""
    credits.refund(job, note)
    partial_files.remove_when_committed(job)
    job.refresh_from_db()
    events.job_updated(job)


def cancel_job(job: GenerationJob) -> GenerationJob:
    """Cancel a job in flight and refund it. A provider task already running goes on at the
    provider (the contract has no cancel call); its result is ignored."""
    with transaction.atomic():
        if not transitions.move(job.pk, ACTIVE_STATES, JobState.CANCELED):
            job.refresh_from_db()
            raise JobFinished(job.state)
        finish_failed(job, "Canceled")
        cases.withdraw_held([job.pk])
    return job


def fail_job(
    job_id: int,
    code: str,
    message: str,
    *,
    content_refused: bool = False,
    provider_said: str = "",
    at_step: int | None = None,
) -> bool:
    """Fail a job in flight with a message for the user, and refund it; False if it was not in
    flight any more (or, with `at_step`, no longer at that step: its task lost it). A content
    refusal is recorded for the moderators with what the provider said (`provider_said`)."""
    with transaction.atomic():
        moved = transitions.move(
            job_id,
            ACTIVE_STATES,
            JobState.FAILED,
            at_step=at_step,
            error_code=code[:40],
            error_message=message[:MAX_ERROR_MESSAGE_CHARS],
            content_refused=content_refused,
        )
        if moved:
            job = GenerationJob.objects.select_related("project", "sequence", "created_by").get(
                pk=job_id
            )
            finish_failed(job, f"Failed: {code}")
            if content_refused:
                cases.record_provider_refusal(job, provider_said or message)
    return moved


def deliver_take(
    job: GenerationJob, video_name: str, poster_name: str, info, thumbnails: list[str]
) -> Take | None:
    """The job succeeded: save its take (already in place in storage), settle its cost. None
    when the job was canceled or failed meanwhile (the caller removes the files)."""
    with transaction.atomic():
        if not transitions.move(
            job.pk,
            (JobState.SUBMITTED, JobState.RUNNING),
            JobState.SUCCEEDED,
            progress=1,
            # A provider may finish before a poll ever saw it running.
            started_at=Coalesce(F("started_at"), Now()),
        ):
            return None
        # Lock the sequence so two takes finishing together cannot both become the chosen one.
        Sequence.objects.select_for_update(no_key=True).filter(pk=job.sequence_id).first()
        first = not Take.objects.filter(sequence_id=job.sequence_id, chosen=True).exists()
        take = Take.objects.create(
            job=job,
            project_id=job.project_id,
            sequence_id=job.sequence_id,
            video=video_name,
            poster=poster_name,
            duration=info.duration,
            width=info.width,
            height=info.height,
            has_audio=info.has_audio,
            size_bytes=info.size_bytes,
            checksum=info.checksum,
            shot_thumbnails=thumbnails,
            chosen=first,
        )
        credits.settle(job)
        # Earlier claims' leftovers: a worker killed mid-render left its `.part`.
        partial_files.remove_when_committed(job)
        job.refresh_from_db()
        events.job_updated(job)
        events.take_created(take)
    return take


def choose_take(take: Take, by=None) -> Take:
    """Make `take` the one of its sequence that goes into the cut."""
    if take.removed_at is not None:
        raise TakeRemoved()
    with transaction.atomic():
        sequence = (
            Sequence.objects.select_for_update(no_key=True).filter(pk=take.sequence_id).first()
        )
        if sequence is not None:
            check_open(sequence)
            summary = f"take {take.pk} of {where_sequence(sequence)}"
            record(sequence.project_id, by, Verb.TAKE_CHOSEN, summary)
        Take.objects.filter(sequence_id=take.sequence_id, chosen=True).exclude(pk=take.pk).update(
            chosen=False
        )
        Take.objects.filter(pk=take.pk).update(chosen=True)
        take.chosen = True
        events.take_chosen(take)
    return take


def forget_jobs(**where) -> None:
    """Before sequences or a project are deleted (`where` filters their jobs): cancel and
    refund the jobs in flight, and remove every job's files once the deletion commits."""
    jobs = list(GenerationJob.objects.filter(**where).only("pk", "project_id", "external_task_id"))
    canceled = [job for job in jobs if transitions.move(job.pk, ACTIVE_STATES, JobState.CANCELED)]
    for job in canceled:
        credits.refund(job, "Canceled: its sequence was deleted")
    cases.withdraw_held(job.pk for job in canceled)
    directories = [inputs_dir(job.project_id, job.external_task_id) for job in jobs] + [
        takes_dir(job.project_id, job.pk) for job in jobs
    ]
    transaction.on_commit(
        lambda: [shutil.rmtree(directory, ignore_errors=True) for directory in directories]
    )


def forget_jobs_of_project(sender, project, **kwargs) -> None:
    forget_jobs(project_id=project.pk)


def forget_jobs_of_sequence(sender, sequence, **kwargs) -> None:
    forget_jobs(sequence_id=sequence.pk)
