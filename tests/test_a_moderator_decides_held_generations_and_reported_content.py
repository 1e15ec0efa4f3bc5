"""Each decision of a moderator about a case, from the admin's case page: approve or reject a
held generation, dismiss, take down a take, an element or a project, restore, uphold an
appealed takedown. Each does what it says, writes its audit row and tells the owner when
there is something to tell; restoring what is no longer taken down is refused.
"""

import pytest
from django.urls import reverse

from elements_app.models import Element
from jobs.choices import JobState
from jobs.credits import balance_of
from jobs.models import GenerationJob, Take
from moderation import cases
from moderation.choices import AuditAction, CaseState
from moderation.models import (
    AuditEntry,
    Notice,
)
from moderation_desk import actions
from storyboard_app.models import Project
from tests.conftest import Cast
from tests.moderation_desk_helpers import (
    Desk,
    case_page,
    decide_url,
    element_case,
    held_case,
    make_desk,
    moderation_rows,
    project_case,
    shown_messages,
    take_case,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


def test_approve_starts_the_held_generation(
    cast: Cast, desk: Desk, sent_tasks, django_capture_on_commit_callbacks
):
    case = held_case(cast)
    client = desk.client("moderator")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(decide_url(case), {"decision": "approve", "reason": "A fishing film"})
    assert answer.status_code == 302
    assert answer["Location"] == case_page(case)
    case.refresh_from_db()
    job = GenerationJob.objects.get(pk=case.job_id)
    assert case.state == CaseState.APPROVED
    assert case.decided_by == desk.moderator
    assert case.decision_reason == "A fishing film"
    assert job.state == JobState.QUEUED
    assert [task for task, job_id, _ in sent_tasks if job_id == job.pk] == ["jobs.tasks.render_job"]
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor, entry.actor_name, entry.action) == (desk.moderator, "mod", "approve")
    assert entry.reason == "A fishing film"
    assert entry.target_user == cast.owner
    assert (entry.subject_kind, entry.subject_id) == ("job", job.pk)
    assert entry.before == {"job_state": "held"}
    assert entry.after == {"job_state": "queued"}
    assert not Notice.objects.exists()  # nothing to tell: the generation just runs


def test_reject_fails_the_held_generation_refunds_it_and_tells_the_owner(cast: Cast, desk: Desk):
    case = held_case(cast)
    job = GenerationJob.objects.get(pk=case.job_id)
    balance = balance_of(cast.owner)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "reject", "reason": "Graphic violence"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    job.refresh_from_db()
    assert case.state == CaseState.REJECTED
    assert job.state == JobState.FAILED
    assert job.error_code == "rejected_by_moderator"
    assert "Graphic violence" in job.error_message
    assert balance_of(cast.owner) == balance + job.cost
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor, entry.action, entry.reason) == (
        desk.moderator,
        "reject",
        "Graphic violence",
    )
    assert (entry.before, entry.after) == ({"job_state": "held"}, {"job_state": "failed"})
    notice = Notice.objects.get(case=case)
    assert notice.user == cast.owner
    assert "Graphic violence" in notice.message
    assert "refunded" in notice.message


def test_dismiss_closes_the_case_and_leaves_the_take_as_it_was(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "dismiss", "reason": "Nothing wrong"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    take = Take.objects.get(pk=case.take_id)
    assert case.state == CaseState.DISMISSED
    assert case.decided_by == desk.moderator
    assert take.removed_at is None
    assert take.chosen
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor, entry.action, entry.reason) == (desk.moderator, "dismiss", "Nothing wrong")
    assert (entry.before, entry.after) == ({"state": "open"}, {"state": "dismissed"})
    assert (entry.subject_kind, entry.subject_id) == ("take", take.pk)
    assert not Notice.objects.exists()  # the owner had nothing to hear of


def test_take_down_a_take_stops_serving_it_and_tells_the_owner(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    take = Take.objects.get(pk=case.take_id)
    video = reverse("private-media", args=[take.video.name.removeprefix("private/")])
    owner = cast.page_client("owner")
    assert owner.get(video).status_code == 200

    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "take_down", "reason": "Gore in shot 2"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    take.refresh_from_db()
    assert case.state == CaseState.REMOVED
    assert take.removed_at is not None
    assert take.removed_reason == "Gore in shot 2"
    assert not take.chosen  # out of the cut
    assert owner.get(video).status_code == 404
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor, entry.action, entry.reason) == (
        desk.moderator,
        "take_down",
        "Gore in shot 2",
    )
    assert entry.before == {"removed": False, "removed_reason": "", "chosen": True}
    assert entry.after == {"removed": True, "removed_reason": "Gore in shot 2", "chosen": False}
    assert entry.target_user == cast.owner
    notice = Notice.objects.get(case=case)
    assert notice.user == cast.owner
    assert "Gore in shot 2" in notice.message
    assert "appeal" in notice.message


