"""Helpers of the tests of invitation links through the API (tests/test_the_owner_makes_*,
test_the_owner_lists_and_revokes_*, test_a_signed_in_user_joins_*): the routes, making and
accepting a link, a member's role and a link's uses.

Together those tests check invitation links through the API: the owner makes one (a role, an
optional expiry and use limit, optionally sent by e-mail), lists them with their state and
revokes them; whoever holds a link's token and is signed in joins the project with its role.

The token is in the answer that makes the link and nowhere else: only its SHA-256 is stored.
A link that cannot be used says why with 410 (revoked, expired, used up); an unknown token is a
404. Accepting is idempotent, and never lowers a member's role nor spends a use on them.
"""

from django.urls import reverse
from rest_framework.test import APIClient

from sharing.models import Invitation, InvitationUse
from storyboard_app.models import Membership, Project
from tests.conftest import Cast
from tests.sharing_helpers import accept_url

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
