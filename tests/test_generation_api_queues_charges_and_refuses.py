"""POST …/generate/ as docs/API.md says: 202 with the job, 400 per field, 402 over the
balance, 429 over the in-flight limit, and an Idempotency-Key that makes a retry return the
same job. The job's request is frozen: edits after it was made never change it."""

import pytest
from django.urls import reverse

from jobs import actions, credits
from jobs.choices import JobState, LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry
from storyboard_app import actions as storyboard_actions
from tests.job_helpers import delivered_take, queued_job


@pytest.fixture
def kling_on(settings):
    """Kling offered (credentials configured); nothing is sent in these tests (no worker)."""
    settings.KLING_API_KEY = "test-key"


def generate(cast, who="editor", provider="animatic", key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return cast.client(who).post(
        reverse("api-sequence-generate", args=[cast.sequence.pk]),
        {"provider": provider},
        format="json",
        **headers,
    )


def test_generate_answers_202_with_a_queued_job(cast):
    response = generate(cast)

    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "queued"
    assert job["provider"] == "animatic"
    assert job["sequence"] == cast.sequence.pk
    assert job["cost"] == 0
    saved = GenerationJob.objects.get(pk=job["id"])
    assert saved.created_by == cast.editor
    assert [shot["text"] for shot in saved.request["shots"]] == [
        "Shot 1 action",
        "Shot 2 action",
        "Shot 3 action",
    ]


def test_a_kling_job_reserves_its_cost_from_the_balance(cast, kling_on):
    response = generate(cast, provider="kling")

    assert response.status_code == 202, response.json()
    cost = response.json()["cost"]
    assert cost > 0
    account = CreditAccount.objects.get(user=cast.editor)
    assert account.balance == 100 - cost
    assert list(account.entries.values_list("kind", "amount")) == [
        (LedgerKind.RESERVE, -cost),
        (LedgerKind.GRANT, 100),
    ]


def test_kling_is_refused_when_no_key_is_configured(cast):
    response = generate(cast, provider="kling")

    assert response.status_code == 400
    assert "provider" in response.json()["errors"]
    assert not GenerationJob.objects.exists()


def test_a_storyboard_the_model_cannot_take_is_400_per_field_and_makes_no_job(cast):
    storyboard_actions.update_shot(cast.shots[0], 1, {"duration": 30})

    response = generate(cast)

    assert response.status_code == 400
    body = response.json()
    assert "duration" in body["errors"]
    assert body["detail"]
    assert not GenerationJob.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerKind.RESERVE).exists()


def test_a_cost_over_the_balance_is_402_and_reserves_nothing(cast, kling_on, settings):
    settings.CREDITS_STARTING_BALANCE = 3

    response = generate(cast, provider="kling")

    assert response.status_code == 402
    body = response.json()
    assert body["balance"] == 3
    assert body["cost"] > 3
    assert "credits" in body["detail"]
    assert not GenerationJob.objects.exists()
    assert credits.balance_of(cast.editor) == 3


def test_jobs_in_flight_beyond_the_limit_are_429(cast, settings):
    settings.JOBS_MAX_IN_FLIGHT_PER_USER = 2
    assert generate(cast).status_code == 202
    assert generate(cast).status_code == 202

    response = generate(cast)

    assert response.status_code == 429
    assert "in flight" in response.json()["detail"]
    # Another member has their own allowance.
    assert generate(cast, who="owner").status_code == 202


def test_an_idempotency_key_makes_a_retry_return_the_same_job(cast, kling_on):
    first = generate(cast, provider="kling", key="press-1")
    again = generate(cast, provider="kling", key="press-1")

    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert GenerationJob.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.RESERVE).count() == 1


def test_an_idempotency_key_reused_for_another_request_is_422(cast, kling_on):
    assert generate(cast, provider="kling", key="press-1").status_code == 202

    response = generate(cast, provider="animatic", key="press-1")

    assert response.status_code == 422
    assert GenerationJob.objects.count() == 1


def test_the_same_key_from_two_users_makes_two_jobs(cast):
    generate(cast, who="editor", key="k")
    generate(cast, who="owner", key="k")

    assert GenerationJob.objects.count() == 2


