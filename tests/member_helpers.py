"""Helpers of the tests of managing members through the API (tests/test_the_owner_adds_*,
test_a_refused_membership_change_*): the routes and who has which role.

Together those tests check that the owner manages who is in a project through the API: add a
member by username or e-mail, change a role, remove a member, and transfer the ownership; any
other member may leave.

Every refusal is a 400 with a message at the field at fault (never a 500, whatever id is sent)
and changes nothing. The owner's own role changes only by a transfer, which makes the old owner
an editor.
"""

from django.contrib.auth.models import User
from django.urls import reverse

from storyboard_app.models import Membership, Project
from tests.conftest import Cast

NOT_A_MEMBER = "That user is not a member of this project."
MAX_ID = 2**63 - 1


def members_url(cast: Cast) -> str:
    return reverse("api-members", args=[cast.project.pk])


def member_url(cast: Cast, user_id: int) -> str:
    return reverse("api-member", args=[cast.project.pk, user_id])


def transfer_url(cast: Cast) -> str:
    return reverse("api-project-transfer", args=[cast.project.pk])


def leave_url(cast: Cast) -> str:
    return reverse("api-project-leave", args=[cast.project.pk])


def role_of(project: Project, user: User) -> str | None:
    membership = Membership.objects.filter(project=project, user=user).first()
    return membership.role if membership else None


def roles(project: Project) -> dict[str, str]:
    rows = Membership.objects.filter(project=project).values_list("user__username", "role")
    return dict(rows)
