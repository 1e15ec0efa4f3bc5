"""The owner manages who is in a project through the API: adds a member by username or
e-mail in any case, changes a role (at once in force), removes a member, and transfers
the ownership (the old owner stays as an editor); any other member may leave, the owner
is told to transfer first.
"""

import pytest
from django.urls import reverse

from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.conftest import Cast
from tests.member_helpers import (
    leave_url,
    member_url,
    members_url,
    role_of,
    roles,
    transfer_url,
)

# Adding a member


@pytest.mark.parametrize(
    "identifier",
    ["outsider", "OUTSIDER", "outsider@example.com", "Outsider@EXAMPLE.com", "  outsider  "],
)
def test_the_owner_adds_a_member_by_username_or_e_mail_in_any_case(cast: Cast, identifier):
    response = cast.client("owner").post(
        members_url(cast), {"user": identifier, "role": "commenter"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {key: body[key] for key in ("user", "username", "role")} == {
        "user": cast.outsider.pk,
        "username": "outsider",
        "role": "commenter",
    }
    assert body["joined_at"]
    assert role_of(cast.project, cast.outsider) == Role.COMMENTER


def test_every_member_reads_the_list_of_members_with_their_roles(cast: Cast):
    for who in ("owner", "editor", "viewer"):
        response = cast.client(who).get(members_url(cast))

        assert response.status_code == 200
        listed = {member["username"]: member["role"] for member in response.json()}
        assert listed == {"owner": "owner", "editor": "editor", "viewer": "viewer"}


def test_an_added_member_opens_the_project_with_their_role(cast: Cast):
    cast.client("owner").post(members_url(cast), {"user": "outsider", "role": "viewer"})

    response = cast.client("outsider").get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


# Changing a role


@pytest.mark.parametrize(("who", "role"), [("viewer", "editor"), ("editor", "commenter")])
def test_the_owner_changes_a_members_role(cast: Cast, who, role):
    user = getattr(cast, who)

    response = cast.client("owner").patch(member_url(cast, user.pk), {"role": role}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == role
    assert response.json()["user"] == user.pk
    assert role_of(cast.project, user) == role


def test_a_promoted_viewer_may_edit_at_once(cast: Cast):
    shot_url = reverse("api-shot", args=[cast.shots[0].pk])
    refused = cast.client("viewer").patch(shot_url, {"version": 1, "text": "x"}, format="json")
    cast.client("owner").patch(member_url(cast, cast.viewer.pk), {"role": "editor"}, format="json")

    allowed = cast.client("viewer").patch(shot_url, {"version": 1, "text": "x"}, format="json")

    assert (refused.status_code, allowed.status_code) == (403, 200)


# Removing and leaving


def test_the_owner_removes_a_member_who_then_cannot_open_the_project(cast: Cast):
    response = cast.client("owner").delete(member_url(cast, cast.editor.pk))

    assert response.status_code == 204
    assert role_of(cast.project, cast.editor) is None
    project = cast.client("editor").get(reverse("api-project", args=[cast.project.pk]))
    assert project.status_code == 404


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_a_member_leaves_the_project(cast: Cast, who):
    response = cast.client(who).post(leave_url(cast))

    assert response.status_code == 204
    assert role_of(cast.project, getattr(cast, who)) is None
    assert cast.client(who).get(members_url(cast)).status_code == 404


def test_the_owner_is_told_to_transfer_the_ownership_before_leaving(cast: Cast, db_rows):
    before = db_rows()

    response = cast.client("owner").post(leave_url(cast))

    assert response.status_code == 400
    assert response.json() == {
        "user": ["You own this project: transfer the ownership before you leave it."]
    }
    assert db_rows() == before


# Transferring the ownership


def test_a_transfer_makes_the_member_owner_and_the_old_owner_an_editor(cast: Cast):
    response = cast.client("owner").post(
        transfer_url(cast), {"user": cast.editor.pk}, format="json"
    )

    assert response.status_code == 200
    listed = {member["username"]: member["role"] for member in response.json()}
    assert listed == {"owner": "editor", "editor": "owner", "viewer": "viewer"}
    cast.project.refresh_from_db()
    assert cast.project.owner == cast.editor
    assert roles(cast.project) == {"owner": "editor", "editor": "owner", "viewer": "viewer"}
    assert Membership.objects.filter(project=cast.project, role=Role.OWNER).count() == 1


def test_after_a_transfer_the_new_owner_manages_and_the_old_one_no_longer_can(cast: Cast):
    cast.client("owner").post(transfer_url(cast), {"user": cast.viewer.pk}, format="json")

    added = cast.client("viewer").post(
        members_url(cast), {"user": "outsider", "role": "viewer"}, format="json"
    )
    refused = cast.client("owner").delete(member_url(cast, cast.outsider.pk))
    left = cast.client("owner").post(leave_url(cast))

    assert added.status_code == 201
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the project's owner can do this."}
    assert left.status_code == 204  # an editor now, the old owner may leave
    assert roles(cast.project) == {"viewer": "owner", "editor": "editor", "outsider": "viewer"}


def test_the_project_shows_its_new_owner_to_every_member(cast: Cast):
    cast.client("owner").post(transfer_url(cast), {"user": cast.editor.pk}, format="json")

    seen = {
        who: cast.client(who).get(reverse("api-project", args=[cast.project.pk])).json()
        for who in ("owner", "editor", "viewer")
    }

    assert {who: project["owner"] for who, project in seen.items()} == dict.fromkeys(seen, "editor")
    assert {who: project["role"] for who, project in seen.items()} == {
        "owner": "editor",
        "editor": "owner",
        "viewer": "viewer",
    }
