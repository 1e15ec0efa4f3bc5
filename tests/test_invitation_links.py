"""Invitation links through the API: the owner makes one (a role, an optional expiry and use
limit, optionally sent by e-mail), lists them with their state and revokes them; whoever holds
a link's token and is signed in joins the project with its role.

The token is in the answer that makes the link and nowhere else: only its SHA-256 is stored.
A link that cannot be used says why with 410 (revoked, expired, used up); an unknown token is a
404. Accepting is idempotent, and never lowers a member's role nor spends a use on them.
"""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sharing import actions
from sharing.models import Invitation, InvitationUse
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project
from tests.conftest import Cast, make_user
from tests.sharing_helpers import accept_url, invite, sharing_rows

REVOKED = "This invitation link was revoked by the project's owner."
USED_UP = "This invitation link has been used as many times as it allows."


def invitations_url(cast: Cast) -> str:
    return reverse("api-invitations", args=[cast.project.pk])


def invitation_url(invitation: Invitation) -> str:
    return reverse("api-invitation", args=[invitation.pk])


def create(cast: Cast, **body):
    return cast.client("owner").post(invitations_url(cast), body, format="json")


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def accept(cast: Cast, who: str, token: str):
    return cast.client(who).post(accept_url(token))


def role_of(project: Project, user) -> str | None:
    membership = Membership.objects.filter(project=project, user=user).first()
    return membership.role if membership else None


def uses_of(invitation: Invitation) -> tuple[int, int]:
    """The use counter and the number of recorded uses: always equal."""
    invitation.refresh_from_db()
    return invitation.uses, InvitationUse.objects.filter(invitation=invitation).count()


# Making a link


def test_the_owner_makes_a_link_with_a_role_an_expiry_and_a_use_limit(cast: Cast):
    expires_at = timezone.now() + timedelta(days=7)

    response = create(cast, role="commenter", expires_at=expires_at.isoformat(), max_uses=5)

    assert response.status_code == 201, response.json()
    body = response.json()
    invitation = Invitation.objects.get(pk=body["id"])
    assert (invitation.project, invitation.role, invitation.max_uses, invitation.uses) == (
        cast.project,
        "commenter",
        5,
        0,
    )
    assert invitation.expires_at == expires_at
    assert invitation.created_by == cast.owner
    assert {key: body[key] for key in ("role", "max_uses", "uses", "state", "created_by")} == {
        "role": "commenter",
        "max_uses": 5,
        "uses": 0,
        "state": "active",
        "created_by": "owner",
    }
    assert body["url"] == f"http://testserver/invite/{body['token']}/"


def test_a_link_without_limits_never_expires_and_takes_any_number_of_uses(cast: Cast):
    body = create(cast, role="viewer").json()

    assert (body["expires_at"], body["max_uses"], body["revoked_at"]) == (None, None, None)
    for number in range(3):
        response = client_of(make_user(f"guest{number}")).post(accept_url(body["token"]))
        assert response.status_code == 200
    assert Invitation.objects.get(pk=body["id"]).uses == 3


def test_only_the_tokens_sha_256_is_stored_and_the_answer_alone_holds_the_token(cast: Cast):
    body = create(cast, role="editor", email="guest@example.com").json()
    token = body["token"]

    stored = Invitation.objects.filter(pk=body["id"]).values().get()

    assert len(token) >= 43
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert [name for name, value in stored.items() if token in str(value)] == []
    listed = cast.client("owner").get(invitations_url(cast))
    assert token not in listed.content.decode()
    assert "token" not in listed.json()[0]


def test_two_links_never_share_a_token(cast: Cast):
    tokens = {create(cast, role="viewer").json()["token"] for _ in range(5)}

    assert len(tokens) == 5
    assert Invitation.objects.values("token_hash").distinct().count() == 5


