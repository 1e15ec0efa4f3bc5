"""When the provider refuses a generation on content grounds (a content-safety error when it is
submitted, or a task that fails later in moderation), the job fails and is refunded as any
failure, and a moderation record (a case from the provider, already refused) is kept, linked to
the job and to the user who made it, so a moderator sees a user's pattern. A failure for any
other reason leaves no record. Real Celery workers against the fake Kling server."""

import pytest
from django.urls import reverse

from jobs.choices import FINAL_STATES, JobState, LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry, Take
from moderation.access import cases_of_owner
from moderation.models import Case
from tests.worker_fixtures import wait_for

FINISH_SECONDS = 60


@pytest.fixture
def kling_workers(workers, fake_kling):
    workers.env.update(KLING_API_KEY=fake_kling.api_key, KLING_BASE_URL=fake_kling.base_url)
    workers.start()
    return workers


def generate_and_finish(cast) -> GenerationJob:
    response = cast.client("editor").post(
        reverse("api-sequence-generate", args=[cast.sequence.pk]),
        {"provider": "kling"},
        format="json",
    )
    assert response.status_code == 202, response.content
    job = GenerationJob.objects.get(pk=response.json()["id"])

    def final():
        job.refresh_from_db()
        return job.state in FINAL_STATES

    wait_for(final, FINISH_SECONDS, f"job {job.pk} did not finish: {job.state}")
    return job


def assert_failed_and_refunded(job: GenerationJob) -> None:
    assert job.state == JobState.FAILED
    assert job.cost > 0
    kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == [LedgerKind.REFUND, LedgerKind.RESERVE]
    assert CreditAccount.objects.get(user=job.created_by).balance == 100
    assert not Take.objects.filter(job=job).exists()


# How each refusal comes, the job's error code, and what the provider said (kept in the case).
CONTENT_REFUSALS = {
    "1301 when submitted": (
        lambda fake: fake.fail_next_submits(1301),
        "1301",
        "Trigger the content security policy of the platform",
    ),
    "1300 when submitted": (
        lambda fake: fake.fail_next_submits(1300),
        "1300",
        "Trigger strategy of the platform",
    ),
    "a task failed later by moderation": (
        lambda fake: fake.fail_next_tasks(1),
        "content_refused",
        "Failure to pass the risk control system",
    ),
}


@pytest.mark.parametrize("refusal", CONTENT_REFUSALS, ids=list(CONTENT_REFUSALS))
def test_a_content_refusal_fails_and_refunds_the_job_and_keeps_a_record(
    cast, fake_kling, kling_workers, refusal
):
    inject, code, provider_said = CONTENT_REFUSALS[refusal]
    inject(fake_kling)

    job = generate_and_finish(cast)

    assert_failed_and_refunded(job)
    assert job.error_code == code
    assert job.content_refused is True
    case = Case.objects.get()
    assert (case.source, case.state, case.subject_kind) == ("provider", "refused", "job")
    assert case.job == job
    assert case.project == cast.project
    assert case.owner == cast.editor  # who made the job, not the project's owner
    assert "shots.0.text: Shot 1 action" in case.excerpt  # what was sent
    assert provider_said in case.excerpt  # and why the provider refused it
    assert list(cases_of_owner(cast.editor)) == [case]


NOT_CONTENT = {
    "1102 no resource pack": (lambda fake: fake.fail_next_submits(1102), "1102"),
    "a task failed later for another reason": (
        lambda fake: fake.fail_next_tasks(1, message="Internal rendering error"),
        "provider_failed",
    ),
}


@pytest.mark.parametrize("failure", NOT_CONTENT, ids=list(NOT_CONTENT))
def test_a_failure_for_another_reason_keeps_no_record(cast, fake_kling, kling_workers, failure):
    inject, code = NOT_CONTENT[failure]
    inject(fake_kling)

    job = generate_and_finish(cast)

    assert_failed_and_refunded(job)
    assert job.error_code == code
    assert job.content_refused is False
    assert not Case.objects.exists()
