"""Whoever holds a link's token and is signed in joins the project with its role; accepting
is idempotent, never lowers a member's role nor spends a use on them; a link that cannot
be used says why with 410 (revoked, expired, used up, removed since), an unknown token or
a deleted project's link is a 404.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.models import Invitation
from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.conftest import Cast, make_user
from tests.invitation_helpers import (
    USED_UP,
    accept,
    client_of,
    role_of,
    uses_of,
)
from tests.sharing_helpers import accept_url, invite, sharing_rows

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
