"""The owner manages who is in a project through the API: add a member by username or e-mail,
change a role, remove a member, and transfer the ownership; any other member may leave.

Every refusal is a 400 with a message at the field at fault (never a 500, whatever id is sent)
and changes nothing. The owner's own role changes only by a transfer, which makes the old owner
an editor.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project
from tests.conftest import Cast, make_user

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


# Refusals: 400 at the field, with a message, and nothing changed


def owner_id(cast: Cast) -> int:
    return cast.owner.pk


def outsider_id(cast: Cast) -> int:
    return cast.outsider.pk


def nobodys_id(cast: Cast) -> int:
    return User.objects.order_by("-pk").first().pk + 1000


def a_member_of_another_project(cast: Cast) -> int:
    """A user who shares a project with the outsider, never with the cast's project."""
    stranger = make_user("stranger")
    other = Project.objects.get(owner=cast.outsider)
    Membership.objects.create(project=other, user=stranger, role=Role.EDITOR)
    return stranger.pk


def add(identifier: str, role: str = "viewer"):
    return lambda cast: ("post", members_url(cast), {"user": identifier, "role": role})


def change(user_id, role: str = "editor"):
    return lambda cast: ("patch", member_url(cast, user_id(cast)), {"role": role})


def remove(user_id):
    return lambda cast: ("delete", member_url(cast, user_id(cast)), None)


def transfer(user):
    return lambda cast: (
        "post",
        transfer_url(cast),
        {"user": user(cast) if callable(user) else user},
    )


REFUSALS = [
    pytest.param(
        add("nobody"),
        {"user": ["No user has that username or e-mail address."]},
        id="an unknown user",
    ),
    pytest.param(
        add("nobody@example.com"),
        {"user": ["No user has that username or e-mail address."]},
        id="an unknown e-mail address",
    ),
    pytest.param(
        add("EDITOR@example.com", "commenter"),
        {"user": ["editor is already a member of this project (editor)."]},
        id="someone already a member",
    ),
    pytest.param(
        add("owner", "editor"),
        {"user": ["owner is already a member of this project (owner)."]},
        id="the owner added again",
    ),
    pytest.param(
        add("outsider", "owner"),
        {"role": ['"owner" is not a valid choice.']},
        id="a new member made owner",
    ),
    pytest.param(
        add("outsider", "boss"), {"role": ['"boss" is not a valid choice.']}, id="no role"
    ),
    pytest.param(
        lambda cast: ("post", members_url(cast), {}),
        {"user": ["This field is required."], "role": ["This field is required."]},
        id="an empty request to add",
    ),
    pytest.param(
        change(owner_id),
        {"role": ["The owner's role changes only by transferring the ownership."]},
        id="the owner's role changed",
    ),
    pytest.param(
        change(lambda cast: cast.viewer.pk, "owner"),
        {"role": ['"owner" is not a valid choice.']},
        id="a member made owner by a role change",
    ),
    pytest.param(change(outsider_id), {"user": [NOT_A_MEMBER]}, id="the role of an outsider"),
    pytest.param(
        change(a_member_of_another_project),
        {"user": [NOT_A_MEMBER]},
        id="the role of a member of another project",
    ),
    pytest.param(change(nobodys_id), {"user": [NOT_A_MEMBER]}, id="the role of no user"),
    pytest.param(
        change(lambda cast: MAX_ID), {"user": [NOT_A_MEMBER]}, id="the role of the largest id"
    ),
    pytest.param(
        remove(owner_id),
        {"user": ["The owner cannot be removed: transfer the ownership first."]},
        id="the owner removed",
    ),
    pytest.param(remove(outsider_id), {"user": [NOT_A_MEMBER]}, id="an outsider removed"),
    pytest.param(
        remove(a_member_of_another_project),
        {"user": [NOT_A_MEMBER]},
        id="a member of another project removed",
    ),
    pytest.param(remove(nobodys_id), {"user": [NOT_A_MEMBER]}, id="no user removed"),
    pytest.param(
        transfer(owner_id), {"user": ["That user already owns this project."]}, id="to the owner"
    ),
    pytest.param(transfer(outsider_id), {"user": [NOT_A_MEMBER]}, id="a transfer to an outsider"),
    pytest.param(
        transfer(a_member_of_another_project),
        {"user": [NOT_A_MEMBER]},
        id="a transfer to a member of another project",
    ),
    pytest.param(transfer(nobodys_id), {"user": [NOT_A_MEMBER]}, id="a transfer to no user"),
    pytest.param(transfer(MAX_ID), {"user": [NOT_A_MEMBER]}, id="a transfer to the largest id"),
    pytest.param(
        transfer(2**70),
        {"user": [NOT_A_MEMBER]},
        id="a transfer to an id beyond any key",
    ),
    pytest.param(
        transfer(0),
        {"user": ["Ensure this value is greater than or equal to 1."]},
        id="a transfer to id 0",
    ),
    pytest.param(
        transfer("editor"), {"user": ["A valid integer is required."]}, id="a transfer to a name"
    ),
    pytest.param(
        lambda cast: ("post", transfer_url(cast), {}),
        {"user": ["This field is required."]},
        id="a transfer to nobody",
    ),
]


