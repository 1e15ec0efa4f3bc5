"""Ids of users who are not members, and of links of other projects, are refused in sharing
bodies: the ownership goes only to a member, a member change names a member of this
project (not through another project of one's own), and the sharing page neither changes
a non-member nor revokes a link of another project. Each refusal changes nothing.
"""

import pytest
from django.urls import reverse

from sharing import actions as sharing_actions
from storyboard_app.models import Membership, Project
from tests.conftest import Cast
from tests.foreign_id_helpers import (
    MISSING,
    NOT_A_MEMBER,
    all_rows,
    owners_second_project,
)
from tests.sharing_helpers import invite


@pytest.fixture
def db_rows():
    return all_rows


# Members and ownership


def user_ids_not_members(cast: Cast) -> dict[str, int]:
    return {"the outsider": cast.outsider.pk, "no user": MISSING}


@pytest.mark.parametrize("who", ["the outsider", "no user"])
def test_ownership_goes_only_to_a_member(cast: Cast, db_rows, who):
    user_id = user_ids_not_members(cast)[who]
    before = db_rows()

    response = cast.client("owner").post(
        reverse("api-project-transfer", args=[cast.project.pk]), {"user": user_id}, "json"
    )

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("who", ["the outsider", "no user"])
def test_a_member_change_of_a_user_of_another_project_is_refused(cast: Cast, db_rows, who, method):
    user_id = user_ids_not_members(cast)[who]
    url = reverse("api-member", args=[cast.project.pk, user_id])
    before = db_rows()

    client = cast.client("owner")
    if method == "PATCH":
        response = client.patch(url, {"role": "editor"}, format="json")
    else:
        response = client.delete(url)

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_owner_cannot_reach_a_member_of_another_project_through_their_own(
    cast: Cast, db_rows, method
):
    """The outsider owns a project too: naming the cast's viewer under it changes nothing."""
    theirs = Project.objects.get(owner=cast.outsider)
    url = reverse("api-member", args=[theirs.pk, cast.viewer.pk])
    before = db_rows()

    client = cast.client("outsider")
    if method == "PATCH":
        response = client.patch(url, {"role": "editor"}, format="json")
    else:
        response = client.delete(url)

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before
    assert Membership.objects.get(project=cast.project, user=cast.viewer).role == "viewer"


@pytest.mark.parametrize("op", ["role", "remove", "transfer"])
def test_the_sharing_page_refuses_a_user_who_is_not_a_member(cast: Cast, db_rows, op):
    client = cast.page_client("owner")  # logging in writes `last_login`: first
    before = db_rows()

    response = client.post(
        reverse("sharing", args=[cast.project.pk]),
        {"op": op, "member": cast.outsider.pk, "user": cast.outsider.pk, "role": "editor"},
        follow=True,
    )

    assert response.status_code == 200
    assert "That user is not a member of this project." in response.content.decode()
    assert db_rows() == before


@pytest.mark.parametrize("op", ["revoke", "review-revoke"])
def test_the_sharing_page_cannot_revoke_a_link_of_another_project(cast: Cast, db_rows, op):
    """The owner's other project has links: revoking them through this project's page is a
    404, as for a link that does not exist."""
    other = owners_second_project(cast)
    if op == "revoke":
        link = sharing_actions.create_invitation(other, cast.owner, "viewer")[0]
    else:
        link = sharing_actions.create_review_link(other, cast.owner)[0]
    invite(cast, "viewer")  # this project has links of its own
    sharing_actions.create_review_link(cast.project, cast.owner)
    client = cast.page_client("owner")  # logging in writes `last_login`: first
    before = db_rows()

    foreign = client.post(reverse("sharing", args=[cast.project.pk]), {"op": op, "link": link.pk})
    missing = client.post(reverse("sharing", args=[cast.project.pk]), {"op": op, "link": MISSING})

    assert foreign.status_code == missing.status_code == 404
    assert db_rows() == before
