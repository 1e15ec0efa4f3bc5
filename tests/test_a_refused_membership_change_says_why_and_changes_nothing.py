"""Every refused change of the members is a 400 with a message at the field at fault (never
a 500, whatever id is sent) and changes nothing: an inactive account, an address of
several accounts; members who are not the owner get 403 for every change, an outsider 404.
"""

import pytest
from django.contrib.auth.models import User

from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project
from tests.conftest import Cast, make_user
from tests.member_helpers import (
    MAX_ID,
    NOT_A_MEMBER,
    leave_url,
    member_url,
    members_url,
    roles,
    transfer_url,
)

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
