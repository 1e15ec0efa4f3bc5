"""The decisions of a moderator about a person: a warning (from a case or from the standing
page), a suspension (which logs the owner out and cancels their jobs) and lifting it, each
with its audit row and notice.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jobs.choices import JobState
from jobs.credits import balance_of
from moderation.choices import AuditAction, CaseState
from moderation.models import (
    AuditEntry,
    Notice,
    Standing,
)
from moderation_desk import actions
from tests.conftest import PASSWORD, Cast
from tests.job_helpers import queued_job
from tests.moderation_desk_helpers import (
    Desk,
    decide_url,
    make_desk,
    project_case,
    user_decide_url,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


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