def test_edits_after_the_job_was_made_never_change_its_request(cast):
    job = queued_job(cast.editor, cast.sequence)
    before = job.request

    storyboard_actions.update_shot(cast.shots[0], 1, {"text": "Something else entirely"})

    job.refresh_from_db()
    assert job.request == before
    assert "Something else" not in str(job.request)


def test_cancel_moves_the_job_to_canceled_and_refunds_it_once(cast, kling_on):
    job = queued_job(cast.editor, cast.sequence, "kling")
    url = reverse("api-job-cancel", args=[job.pk])

    response = cast.client("owner").post(url)
    again = cast.client("owner").post(url)

    assert response.status_code == 200
    assert response.json()["state"] == "canceled"
    assert again.status_code == 409
    assert "nothing to cancel" in again.json()["detail"]
    assert CreditAccount.objects.get(user=cast.editor).balance == 100
    assert LedgerEntry.objects.filter(job=job, kind=LedgerKind.REFUND).count() == 1


def test_a_failed_job_is_refunded_exactly_once(cast, kling_on):
    job = queued_job(cast.editor, cast.sequence, "kling")

    assert actions.fail_job(job.pk, "1102", "no pack") is True
    assert actions.fail_job(job.pk, "1102", "no pack") is False
    with pytest.raises(actions.JobFinished):
        actions.cancel_job(job)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error_message == "no pack"
    account = CreditAccount.objects.get(user=cast.editor)
    assert account.balance == 100
    assert account.balance == sum(account.entries.values_list("amount", flat=True))


def test_a_delivered_take_settles_the_job_once_and_becomes_the_chosen_one(
    cast, kling_on, media_root
):
    job = queued_job(cast.editor, cast.sequence, "kling")

    take = delivered_take(job)

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.progress == 1
    assert take.chosen
    assert LedgerEntry.objects.filter(job=job, kind=LedgerKind.SETTLE).count() == 1
    assert not actions.fail_job(job.pk, "late", "too late")
    assert CreditAccount.objects.get(user=cast.editor).balance == 100 - job.cost


def test_takes_are_listed_with_their_settings_and_one_can_be_chosen(cast, media_root):
    first = delivered_take(queued_job(cast.editor, cast.sequence))
    second = delivered_take(queued_job(cast.editor, cast.sequence))

    listed = cast.client("viewer").get(reverse("api-sequence-takes", args=[cast.sequence.pk]))
    chosen = cast.client("editor").post(reverse("api-take-choose", args=[second.pk]))

    assert [take["id"] for take in listed.json()] == [second.pk, first.pk]
    assert [take["chosen"] for take in listed.json()] == [False, True]
    assert listed.json()[0]["settings"]["shots"][0]["text"] == "Shot 1 action"
    assert chosen.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.chosen, second.chosen) == (False, True)


def test_generate_again_reuses_the_exact_request_of_the_take(cast, media_root):
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    storyboard_actions.update_shot(cast.shots[0], 1, {"text": "Edited after the take"})

    response = cast.client("editor").post(reverse("api-take-generate-again", args=[take.pk]))

    assert response.status_code == 202
    again = GenerationJob.objects.get(pk=response.json()["id"])
    assert again.request == take.job.request
    assert again.storyboard == take.job.storyboard
    assert again.external_task_id != take.job.external_task_id


def test_credits_show_the_balance_the_jobs_in_flight_and_the_ledger(cast, kling_on):
    job = queued_job(cast.editor, cast.sequence, "kling")

    body = cast.client("editor").get(reverse("api-credits")).json()

    assert body["balance"] == 100 - job.cost
    assert body["in_flight"] == 1
    assert [entry["kind"] for entry in body["entries"]] == ["reserve", "grant"]


def test_providers_list_kling_only_when_configured(cast, settings):
    listed = cast.client("viewer").get(reverse("api-providers")).json()
    assert [provider["value"] for provider in listed] == ["animatic"]

    settings.KLING_API_KEY = "key"
    listed = cast.client("viewer").get(reverse("api-providers")).json()
    assert [provider["value"] for provider in listed] == ["animatic", "kling"]
