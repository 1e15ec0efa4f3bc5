"""The moderation console in the admin: every decision a moderator makes (approve or reject a
held generation, dismiss, take down a take / an element / a project, restore, warn, suspend,
lift) does what it says, writes its audit row and tells the owner; the same request by a staff
user who is not a moderator, by a superuser outside the Moderators group or by a plain user is
refused and changes nothing; a decision without a reason, or one that no longer applies, is
refused with a message; of two moderators deciding one case at once exactly one wins. The
queue, its filters, the case page and the case's media preview are checked too.

The people are made here (not in tests/role_helpers.py): a moderator is active staff in the
"Moderators" group, which is all moderation.access.is_moderator asks.
"""

import re
import threading
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import Element
from jobs import actions as job_actions
from jobs.choices import JobState
from jobs.credits import balance_of
from jobs.models import GenerationJob, Take
from media import check_image
from moderation import cases
from moderation.choices import AuditAction, CaseState, Severity
from moderation.models import (
    Appeal,
    AuditEntry,
    BlockedTerm,
    Case,
    Notice,
    Report,
    Standing,
)
from moderation.terms import bump_stamp
from moderation_desk import actions, takedown
from storyboard_app import actions as storyboard_actions
from storyboard_app.models import Project, Shot
from tests.conftest import PASSWORD, Cast, image_bytes, make_user, storyboard_rows
from tests.job_helpers import delivered_take, queued_job

MODERATORS = "Moderators"
INTRUDERS = ("staff", "root", "plain")


@dataclass
class Desk:
    """The people around the console: two moderators and three who are not."""

    moderator: User
    second: User  # another moderator
    staff: User  # is_staff, not in the group
    root: User  # a superuser, not in the group
    plain: User  # neither staff nor in the group

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(getattr(self, who))
        return client