def test_a_link_with_an_address_is_e_mailed_after_the_commit(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = create(cast, role="editor", email="Guest@Example.com", max_uses=1)
        assert mail.outbox == [], "sent before the invitation was committed"

    assert response.status_code == 201
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Guest@Example.com"]
    assert message.subject == "owner invites you to “Lighthouse” on Storyboard Director"
    assert response.json()["url"] in message.body
    assert "as editor" in message.body
    assert response.json()["email"] == "Guest@Example.com"


def test_a_link_without_an_address_sends_no_e_mail(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = create(cast, role="viewer")

    assert response.status_code == 201
    assert (callbacks, mail.outbox) == ([], [])


def test_the_e_mail_says_until_when_the_link_works(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    expires_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        create(cast, role="viewer", email="guest@example.com", expires_at=expires_at.isoformat())

    assert f"works until {expires_at:%d %B %Y %H:%M} UTC" in mail.outbox[0].body


def in_days(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        pytest.param(
            {"role": "viewer", "expires_at": in_days(-1)},
            {"expires_at": ["The expiry must be in the future."]},
            id="an expiry in the past",
        ),
        pytest.param(
            {"role": "viewer", "expires_at": in_days(400)},
            {"expires_at": ["A link lasts at most 365 days."]},
            id="an expiry beyond a year",
        ),
        pytest.param(
            {"role": "viewer", "expires_at": "next tuesday"},
            {
                "expires_at": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
            id="an expiry that is no date",
        ),
        pytest.param(
            {"role": "viewer", "max_uses": 0},
            {"max_uses": ["Ensure this value is greater than or equal to 1."]},
            id="no use allowed",
        ),
        pytest.param(
            {"role": "viewer", "max_uses": 5000},
            {"max_uses": ["Ensure this value is less than or equal to 1000."]},
            id="5000 uses",
        ),
        pytest.param(
            {"role": "owner"}, {"role": ['"owner" is not a valid choice.']}, id="an owner link"
        ),
        pytest.param({}, {"role": ["This field is required."]}, id="no role"),
        pytest.param(
            {"role": "viewer", "email": "not an address"},
            {"email": ["Enter a valid email address."]},
            id="a bad e-mail address",
        ),
        pytest.param(
            {"role": "boss", "max_uses": -1, "email": "@"},
            {
                "role": ['"boss" is not a valid choice.'],
                "max_uses": ["Ensure this value is greater than or equal to 1."],
                "email": ["Enter a valid email address."],
            },
            id="every field wrong at once",
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_makes_no_link(
    cast: Cast, settings, django_capture_on_commit_callbacks, body, errors
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = sharing_rows()

    with django_capture_on_commit_callbacks(execute=True):
        response = create(cast, **body)

    assert response.status_code == 400
    assert response.json() == errors
    assert sharing_rows() == before
    assert mail.outbox == []


# Listing and revoking


def test_the_list_shows_each_links_state(cast: Cast):
    active, _ = invite(cast, "viewer", max_uses=2)
    expired, _ = invite(cast, "viewer", expires_at=timezone.now() + timedelta(hours=1))
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    revoked, _ = invite(cast, "editor")
    actions.revoke_invitation(revoked)
    used_up, token = invite(cast, "commenter", max_uses=1)
    assert accept(cast, "outsider", token).status_code == 200

    response = cast.client("owner").get(invitations_url(cast))

    assert response.status_code == 200
    states = {link["id"]: link["state"] for link in response.json()}
    assert states == {
        active.pk: "active",
        expired.pk: "expired",
        revoked.pk: "revoked",
        used_up.pk: "used_up",
    }
    assert [link["id"] for link in response.json()] == [
        used_up.pk,
        revoked.pk,
        expired.pk,
        active.pk,
    ]


def test_the_list_holds_only_this_projects_links(cast: Cast):
    mine, _ = invite(cast, "viewer")
    actions.create_invitation(Project.objects.get(owner=cast.outsider), cast.outsider, "viewer")

    response = cast.client("owner").get(invitations_url(cast))

    assert [link["id"] for link in response.json()] == [mine.pk]


def test_a_revoked_link_lets_no_one_in(cast: Cast):
    invitation, token = invite(cast, "editor")

    response = cast.client("owner").delete(invitation_url(invitation))
    refused = accept(cast, "outsider", token)

    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert refused.status_code == 410
    assert refused.json() == {"detail": REVOKED}
    assert role_of(cast.project, cast.outsider) is None
    assert uses_of(invitation) == (0, 0)


def test_revoking_twice_keeps_the_first_time(cast: Cast):
    invitation, _ = invite(cast, "editor")
    client = cast.client("owner")
    client.delete(invitation_url(invitation))
    first = Invitation.objects.get(pk=invitation.pk).revoked_at

    again = client.delete(invitation_url(invitation))

    assert again.status_code == 204
    assert Invitation.objects.get(pk=invitation.pk).revoked_at == first


def test_revoking_keeps_the_members_who_joined_through_the_link(cast: Cast):
    invitation, token = invite(cast, "commenter")
    accept(cast, "outsider", token)

    cast.client("owner").delete(invitation_url(invitation))

    assert role_of(cast.project, cast.outsider) == Role.COMMENTER


def test_the_owner_cannot_revoke_a_link_of_another_project(cast: Cast):
    theirs, token = actions.create_invitation(
        Project.objects.get(owner=cast.outsider), cast.outsider, "viewer"
    )
    before = sharing_rows()

    response = cast.client("owner").delete(invitation_url(theirs))

    assert response.status_code == 404
    assert sharing_rows() == before


def test_revoking_no_link_is_a_404(cast: Cast):
    response = cast.client("owner").delete(reverse("api-invitation", args=[2**63 - 1]))

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}


# Accepting


def test_a_signed_in_user_with_the_token_joins_with_the_links_role(cast: Cast):
    invitation, token = invite(cast, "commenter", max_uses=3)

    response = accept(cast, "outsider", token)

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("user", "username", "role", "project")} == {
        "user": cast.outsider.pk,
        "username": "outsider",
        "role": "commenter",
        "project": cast.project.pk,
    }
    assert role_of(cast.project, cast.outsider) == Role.COMMENTER
    assert uses_of(invitation) == (1, 1)
    project = cast.client("outsider").get(reverse("api-project", args=[cast.project.pk]))
    assert project.json()["role"] == "commenter"


def test_an_anonymous_visitor_must_sign_in_to_accept(cast: Cast):
    invitation, token = invite(cast, "viewer")

    response = cast.client(None).post(accept_url(token))

    assert response.status_code == 401
    assert uses_of(invitation) == (0, 0)


def test_accepting_twice_keeps_one_membership_and_one_use(cast: Cast):
    invitation, token = invite(cast, "editor", max_uses=5)

    first = accept(cast, "outsider", token)
    second = accept(cast, "outsider", token)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert Membership.objects.filter(project=cast.project, user=cast.outsider).count() == 1
    assert uses_of(invitation) == (1, 1)


def test_accepting_again_a_link_used_up_by_oneself_still_answers_the_membership(cast: Cast):
    invitation, token = invite(cast, "viewer", max_uses=1)
    accept(cast, "outsider", token)

    again = accept(cast, "outsider", token)

    assert again.status_code == 200
    assert again.json()["role"] == "viewer"
    assert uses_of(invitation) == (1, 1)


@pytest.mark.parametrize(("who", "link_role"), [("owner", "editor"), ("editor", "commenter")])
def test_a_member_with_a_higher_role_keeps_it_and_spends_no_use(cast: Cast, who, link_role):
    invitation, token = invite(cast, link_role, max_uses=1)
    before = sharing_rows()

    response = accept(cast, who, token)

    assert response.status_code == 200
    assert response.json()["role"] == who
    assert sharing_rows() == before
    assert uses_of(invitation) == (0, 0)


def test_a_member_with_a_lower_role_is_raised_to_the_links_role(cast: Cast):
    invitation, token = invite(cast, "editor", max_uses=1)

    response = accept(cast, "viewer", token)

    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    assert role_of(cast.project, cast.viewer) == Role.EDITOR
    assert uses_of(invitation) == (1, 1)


def test_a_removed_member_cannot_come_back_through_the_same_link(cast: Cast):
    invitation, token = invite(cast, "viewer", max_uses=5)
    accept(cast, "outsider", token)
    cast.client("owner").delete(reverse("api-member", args=[cast.project.pk, cast.outsider.pk]))

    response = accept(cast, "outsider", token)

    assert response.status_code == 410
    assert response.json() == {"detail": "You were removed from this project after joining it."}
    assert role_of(cast.project, cast.outsider) is None
    assert uses_of(invitation) == (1, 1)


def test_an_expired_link_says_when_it_expired(cast: Cast):
    invitation, token = invite(cast, "viewer", expires_at=timezone.now() + timedelta(hours=1))
    expired_at = timezone.now().replace(microsecond=0) - timedelta(days=2)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=expired_at)

    response = accept(cast, "outsider", token)

    assert response.status_code == 410
    assert response.json() == {
        "detail": f"This invitation link expired on {expired_at:%d %B %Y at %H:%M} UTC."
    }
    assert role_of(cast.project, cast.outsider) is None
    assert uses_of(invitation) == (0, 0)


def test_a_used_up_link_lets_no_one_else_in(cast: Cast):
    invitation, token = invite(cast, "viewer", max_uses=1)
    late = make_user("late")
    assert accept(cast, "outsider", token).status_code == 200

    response = client_of(late).post(accept_url(token))

    assert response.status_code == 410
    assert response.json() == {"detail": USED_UP}
    assert role_of(cast.project, late) is None
    assert uses_of(invitation) == (1, 1)


@pytest.mark.parametrize(
    "token",
    ["A" * 43, "an-unknown-token-of-43-characters-xxxxxxxx", "x" * 20, "y" * 100],
)
def test_an_unknown_token_is_a_404(cast: Cast, token):
    invite(cast, "viewer")
    before = sharing_rows()

    response = accept(cast, "outsider", token)

    assert response.status_code == 404
    assert response.json() == {"detail": "This invitation link is not valid."}
    assert sharing_rows() == before


def test_a_token_that_cannot_be_one_matches_no_route(cast: Cast):
    response = cast.client("outsider").post("/api/invitations/short/accept/")

    assert response.status_code == 404


def test_a_link_of_a_deleted_project_is_not_valid(cast: Cast):
    _, token = invite(cast, "viewer")
    cast.client("owner").delete(reverse("api-project", args=[cast.project.pk]))

    response = accept(cast, "outsider", token)

    assert response.status_code == 404
    assert Invitation.objects.count() == 0


class UnreachableMailServer(BaseEmailBackend):
    """An e-mail backend whose server is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_loses_neither_the_link_nor_the_answer(
    cast: Cast, settings, caplog
):
    """Outside a test's transaction, as in production: the e-mail goes out right after the
    commit, inside the request. Its failure is logged; the owner still gets the link, which is
    shown once only."""
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"

    response = create(cast, role="viewer", email="guest@example.com")

    assert response.status_code == 201
    invitation = Invitation.objects.get(pk=response.json()["id"])
    assert invitation.token_hash == hashlib.sha256(response.json()["token"].encode()).hexdigest()
    assert accept(cast, "outsider", response.json()["token"]).status_code == 200
    assert "Connection refused" in caplog.text
