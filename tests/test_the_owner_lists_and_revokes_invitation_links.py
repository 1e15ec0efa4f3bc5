"""The owner lists a project's invitation links with their state (this project's only) and
revokes them: a revoked link lets no one in, revoking twice keeps the first time, members
who joined stay, and a link of another project or no link is a 404.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sharing import actions
from sharing.models import Invitation
from storyboard_app.choices import Role
from storyboard_app.models import Project
from tests.conftest import Cast
from tests.invitation_helpers import (
    REVOKED,
    accept,
    invitation_url,
    invitations_url,
    role_of,
    uses_of,
)
from tests.sharing_helpers import invite, sharing_rows

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
