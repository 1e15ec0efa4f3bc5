"""Suspending a user: no login (the page and the token endpoint say why, but only to someone who
gave the right password), sessions and tokens already out stop working on their next request,
every job in flight (queued or held for review) is canceled and refunded, open editors close
with 4403. Suspending again is refused; lifting lets them in again. Each is an audit row.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jobs import credits
from jobs.models import GenerationJob, LedgerEntry
from moderation.models import AuditEntry, BlockedTerm, Case, Standing
from moderation_desk import actions as moderation_actions
from moderation_desk.actions import DecisionRefused
from storyboard_app import actions
from tests.conftest import PASSWORD, Cast
from tests.job_helpers import queued_job
from tests.role_helpers import FullCast, with_more_roles
from tests.socket_helpers import db, member_socket, run

REASON = "Repeated attempts to generate graphic violence."
SUSPENDED = f"This account is suspended by the moderators: {REASON}"
WRONG = "Please enter a correct username and password."
AT_ONCE_SECONDS = 2.0


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


def suspend(cast: FullCast, who: str = "editor") -> Standing:
    return moderation_actions.suspend(getattr(cast, who).pk, cast.moderator, REASON)


def log_in(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def token_for(username: str, password: str):
    return APIClient().post(
        reverse("api-token"), {"username": username, "password": password}, format="json"
    )


# Logging in


def test_the_login_page_tells_the_right_password_that_the_account_is_suspended(cast) -> None:
    suspend(cast)

    response = log_in("editor", PASSWORD)

    assert response.status_code == 200  # the form again, not logged in
    html = response.content.decode()
    assert SUSPENDED in html
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_wrong_password_gets_the_ordinary_error_and_learns_nothing(cast) -> None:
    suspend(cast)

    response = log_in("editor", "a-wrong-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert WRONG in html
    assert "suspended" not in html
    assert REASON not in html


def test_the_token_endpoint_refuses_with_the_reason(cast) -> None:
    suspend(cast)

    refused = token_for("editor", PASSWORD)
    wrong = token_for("editor", "a-wrong-password")

    assert refused.status_code == 403
    assert refused.json() == {"detail": SUSPENDED}
    assert not Token.objects.filter(user=cast.editor).exists()
    assert wrong.status_code == 400
    assert wrong.json() == {"non_field_errors": ["Wrong username or password."]}


def test_an_open_session_is_logged_out_on_its_next_request(cast) -> None:
    browser = Client()
    browser.force_login(cast.editor)
    assert browser.get(reverse("dashboard")).status_code == 200
    timeline = reverse("api-project-timeline", args=[cast.project.pk])
    assert browser.get(timeline).status_code == 200

    suspend(cast)

    page = browser.get(reverse("dashboard"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))
    assert browser.get(timeline).status_code == 401


def test_an_api_token_already_given_is_refused(cast) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.editor).key}")
    generate = reverse("api-sequence-generate", args=[cast.sequence.pk])
    assert api.get(reverse("api-projects")).status_code == 200

    suspend(cast)

    assert api.get(reverse("api-projects")).status_code == 401
    refused = api.post(generate, {"provider": "animatic"}, format="json")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "User inactive or deleted."}
    assert not GenerationJob.objects.exists()


def test_the_others_keep_working(cast) -> None:
    suspend(cast)

    assert token_for("viewer", PASSWORD).status_code == 200
    assert log_in("owner", PASSWORD).status_code == 302


# Jobs in flight


@pytest.fixture
def kling_on(settings):
    """Kling configured, so that a job costs credits (the animatic is free)."""
    settings.KLING_API_KEY = "test-key"


def held_job(cast: Cast, committed) -> GenerationJob:
    """A job screening holds for a moderator (its text matches a "review" term). The term's
    commit is played (`committed`): it is what tells screening that the list changed."""
    with committed(execute=True):
        BlockedTerm.objects.create(text="gunfight", category="violence", severity="review")
    shot = cast.shots[2]
    actions.update_shot(shot, shot.version, {"text": "A gunfight on the pier"})
    job = queued_job(cast.editor, cast.sequence, "kling")
    assert job.state == "held"
    return job


def test_jobs_in_flight_are_canceled_and_refunded(
    cast, kling_on, django_capture_on_commit_callbacks
) -> None:
    start = credits.balance_of(cast.editor)
    queued = queued_job(cast.editor, cast.sequence, "kling")
    held = held_job(cast, django_capture_on_commit_callbacks)
    others = queued_job(cast.owner, cast.sequence, "kling")  # someone else's: untouched
    assert queued.state == "queued"
    assert queued.cost > 0
    assert held.cost > 0
    assert credits.balance_of(cast.editor) == start - queued.cost - held.cost

    suspend(cast)

    for job in (queued, held):
        job.refresh_from_db()
        assert job.state == "canceled"
        assert job.error_code == "account_suspended"
        assert job.error_message == f"Canceled: the account was suspended ({REASON})"
        kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
        assert kinds == ["refund", "reserve"]
    assert credits.balance_of(cast.editor) == start
    others.refresh_from_db()
    assert others.state == "held"
    assert Case.objects.get(job=others).state == "open"
    # The held job's case needs no decision any more.
    case = Case.objects.get(job=held)
    assert (case.state, case.decision_reason) == ("rejected", "The account was suspended.")
    entry = AuditEntry.objects.get(action="suspend")
    assert entry.after == {"active": False, "jobs_canceled": 2}


# Open editors


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
def test_the_suspended_user_s_open_editors_close_with_4403(cast: FullCast) -> None:
    async def scenario():
        editor, _ = await member_socket(cast.project.pk, cast.editor)
        viewer, _ = await member_socket(cast.project.pk, cast.viewer)
        await db(suspend, cast)
        assert await editor.closed_with(AT_ONCE_SECONDS) == 4403
        # The others stay.
        await viewer.send({"type": "ping"})
        assert await viewer.next_of("pong") == {"type": "pong"}
        await viewer.disconnect()

    run(scenario())


# Refusals, lifting and the audit trail


def test_a_second_suspension_is_refused_and_changes_nothing(cast) -> None:
    suspend(cast)

    with pytest.raises(DecisionRefused, match="editor is already suspended"):
        moderation_actions.suspend(cast.editor.pk, cast.moderator, "Again.")

    standing = Standing.objects.get(user=cast.editor)
    assert standing.suspension_reason == REASON
    assert AuditEntry.objects.filter(action="suspend").count() == 1


def test_lifting_lets_the_user_in_again(cast) -> None:
    suspend(cast)

    moderation_actions.lift(cast.editor.pk, cast.moderator, "Served a week.")

    assert log_in("editor", PASSWORD).status_code == 302
    assert token_for("editor", PASSWORD).status_code == 200
    standing = Standing.objects.get(user=cast.editor)
    assert (standing.suspended_at, standing.suspension_reason) == (None, "")
    with pytest.raises(DecisionRefused, match="editor is not suspended"):
        moderation_actions.lift(cast.editor.pk, cast.moderator, "Again.")


def test_suspending_and_lifting_each_write_an_audit_row(cast) -> None:
    suspend(cast)
    moderation_actions.lift(cast.editor.pk, cast.moderator, "Served a week.")

    lifted, suspended = AuditEntry.objects.order_by("-id")
    for entry in (suspended, lifted):
        assert (entry.actor, entry.actor_name) == (cast.moderator, "moderator")
        assert (entry.target_user, entry.target_user_name) == (cast.editor, "editor")
        assert (entry.subject_kind, entry.subject_id) == ("user", cast.editor.pk)
    assert (suspended.action, suspended.reason) == ("suspend", REASON)
    assert suspended.before == {"active": True}
    assert (lifted.action, lifted.reason) == ("lift", "Served a week.")
    assert lifted.after == {"active": True}
    assert lifted.before["active"] is False


@pytest.mark.parametrize("who", ["staff", "owner"])
def test_only_a_moderator_may_suspend(cast, who) -> None:
    with pytest.raises(PermissionDenied):
        moderation_actions.suspend(cast.editor.pk, getattr(cast, who), REASON)

    cast.editor.refresh_from_db()
    assert cast.editor.is_active
    assert not AuditEntry.objects.exists()