def test_take_down_an_element(cast: Cast, desk: Desk, media_root):
    case = element_case(cast)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "take_down", "reason": "Someone else's logo"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    element = Element.objects.get(pk=case.element_id)
    assert case.state == CaseState.REMOVED
    assert element.removed_at is not None
    assert element.removed_reason == "Someone else's logo"
    entry = AuditEntry.objects.get(case=case)
    assert (entry.action, entry.subject_kind, entry.subject_id) == (
        "take_down",
        "element",
        element.pk,
    )
    assert entry.before["removed"] is False
    assert entry.after["removed"] is True
    assert Notice.objects.get(case=case).user == cast.owner


def test_take_down_a_project(cast: Cast, desk: Desk):
    case = project_case(cast)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "take_down", "reason": "Hateful title"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    project = Project.objects.get(pk=cast.project.pk)
    assert case.state == CaseState.REMOVED
    assert project.removed_at is not None
    assert project.removed_reason == "Hateful title"
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor, entry.action, entry.subject_kind) == (
        desk.moderator,
        "take_down",
        "project",
    )
    assert (entry.before["removed"], entry.after["removed"]) == (False, True)
    notice = Notice.objects.get(case=case)
    assert notice.user == cast.owner
    assert "Hateful title" in notice.message


def test_restore_puts_the_take_back_in_the_cut(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    actions.take_down(case.pk, desk.second, "Looked like gore")
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "restore", "reason": "It was ketchup"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    take = Take.objects.get(pk=case.take_id)
    assert case.state == CaseState.RESTORED
    assert case.decided_by == desk.moderator
    assert take.removed_at is None
    assert take.removed_reason == ""
    assert take.chosen  # it was chosen before the takedown, and nothing else was since
    entry = AuditEntry.objects.get(case=case, action=AuditAction.RESTORE)
    assert (entry.actor, entry.reason) == (desk.moderator, "It was ketchup")
    assert entry.before["removed"] is True
    assert entry.after == {"removed": False, "removed_reason": "", "chosen": True}
    assert Notice.objects.filter(case=case, user=cast.owner, message__contains="ketchup").exists()


def test_an_appeal_reopens_the_case_and_a_moderator_restores(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    actions.take_down(case.pk, desk.second, "Looked like gore")
    appealed = cases.appeal(cast.owner, case, "It is stage blood")
    assert (appealed.pk, appealed.state, appealed.appealed) == (case.pk, CaseState.OPEN, True)
    client = desk.client("moderator")
    page = client.get(case_page(case)).content.decode()
    assert "It is stage blood" in page
    assert 'name="decision" value="restore"' in page

    answer = client.post(decide_url(case), {"decision": "restore", "reason": "Stage blood"})
    assert answer.status_code == 302
    case.refresh_from_db()
    take = Take.objects.get(pk=case.take_id)
    assert case.state == CaseState.RESTORED
    assert take.removed_at is None
    assert take.chosen
    entry = AuditEntry.objects.get(case=case, action=AuditAction.RESTORE)
    assert (entry.actor, entry.reason) == (desk.moderator, "Stage blood")


def test_a_moderator_upholds_an_appealed_takedown(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    actions.take_down(case.pk, desk.second, "Looked like gore")
    cases.appeal(cast.owner, case, "It is stage blood")
    client = desk.client("moderator")
    assert 'name="decision" value="uphold"' in client.get(case_page(case)).content.decode()

    answer = client.post(decide_url(case), {"decision": "uphold", "reason": "It is not"})

    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.REMOVED
    assert Take.objects.get(pk=case.take_id).removed_reason == "Looked like gore"
    entry = AuditEntry.objects.get(case=case, action=AuditAction.UPHOLD)
    assert (entry.actor, entry.reason) == (desk.moderator, "It is not")
    assert Notice.objects.filter(user=cast.owner, message__contains="was refused").exists()


def test_restoring_what_is_no_longer_taken_down_is_refused(cast: Cast, desk: Desk, media_root):
    """A report after the takedown opened a second case, which the appeal joined and a
    moderator restored from: the first case still says "taken down", but there is nothing
    left to restore."""
    first = take_case(cast)
    actions.take_down(first.pk, desk.moderator, "Gore")
    second, new = cases.file_report(cast.editor, "take", first.take_id, "violence", "Still")
    assert new
    assert second.pk != first.pk
    joined = cases.appeal(cast.owner, first, "Stage blood")
    assert joined.pk == second.pk
    actions.restore(second.pk, desk.moderator, "Stage blood")
    client = desk.client("moderator")
    before = moderation_rows()

    answer = client.post(decide_url(first), {"decision": "restore", "reason": "Again"}, follow=True)

    assert any("nothing to restore" in m for m in shown_messages(answer))
    assert moderation_rows() == before