@pytest.mark.parametrize(("request_of", "errors"), REFUSALS)
def test_a_refused_request_says_why_at_its_field_and_changes_nothing(
    cast: Cast, db_rows, request_of, errors
):
    method, url, body = request_of(cast)
    before = db_rows()

    response = getattr(cast.client("owner"), method)(url, body, format="json")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == errors
    assert db_rows() == before


def test_an_inactive_account_cannot_be_added(cast: Cast, db_rows):
    cast.outsider.is_active = False
    cast.outsider.save()
    before = db_rows()

    response = cast.client("owner").post(
        members_url(cast), {"user": "outsider", "role": "viewer"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"user": ["No user has that username or e-mail address."]}
    assert db_rows() == before


def test_an_e_mail_address_of_several_accounts_asks_for_the_username(cast: Cast):
    User.objects.create_user("twin", "OUTSIDER@example.com", "a-long-test-password-2")

    response = cast.client("owner").post(
        members_url(cast), {"user": "outsider@example.com", "role": "viewer"}, format="json"
    )
    by_username = cast.client("owner").post(
        members_url(cast), {"user": "twin", "role": "viewer"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "user": ["Several accounts use that e-mail address: give the username instead."]
    }
    assert by_username.status_code == 201
    assert roles(cast.project) == {
        "owner": "owner",
        "editor": "editor",
        "viewer": "viewer",
        "twin": "viewer",
    }


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_members_who_are_not_the_owner_are_refused_every_change_with_403(cast: Cast, db_rows, who):
    client = cast.client(who)
    before = db_rows()

    responses = [
        client.post(members_url(cast), {"user": "outsider", "role": "editor"}, format="json"),
        client.patch(member_url(cast, cast.viewer.pk), {"role": "editor"}, format="json"),
        client.delete(member_url(cast, cast.owner.pk)),
        client.post(transfer_url(cast), {"user": getattr(cast, who).pk}, format="json"),
    ]

    assert [response.status_code for response in responses] == [403] * 4
    assert {response.json()["detail"] for response in responses} == {
        "Only the project's owner can do this."
    }
    assert db_rows() == before


def test_an_outsider_gets_404_and_learns_nothing(cast: Cast, db_rows):
    client = cast.client("outsider")
    before = db_rows()

    responses = [
        client.get(members_url(cast)),
        client.post(members_url(cast), {"user": "outsider", "role": "editor"}, format="json"),
        client.patch(member_url(cast, cast.viewer.pk), {"role": "editor"}, format="json"),
        client.delete(member_url(cast, cast.viewer.pk)),
        client.post(transfer_url(cast), {"user": cast.outsider.pk}, format="json"),
        client.post(leave_url(cast)),
    ]

    assert [response.status_code for response in responses] == [404] * 6
    assert db_rows() == before