def make_moderator(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    return user


@pytest.fixture
def desk(db) -> Desk:
    return Desk(
        moderator=make_moderator("mod"),
        second=make_moderator("mod2"),
        staff=User.objects.create_user("clerk", password=PASSWORD, is_staff=True),
        root=User.objects.create_superuser("root", "root@example.com", PASSWORD),
        plain=make_user("plain"),
    )


# Cases to decide


def held_case(cast: Cast) -> Case:
    """A generation by the owner whose action text matches a "review" term: held."""
    BlockedTerm.objects.create(text="harpoon", category="violence", severity=Severity.REVIEW)
    bump_stamp()  # on_commit does not run in these tests: tell the screen the list changed
    Shot.objects.filter(pk=cast.shots[0].pk).update(text="A harpoon flies across the deck")
    job = queued_job(cast.owner, cast.sequence)
    assert job.state == JobState.HELD
    return Case.objects.get(job=job)


def take_case(cast: Cast) -> Case:
    """The owner's chosen take, reported by the viewer."""
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    job_actions.choose_take(take, cast.owner)
    case, new = cases.file_report(cast.viewer, "take", take.pk, "violence", "Too gory for us")
    assert new
    return case


def element_case(cast: Cast) -> Case:
    library = element_actions.create_library(cast.owner, "Props")
    element = element_actions.create_element(library, {"handle": "Lantern", "kind": "prop"})
    element_media.add_image(element, check_image(image_bytes()), "front")
    case, _ = cases.file_report(cast.editor, "element", element.pk, "copyright", "A logo")
    return case


def project_case(cast: Cast) -> Case:
    case, _ = cases.file_report(cast.viewer, "project", cast.project.pk, "hate", "The title")
    return case


def decide_url(case: Case) -> str:
    return reverse("admin:moderation_case_decide", args=[case.pk])


def user_decide_url(user: User) -> str:
    return reverse("admin:moderation_user_decide", args=[user.pk])


def case_page(case: Case) -> str:
    return reverse("admin:moderation_case_change", args=[case.pk])


def moderation_rows() -> dict[str, list[dict]]:
    models = (Case, Report, Appeal, Notice, Standing, AuditEntry, BlockedTerm)
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    return {**rows, **storyboard_rows()}


def shown_messages(response) -> list[str]:
    """The messages on the page (read from the HTML: the test client's captured context is
    shared by threads)."""
    listed = re.search(r'<ul class="messagelist">(.*?)</ul>', response.content.decode(), re.S)
    if listed is None:
        return []
    return [unescape(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", listed[1])]


# Each decision by a moderator


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


def test_warn_the_owner_from_the_case_page(cast: Cast, desk: Desk):
    case = project_case(cast)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "warn", "reason": "Mind the titles"}
    )
    assert answer.status_code == 302
    assert Standing.objects.get(user=cast.owner).warnings == 1
    entry = AuditEntry.objects.get(action=AuditAction.WARN)
    assert (entry.actor, entry.case, entry.target_user) == (desk.moderator, case, cast.owner)
    assert (entry.subject_kind, entry.subject_id) == ("user", cast.owner.pk)
    assert (entry.before, entry.after) == ({"warnings": 0}, {"warnings": 1})
    assert entry.reason == "Mind the titles"
    assert Notice.objects.get(case=case, user=cast.owner).message.endswith("Mind the titles")
    case.refresh_from_db()
    assert case.state == CaseState.OPEN  # a warning decides about the person, not the case


def test_warn_from_the_standing_page(cast: Cast, desk: Desk):
    answer = desk.client("moderator").post(
        user_decide_url(cast.editor), {"decision": "warn", "reason": "Spam comments"}
    )
    standing = Standing.objects.get(user=cast.editor)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:moderation_standing_change", args=[standing.pk])
    assert standing.warnings == 1
    entry = AuditEntry.objects.get(action=AuditAction.WARN)
    assert (entry.actor, entry.target_user, entry.reason) == (
        desk.moderator,
        cast.editor,
        "Spam comments",
    )
    notice = Notice.objects.get(user=cast.editor)
    assert notice.case is None
    assert "Spam comments" in notice.message


def test_suspend_logs_the_owner_out_of_everything_and_cancels_their_jobs(cast: Cast, desk: Desk):
    case = project_case(cast)
    balance = balance_of(cast.owner)
    job = queued_job(cast.owner, cast.sequence)
    answer = desk.client("moderator").post(
        decide_url(case), {"decision": "suspend", "reason": "Repeated hate"}
    )
    assert answer.status_code == 302
    owner = User.objects.get(pk=cast.owner.pk)
    standing = Standing.objects.get(user=owner)
    job.refresh_from_db()
    assert not owner.is_active
    assert standing.suspended_at is not None
    assert standing.suspension_reason == "Repeated hate"
    assert job.state == JobState.CANCELED
    assert balance_of(owner) == balance
    entry = AuditEntry.objects.get(action=AuditAction.SUSPEND)
    assert (entry.actor, entry.case, entry.target_user) == (desk.moderator, case, owner)
    assert entry.before == {"active": True}
    assert entry.after == {"active": False, "jobs_canceled": 1}
    # No login any more.
    assert not Client().login(username="owner", password=PASSWORD)


def test_lift_gives_the_account_back(cast: Cast, desk: Desk):
    actions.suspend(cast.owner.pk, desk.second, "Repeated hate")
    answer = desk.client("moderator").post(
        user_decide_url(cast.owner), {"decision": "lift", "reason": "Appeal accepted"}
    )
    assert answer.status_code == 302
    owner = User.objects.get(pk=cast.owner.pk)
    standing = Standing.objects.get(user=owner)
    assert owner.is_active
    assert standing.suspended_at is None
    assert standing.suspension_reason == ""
    entry = AuditEntry.objects.get(action=AuditAction.LIFT)
    assert (entry.actor, entry.target_user, entry.reason) == (
        desk.moderator,
        owner,
        "Appeal accepted",
    )
    assert entry.before["active"] is False
    assert entry.after == {"active": True}
    assert Client().login(username="owner", password=PASSWORD)


# The same requests by anyone else


def _scenario(name: str, cast: Cast, desk: Desk) -> tuple[str, dict]:
    """The decision `name`, set up so that a moderator's POST would do it: (url, data)."""
    reason = {"reason": "Because"}
    if name in ("approve", "reject"):
        return decide_url(held_case(cast)), {"decision": name, **reason}
    if name == "dismiss":
        return decide_url(take_case(cast)), {"decision": name, **reason}
    if name.startswith("take_down_"):
        make = {"take": take_case, "element": element_case, "project": project_case}
        return decide_url(make[name.removeprefix("take_down_")](cast)), {
            "decision": "take_down",
            **reason,
        }
    if name == "restore":
        case = take_case(cast)
        actions.take_down(case.pk, desk.moderator, "First look")
        return decide_url(case), {"decision": name, **reason}
    if name == "uphold":
        case = take_case(cast)
        actions.take_down(case.pk, desk.moderator, "First look")
        cases.appeal(cast.owner, case, "Please look again")
        return decide_url(case), {"decision": name, **reason}
    if name in ("warn", "suspend"):
        return decide_url(project_case(cast)), {"decision": name, **reason}
    if name == "warn_user":
        return user_decide_url(cast.editor), {"decision": "warn", **reason}
    if name == "suspend_user":
        return user_decide_url(cast.editor), {"decision": "suspend", **reason}
    assert name == "lift"
    actions.suspend(cast.editor.pk, desk.moderator, "First look")
    return user_decide_url(cast.editor), {"decision": name, **reason}


DECISIONS = (
    "approve",
    "reject",
    "dismiss",
    "take_down_take",
    "take_down_element",
    "take_down_project",
    "restore",
    "uphold",
    "warn",
    "suspend",
    "warn_user",
    "suspend_user",
    "lift",
)


@pytest.mark.parametrize("who", INTRUDERS)
@pytest.mark.parametrize("decision", DECISIONS)
def test_each_decision_is_refused_to_anyone_but_a_moderator(
    cast: Cast, desk: Desk, media_root, decision: str, who: str
):
    url, data = _scenario(decision, cast, desk)
    client = desk.client(who)
    before = moderation_rows()

    answer = client.post(url, data)

    if who == "plain":  # not staff: the admin sends them to its login page
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("admin:login"))
    else:
        assert answer.status_code == 403
    assert moderation_rows() == before


