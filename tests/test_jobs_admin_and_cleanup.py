"""Jobs in the admin (cancel with refund, resume, generate again) and what deleting a sequence
or a project does to its jobs: those in flight are canceled and refunded, files removed."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jobs import actions, dispatch, pipeline, transitions
from jobs.choices import JobState, LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry
from jobs.snapshot import inputs_dir
from storyboard_app import actions as storyboard_actions
from tests.job_helpers import delivered_take, queued_job


@pytest.fixture
def staff(db) -> Client:
    User.objects.create_superuser("root", "root@example.com", "a-long-password-1")
    client = Client()
    client.login(username="root", password="a-long-password-1")
    return client


@pytest.fixture
def kling_on(settings):
    settings.KLING_API_KEY = "key"


def admin_action(client: Client, action: str, jobs) -> None:
    response = client.post(
        reverse("admin:jobs_generationjob_changelist"),
        {"action": action, "_selected_action": [job.pk for job in jobs]},
    )
    assert response.status_code == 302


def test_the_job_list_filters_by_state_and_provider(cast, staff):
    queued_job(cast.editor, cast.sequence)

    page = staff.get(reverse("admin:jobs_generationjob_changelist") + "?state=queued")

    assert page.status_code == 200
    assert b"animatic" in page.content
    assert (
        staff.get(reverse("admin:jobs_generationjob_changelist") + "?state=failed").status_code
        == 200
    )


def test_cancel_from_the_admin_refunds_each_job_once(cast, staff, kling_on):
    jobs = [queued_job(cast.editor, cast.sequence, "kling") for _ in range(2)]

    admin_action(staff, "cancel_jobs", jobs)
    admin_action(staff, "cancel_jobs", jobs)

    assert set(GenerationJob.objects.values_list("state", flat=True)) == {JobState.CANCELED}
    assert LedgerEntry.objects.filter(kind=LedgerKind.REFUND).count() == 2
    assert CreditAccount.objects.get(user=cast.editor).balance == 100


def test_resume_sends_a_job_in_flight_its_next_task(cast, staff, sent_tasks):
    job = queued_job(cast.editor, cast.sequence)

    admin_action(staff, "resume_jobs", [job])

    assert sent_tasks == [(dispatch.LOCAL_PROVIDERS["animatic"], job.pk, job.step)]


def test_generate_again_from_the_admin_requeues_a_failed_job(cast, staff):
    job = queued_job(cast.editor, cast.sequence)
    actions.fail_job(job.pk, "render_failed", "boom")

    admin_action(staff, "generate_again", [job])

    again = GenerationJob.objects.exclude(pk=job.pk).get()
    assert again.state == JobState.QUEUED
    assert again.request == job.request
    assert again.created_by == cast.editor


def test_a_staff_user_without_the_job_permission_cannot_see_jobs(cast):
    User.objects.create_user("clerk", password="a-long-password-1", is_staff=True)
    client = Client()
    client.login(username="clerk", password="a-long-password-1")

    assert client.get(reverse("admin:jobs_generationjob_changelist")).status_code == 403


def test_deleting_a_sequence_cancels_and_refunds_its_jobs_in_flight(
    cast, kling_on, media_root, django_capture_on_commit_callbacks
):
    running = queued_job(cast.editor, cast.sequence, "kling")
    done = delivered_take(queued_job(cast.editor, cast.sequence, "kling"))
    files = [inputs_dir(cast.project.pk, running.external_task_id), media_root / done.video.name]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        storyboard_actions.delete_sequence(cast.sequence)

    assert not GenerationJob.objects.exists()
    account = CreditAccount.objects.get(user=cast.editor)
    assert account.balance == 100 - done.job.cost  # the delivered take stays paid for
    assert account.balance == sum(account.entries.values_list("amount", flat=True))
    assert not any(path.exists() for path in files)


def test_deleting_a_project_refunds_its_jobs_in_flight(cast, kling_on):
    queued_job(cast.editor, cast.sequence, "kling")

    storyboard_actions.delete_project(cast.project)

    assert CreditAccount.objects.get(user=cast.editor).balance == 100


def test_the_reaper_resumes_a_silent_job_once_and_fails_one_too_old(cast, settings, sent_tasks):
    silent = queued_job(cast.editor, cast.sequence)
    old = queued_job(cast.owner, cast.sequence)
    GenerationJob.objects.update(heartbeat_at="2000-01-01T00:00:00Z")
    GenerationJob.objects.filter(pk=old.pk).update(queued_at="2000-01-01T00:00:00Z")

    assert pipeline.resume_stalled_jobs() == 2
    assert pipeline.resume_stalled_jobs() == 0  # the resumed one is not resumed twice

    assert sent_tasks == [(dispatch.LOCAL_PROVIDERS["animatic"], silent.pk, silent.step)]
    old.refresh_from_db()
    assert old.state == JobState.FAILED
    assert old.error_code == "timed_out"


def test_a_claim_with_an_old_step_does_nothing(cast):
    job = queued_job(cast.editor, cast.sequence)

    first = transitions.claim(job.pk, 0, [JobState.QUEUED])
    again = transitions.claim(job.pk, 0, [JobState.QUEUED])

    assert first is not None
    assert first.step == 1
    assert again is None


def test_a_state_can_only_move_where_the_machine_allows(cast):
    job = queued_job(cast.editor, cast.sequence)

    with pytest.raises(transitions.IllegalTransition):
        transitions.move(job.pk, [JobState.SUCCEEDED], JobState.RUNNING)
    assert transitions.move(job.pk, [JobState.SUBMITTED], JobState.RUNNING) is False
    assert transitions.move(job.pk, [JobState.QUEUED], JobState.SUBMITTED) is True
