"""A generation held by screening waits for a moderator: nothing runs it until it is approved
(then a real worker makes its take); a rejection fails it with the moderator's reason shown and
its credits refunded, and tells its owner. While it waits, the reaper leaves it alone, it counts
toward the user's jobs in flight, and its owner may cancel it (refunded, and the moderator is
not left a decision about it)."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from jobs import pipeline
from jobs.choices import FINAL_STATES, JobState, LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry, Take
from moderation.access import MODERATORS_GROUP
from moderation.models import AuditEntry, Case, Notice
from moderation_desk import actions as moderation
from storyboard_app import actions as storyboard_actions
from storyboard_app.models import Shot
from tests.conftest import make_user
from tests.screening_helpers import add_term
from tests.worker_fixtures import wait_for

FINISH_SECONDS = 60


@pytest.fixture
def moderator(db):
    user = make_user("moderator")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.fixture
def under_review(cast):
    """Shot 2 of the cast's sequence now matches a review term."""
    add_term("gunfight", "violence", "review", "en")
    Shot.objects.filter(pk=cast.shots[1].pk).update(text="A gunfight on the pier")


@pytest.fixture
def kling_on(settings):
    """Kling offered (it costs credits); no job reaches it in these tests."""
    settings.KLING_API_KEY = "test-key"


def generate(cast, provider: str = "animatic"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return cast.client("editor").post(
            reverse("api-sequence-generate", args=[cast.sequence.pk]),
            {"provider": provider},
            format="json",
        )


def held_job(cast, provider: str = "animatic") -> tuple[GenerationJob, Case]:
    response = generate(cast, provider)
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "held"
    job = GenerationJob.objects.get(pk=response.json()["id"])
    return job, Case.objects.get(job=job, state="open")


def test_an_approved_job_runs_to_a_take(cast, under_review, moderator, workers, media_root):
    workers.start()
    job, case = held_job(cast)
    time.sleep(2)  # a worker is listening: a job sent to it would be running by now
    job.refresh_from_db()
    assert job.state == JobState.HELD

    moderation.approve(case.pk, moderator, "A staged fight, fine.")

    def finished():
        job.refresh_from_db()
        return job.state in FINAL_STATES

    wait_for(finished, FINISH_SECONDS, f"job {job.pk} did not finish: {job.state}")
    assert job.state == JobState.SUCCEEDED, (job.error_code, job.error_message)
    take = Take.objects.get(job=job)
    assert (media_root / take.video.name).stat().st_size > 0
    case.refresh_from_db()
    assert (case.state, case.decided_by, case.decision_reason) == (
        "approved",
        moderator,
        "A staged fight, fine.",
    )
    assert AuditEntry.objects.get(case=case).action == "approve"


def test_a_rejected_job_fails_with_the_reason_is_refunded_and_its_owner_told(
    cast, under_review, moderator, kling_on, sent_tasks
):
    job, case = held_job(cast, "kling")
    assert job.cost > 0
    assert CreditAccount.objects.get(user=cast.editor).balance == 100 - job.cost

    moderation.reject(case.pk, moderator, "Too graphic for this service")

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error_code == "rejected_by_moderator"
    assert "Too graphic for this service" in job.error_message
    kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == [LedgerKind.REFUND, LedgerKind.RESERVE]
    assert CreditAccount.objects.get(user=cast.editor).balance == 100
    notice = Notice.objects.get(user=cast.editor)
    assert notice.case == case
    assert "Too graphic for this service" in notice.message
    case.refresh_from_db()
    assert case.state == "rejected"
    assert sent_tasks == []
    shown = cast.client("editor").get(reverse("api-job", args=[job.pk])).json()
    assert shown["state"] == "failed"
    assert "Too graphic for this service" in shown["error_message"]


def test_a_decided_job_cannot_be_decided_again(cast, under_review, moderator, sent_tasks):
    job, case = held_job(cast)
    moderation.reject(case.pk, moderator, "No")

    with pytest.raises(moderation.DecisionRefused):
        moderation.approve(case.pk, moderator, "Yes after all")

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert sent_tasks == []


def test_the_reaper_never_touches_a_held_job(cast, under_review, settings, sent_tasks):
    held, _ = held_job(cast)
    Shot.objects.filter(pk=cast.shots[1].pk).update(text="A quiet pier")
    queued = GenerationJob.objects.get(pk=generate(cast).json()["id"])
    sent_tasks.clear()
    # Both silent for far longer than the reaper waits, and older than it gives a job.
    long_ago = timezone.now() - timedelta(seconds=settings.JOBS_GIVE_UP_SECONDS + 3600)
    GenerationJob.objects.update(heartbeat_at=long_ago, created_at=long_ago, queued_at=long_ago)

    acted = pipeline.resume_stalled_jobs()

    assert acted == 1  # the queued one, given up on
    queued.refresh_from_db()
    assert queued.state == JobState.FAILED
    held.refresh_from_db()
    assert held.state == JobState.HELD
    assert held.step == 0
    assert sent_tasks == []


def test_a_held_job_counts_toward_the_jobs_in_flight(cast, under_review, settings, sent_tasks):
    settings.JOBS_MAX_IN_FLIGHT_PER_USER = 1
    held_job(cast)
    Shot.objects.filter(pk=cast.shots[1].pk).update(text="A quiet pier")

    response = generate(cast)

    assert response.status_code == 429
    assert GenerationJob.objects.count() == 1
    credits = cast.client("editor").get(reverse("api-credits")).json()
    assert credits["in_flight"] == 1


def test_its_owner_can_cancel_a_held_job_and_is_refunded(
    cast, under_review, moderator, kling_on, settings, sent_tasks
):
    settings.JOBS_MAX_IN_FLIGHT_PER_USER = 1
    job, case = held_job(cast, "kling")

    response = cast.client("editor").post(reverse("api-job-cancel", args=[job.pk]))

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "canceled"
    kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == [LedgerKind.REFUND, LedgerKind.RESERVE]
    assert CreditAccount.objects.get(user=cast.editor).balance == 100
    # Nothing is left for a moderator to decide: the case is closed, and approving fails.
    case.refresh_from_db()
    assert case.state != "open"
    with pytest.raises(moderation.DecisionRefused):
        moderation.approve(case.pk, moderator, "Fine")
    job.refresh_from_db()
    assert job.state == JobState.CANCELED
    assert sent_tasks == []
    # The slot it held is free again.
    Shot.objects.filter(pk=cast.shots[1].pk).update(text="A quiet pier")
    assert generate(cast).status_code == 202


def test_deleting_the_sequence_of_a_held_job_leaves_no_decision_waiting(
    cast, under_review, moderator, kling_on, sent_tasks
):
    job, case = held_job(cast, "kling")

    storyboard_actions.delete_sequence(cast.sequence, by=cast.editor)

    case.refresh_from_db()
    assert case.state != "open"
    assert CreditAccount.objects.get(user=cast.editor).balance == 100
    with pytest.raises(moderation.DecisionRefused):
        moderation.reject(case.pk, moderator, "Too late")