def test_a_moderator_must_be_active_staff(cast: Cast, desk: Desk):
    """In the group but not staff (or no longer active): not a moderator."""
    case = project_case(cast)
    for change in ({"is_staff": False}, {"is_active": False}):
        user = make_moderator(f"half-{len(change)}-{next(iter(change))}")
        User.objects.filter(pk=user.pk).update(**change)
        client = Client()
        client.force_login(user)
        before = moderation_rows()
        answer = client.post(decide_url(case), {"decision": "dismiss", "reason": "x"})
        assert answer.status_code in (302, 403)
        if answer.status_code == 302:
            assert answer["Location"].startswith(reverse("admin:login"))
        assert moderation_rows() == before


# Refused with a message


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_decision_without_a_reason_is_refused_with_a_message(
    cast: Cast, desk: Desk, media_root, reason: str
):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(decide_url(case), {"decision": "take_down", "reason": reason}, follow=True)
    assert answer.status_code == 200
    assert any("Give a reason" in message for message in shown_messages(answer))
    assert moderation_rows() == before
    # The same for a decision about the person.
    answer = client.post(user_decide_url(cast.owner), {"decision": "suspend"}, follow=True)
    assert any("Give a reason" in message for message in shown_messages(answer))
    assert moderation_rows() == before


def test_a_reason_over_the_limit_is_refused(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(
        decide_url(case), {"decision": "take_down", "reason": "x" * 1001}, follow=True
    )
    assert any("at most 1000" in message for message in shown_messages(answer))
    assert moderation_rows() == before


def test_an_unknown_decision_is_refused(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(decide_url(case), {"decision": "delete", "reason": "x"}, follow=True)
    assert any("Choose one of the decisions" in m for m in shown_messages(answer))
    assert moderation_rows() == before


@pytest.mark.parametrize(
    ("make", "first", "then"),
    [
        (take_case, "take_down", "take_down"),
        (take_case, "dismiss", "take_down"),
        (take_case, "take_down", "dismiss"),
        (held_case, "reject", "approve"),
        (held_case, "approve", "reject"),
        (held_case, "approve", "approve"),
        (take_case, "dismiss", "restore"),
        (take_case, "dismiss", "approve"),  # approving is for held generations only
    ],
)
def test_a_decision_that_no_longer_applies_shows_an_error_and_changes_nothing(
    cast: Cast, desk: Desk, media_root, make, first: str, then: str
):
    case = make(cast)
    client = desk.client("moderator")
    answer = client.post(decide_url(case), {"decision": first, "reason": "First"}, follow=True)
    assert any("done" in message for message in shown_messages(answer))
    before = moderation_rows()

    answer = client.post(decide_url(case), {"decision": then, "reason": "Second"}, follow=True)

    assert answer.status_code == 200
    [message] = shown_messages(answer)
    assert "does not apply" in message
    assert moderation_rows() == before


def test_suspending_twice_or_lifting_no_suspension_is_refused(cast: Cast, desk: Desk):
    client = desk.client("moderator")
    url = user_decide_url(cast.editor)
    before = moderation_rows()
    answer = client.post(url, {"decision": "lift", "reason": "x"}, follow=True)
    assert any("is not suspended" in m for m in shown_messages(answer))
    assert moderation_rows() == before
    client.post(url, {"decision": "suspend", "reason": "x"})
    before = moderation_rows()
    answer = client.post(url, {"decision": "suspend", "reason": "again"}, follow=True)
    assert any("already suspended" in m for m in shown_messages(answer))
    assert moderation_rows() == before


def test_a_moderator_cannot_suspend_themselves(desk: Desk):
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(
        user_decide_url(desk.moderator), {"decision": "suspend", "reason": "x"}, follow=True
    )
    assert any("cannot suspend yourself" in m for m in shown_messages(answer))
    assert moderation_rows() == before


# Two moderators at once


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decisions", [("take_down", "take_down"), ("take_down", "dismiss")])
def test_two_moderators_deciding_one_case_at_once_exactly_one_wins(
    cast: Cast, desk: Desk, media_root, monkeypatch, decisions
):
    case = take_case(cast)
    clients = [desk.client("moderator"), desk.client("second")]
    # Both reach the case's lock together; the first to get it holds it a while.
    together = threading.Barrier(2)
    check = actions._check

    def check_then_wait(by) -> None:
        check(by)
        together.wait(timeout=10)

    remove = takedown.remove

    def slow_remove(*args):
        threading.Event().wait(0.3)
        return remove(*args)

    monkeypatch.setattr(actions, "_check", check_then_wait)
    monkeypatch.setattr(takedown, "remove", slow_remove)
    answers: list = [None, None]

    def decide(index: int) -> None:
        try:
            answers[index] = clients[index].post(
                decide_url(case),
                {"decision": decisions[index], "reason": f"By {index}"},
                follow=True,
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    said = [shown_messages(answer) for answer in answers]
    won = [i for i, messages in enumerate(said) if any("done" in m for m in messages)]
    lost = [i for i, messages in enumerate(said) if any("does not apply" in m for m in messages)]
    assert len(won) == 1, said
    assert len(lost) == 1, said
    [winner] = won
    entries = AuditEntry.objects.filter(case=case)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == [desk.moderator, desk.second][winner]
    assert entry.reason == f"By {winner}"
    case.refresh_from_db()
    expected = {"take_down": CaseState.REMOVED, "dismiss": CaseState.DISMISSED}
    assert case.state == expected[decisions[winner]]
    assert case.decided_by == entry.actor
    take = Take.objects.get(pk=case.take_id)
    assert (take.removed_at is not None) == (decisions[winner] == "take_down")
    assert Notice.objects.filter(case=case).count() == (decisions[winner] == "take_down")


# The queue


def listed_in(case: Case, page: str) -> bool:
    """Whether the changelist `page` links to the case (its filters ride along in the link)."""
    return re.search(rf'href="{re.escape(case_page(case))}["?]', page) is not None


def test_the_queue_opens_on_the_open_cases(cast: Cast, desk: Desk, media_root):
    open_case = take_case(cast)
    closed = project_case(cast)
    actions.dismiss(closed.pk, desk.moderator, "Fine")
    client = desk.client("moderator")
    queue = reverse("admin:moderation_case_changelist")

    page = client.get(queue).content.decode()
    assert listed_in(open_case, page)
    assert not listed_in(closed, page)
    page = client.get(f"{queue}?state__exact=dismissed").content.decode()
    assert listed_in(closed, page)
    assert not listed_in(open_case, page)
    page = client.get(f"{queue}?state__exact=all").content.decode()
    assert listed_in(closed, page)
    assert listed_in(open_case, page)


def test_the_queue_filters_by_state_category_source_and_age(cast: Cast, desk: Desk, media_root):
    reported = take_case(cast)  # report, violence
    held = held_case(cast)  # screening, violence
    project = project_case(cast)  # report, hate
    element = element_case(cast)  # report, copyright
    actions.dismiss(element.pk, desk.moderator, "Fine")
    Case.objects.filter(pk=project.pk).update(opened_at=timezone.now() - timedelta(days=9))
    client = desk.client("moderator")
    queue = reverse("admin:moderation_case_changelist")

    def listed(query: str) -> set[int]:
        answer = client.get(f"{queue}?{query}")
        assert answer.status_code == 200, query
        every = (held, reported, project, element)
        return {case.pk for case in every if listed_in(case, answer.content.decode())}

    assert listed("state__exact=open") == {held.pk, reported.pk, project.pk}
    assert listed("state__exact=dismissed") == {element.pk}
    assert listed("state__exact=all&category__exact=violence") == {held.pk, reported.pk}
    assert listed("state__exact=all&category__exact=hate") == {project.pk}
    assert listed("state__exact=all&source__exact=screening") == {held.pk}
    assert listed("state__exact=all&source__exact=report") == {reported.pk, project.pk, element.pk}
    assert listed("state__exact=all&age=day") == {held.pk, reported.pk, element.pk}
    assert listed("state__exact=all&age=older") == {project.pk}
    assert listed("state__exact=open&source__exact=report&age=week") == {reported.pk}
    assert listed("state__exact=all&subject_kind__exact=element") == {element.pk}
    assert listed(f"state__exact=all&owner__id__exact={cast.owner.pk}") == {
        held.pk,
        reported.pk,
        project.pk,
        element.pk,
    }
    # The filters are offered on the page.
    html = client.get(f"{queue}?state__exact=open").content.decode()
    for offered in ("?age=older", "category__exact=violence", "source__exact=provider"):
        assert offered in html.replace("&amp;", "&")


def test_the_case_page_marks_the_matched_term(cast: Cast, desk: Desk):
    case = held_case(cast)
    answer = desk.client("moderator").get(case_page(case))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "A <mark>harpoon</mark> flies across the deck" in html
    # Read-only: the decisions are the review panel's buttons, not the model form's save.
    assert 'name="_save"' not in html
    for decision in ("approve", "reject", "warn", "suspend"):
        assert f'name="decision" value="{decision}"' in html
    assert 'value="take_down"' not in html  # a held generation is approved or rejected
    assert f'action="{decide_url(case)}"' in html


def test_the_case_page_marks_evasions_too(cast: Cast, desk: Desk):
    """A term written with spacing and substitutions is found, and that stretch is marked."""
    BlockedTerm.objects.create(text="harpoon", category="violence", severity=Severity.REVIEW)
    bump_stamp()
    Shot.objects.filter(pk=cast.shots[0].pk).update(text="A H4RP00N flies <at> dawn")
    job = queued_job(cast.owner, cast.sequence)
    case = Case.objects.get(job=job)
    html = desk.client("moderator").get(case_page(case)).content.decode()
    assert "A <mark>H4RP00N</mark> flies &lt;at&gt; dawn" in html  # the rest escaped


def test_the_case_page_plays_the_take_from_the_case_media_url(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    html = desk.client("moderator").get(case_page(case)).content.decode()
    media = reverse("admin:moderation_case_media", args=[case.pk, f"take-{case.take_id}-video"])
    assert re.search(rf'<video[^>]* src="{re.escape(media)}"', html), html
    assert "Too gory for us" in html  # the report
    assert "viewer" in html  # who reported
    assert 'value="take_down"' in html
    assert 'value="dismiss"' in html


def test_the_case_page_previews_an_elements_images(cast: Cast, desk: Desk, media_root):
    case = element_case(cast)
    image = Element.objects.get(pk=case.element_id).images.get()
    html = desk.client("moderator").get(case_page(case)).content.decode()
    url = reverse("admin:moderation_case_media", args=[case.pk, f"image-{image.pk}"])
    assert f'<img src="{url}"' in html
    answer = desk.client("moderator").get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"


def test_the_case_page_is_refused_to_anyone_else(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    for who in ("staff", "root"):
        assert desk.client(who).get(case_page(case)).status_code == 403
        changelist = reverse("admin:moderation_case_changelist") + "?state__exact=open"
        assert desk.client(who).get(changelist).status_code == 403
    answer = desk.client("plain").get(case_page(case))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))


# The media preview


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content)


def test_the_media_preview_seeks_for_a_moderator_even_after_a_takedown(
    cast: Cast, desk: Desk, media_root
):
    case = take_case(cast)
    take = Take.objects.get(pk=case.take_id)
    stored = (media_root / take.video.name).read_bytes()
    url = reverse("admin:moderation_case_media", args=[case.pk, f"take-{take.pk}-video"])
    client = desk.client("moderator")

    for when in ("before", "after the takedown"):
        answer = client.get(url, HTTP_RANGE="bytes=100-199")
        assert answer.status_code == 206
        assert answer["Content-Range"] == f"bytes 100-199/{len(stored)}"
        assert answer["Content-Type"] == "video/mp4"
        assert {"private", "no-store"} <= set(answer["Cache-Control"].split(", "))
        assert _body(answer) == stored[100:200]
        whole = client.get(url)
        assert whole.status_code == 200
        assert _body(whole) == stored
        if when == "before":
            actions.take_down(case.pk, desk.moderator, "Gore")
            take.refresh_from_db()
            assert take.removed_at is not None


def test_the_media_preview_is_refused_to_anyone_else(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    url = reverse("admin:moderation_case_media", args=[case.pk, f"take-{case.take_id}-video"])
    for who in ("staff", "root"):
        assert desk.client(who).get(url, HTTP_RANGE="bytes=0-99").status_code == 403
    answer = desk.client("plain").get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))
    # The take's owner is no moderator either.
    assert cast.page_client("owner").get(url).status_code == 302


def test_the_media_preview_serves_only_files_of_the_cases_subject(
    cast: Cast, desk: Desk, media_root
):
    case = take_case(cast)
    other_take = delivered_take(queued_job(cast.editor, cast.sequence))  # same project
    outsider_sequence = Project.objects.get(owner=cast.outsider).sequences.get()
    storyboard_actions.add_shot(outsider_sequence, {"duration": 4, "text": "Elsewhere"})
    foreign = delivered_take(queued_job(cast.outsider, outsider_sequence))
    element = element_case(cast)
    image = Element.objects.get(pk=element.element_id).images.get()
    project = project_case(cast)
    client = desk.client("moderator")

    def status(of: Case, name: str) -> int:
        return client.get(reverse("admin:moderation_case_media", args=[of.pk, name])).status_code

    assert status(case, f"take-{case.take_id}-video") == 200
    assert status(case, f"take-{other_take.pk}-video") == 404  # another take of the project
    assert status(case, f"take-{foreign.pk}-video") == 404
    assert status(case, f"image-{image.pk}") == 404  # an element's file on a take's case
    assert status(case, f"take-{case.take_id}-thumbnail") == 404
    assert status(case, "take-abc-video") == 404
    assert status(case, "..") == 404
    assert status(element, f"image-{image.pk}") == 200
    assert status(element, f"take-{case.take_id}-video") == 404
    # A project's case previews the project's takes, and only those.
    assert status(project, f"take-{other_take.pk}-video") == 200
    assert status(project, f"take-{foreign.pk}-video") == 404
    assert status(project, f"image-{image.pk}") == 404
    missing = reverse("admin:moderation_case_media", args=[999_999, f"take-{case.take_id}-video"])
    assert client.get(missing).status_code == 404


# The admin index


def test_only_moderators_see_the_moderation_app(desk: Desk):
    index = reverse("admin:index")
    moderation = reverse("admin:app_list", args=["moderation"])
    page = desk.client("moderator").get(index).content.decode()
    assert f'href="{moderation}"' in page
    assert reverse("admin:moderation_case_changelist") in page
    for who in ("staff", "root"):
        page = desk.client(who).get(index)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'href="{moderation}"' not in html
        assert reverse("admin:moderation_case_changelist") not in html
        assert reverse("admin:moderation_auditentry_changelist") not in html
        assert desk.client(who).get(moderation).status_code in (403, 404)
    # The superuser still has the rest of the admin.
    assert reverse("admin:auth_user_changelist") in desk.client("root").get(index).content.decode()
