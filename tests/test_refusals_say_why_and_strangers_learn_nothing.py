"""What a refusal tells: a viewer or commenter learns why a write is refused, an editor that only
the owner deletes the project; a stranger to the project (an outsider, a moderator, a staff
user) gets the same 404 as for a missing id, and the project list holds only one's own projects.
The moderator and the staff user are what they claim (staff, one of them in the group) and hold
no membership.
"""

import pytest
from django.urls import reverse

from moderation.access import is_moderator
from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.conftest import Cast
from tests.role_helpers import MODERATORS, STRANGERS, FullCast, with_more_roles


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    """conftest's cast with a commenter of the project, a moderator and a staff user."""
    return with_more_roles(cast)


def test_the_project_list_holds_only_my_projects_with_my_role(cast):
    def listed(who: str) -> dict[str, str]:
        response = cast.client(who).get(reverse("api-projects"))
        return {project["title"]: project["role"] for project in response.json()}

    assert listed("owner") == {"Lighthouse": "owner"}
    assert listed("editor") == {"Lighthouse": "editor"}
    assert listed("viewer") == {"Lighthouse": "viewer"}
    assert listed("commenter") == {"Lighthouse": "commenter"}
    assert listed("outsider") == {"Someone else's film": "owner"}
    assert listed("moderator") == {}
    assert listed("staff") == {}


def test_the_added_roles_are_what_they_claim_and_nothing_more(cast):
    """The moderator and the staff user hold no membership: whatever they get in the table
    comes from their group or flag alone (nothing over projects). Both are staff; only the
    moderator is in the group, which is what makes a moderator."""
    assert cast.moderator.groups.filter(name=MODERATORS).exists()
    assert cast.moderator.is_staff
    assert not cast.moderator.is_superuser
    assert is_moderator(cast.moderator)
    assert cast.staff.is_staff
    assert not cast.staff.is_superuser
    assert not cast.staff.groups.exists()
    assert not is_moderator(cast.staff)
    assert not Membership.objects.filter(user__in=[cast.moderator, cast.staff]).exists()
    assert Membership.objects.get(user=cast.commenter).role == Role.COMMENTER


@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_a_viewer_or_commenter_is_told_why_a_write_is_refused(cast, who):
    response = cast.client(who).patch(
        reverse("api-shot", args=[cast.shots[0].pk]), {"version": 1, "text": "x"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this project but not change it."}


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_to_the_project_learns_nothing_of_it(cast, who):
    """The moderator and the staff user get the same 404 as an outsider, as for a missing id."""
    client = cast.client(who)

    mine = client.get(reverse("api-project", args=[cast.project.pk]))
    missing = client.get(reverse("api-project", args=[cast.project.pk + 1000]))

    assert mine.status_code == missing.status_code == 404
    assert mine.json() == missing.json()


def test_an_editor_is_told_only_the_owner_may_delete_the_project(cast):
    response = cast.client("editor").delete(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the project's owner can do this."}
