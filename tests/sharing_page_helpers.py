"""Helpers of the tests of the sharing pages (tests/test_the_sharing_page_*.py,
test_the_owner_shares_*.py, test_a_refused_sharing_form_*.py, test_the_invitation_page_*.py):
the pages' URLs, what a page offers, who has which role, the snapshot of the storyboard and
sharing tables, and a quick link.

Together those tests check the sharing pages through Django's test client: a project's sharing
page and an invitation link's landing page, with the links that lead to them.

The owner manages members and links there; other members see who is in and can leave, and get
403 for the owner's operations; outsiders get 404. Each operation works, a bad form comes back
with its error (400) and changes nothing, a new link is shown once only, and an invitation leads
a visitor (logged in, or signing up on the way) into the project.
"""

import re

from django.contrib.auth.models import User
from django.urls import reverse

from sharing import actions
from sharing.models import Invitation, InvitationUse
from storyboard_app.models import Membership, Project
from tests.conftest import Cast, storyboard_rows

NEW_PASSWORD = "harbour-lamp-storm-42"
OWNER_OPS = ["add", "role", "remove", "link", "revoke", "transfer"]
TOKEN_IN_PAGE = re.compile(r"/invite/([A-Za-z0-9_-]{20,100})/")


def sharing_url(project: Project) -> str:
    return reverse("sharing", args=[project.pk])


def invite_url(token: str) -> str:
    return reverse("invitation", args=[token])


def text(response) -> str:
    return response.content.decode()


def ops_offered(response) -> set[str]:
    return set(re.findall(r'name="op" value="([a-z]+)"', text(response)))


def role_of(project: Project, user: User) -> str | None:
    membership = Membership.objects.filter(project=project, user=user).first()
    return membership.role if membership else None


def everything() -> dict:
    """The storyboard tables plus the sharing ones: equal snapshots mean nothing changed."""
    rows = storyboard_rows()
    rows["Invitation"] = list(Invitation.objects.order_by("pk").values())
    rows["InvitationUse"] = list(InvitationUse.objects.order_by("pk").values())
    return rows


def make_link(cast: Cast, role: str = "editor", **options) -> tuple[Invitation, str]:
    return actions.create_invitation(cast.project, cast.owner, role, **options)
