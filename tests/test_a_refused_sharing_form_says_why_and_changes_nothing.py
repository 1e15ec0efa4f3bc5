"""A bad form on the sharing page comes back with its error (400), a refused addition keeps
what was typed, a refused operation says why, and an id that is no id (of a link or a
member) is refused: none of them changes anything.
"""

import pytest

from tests.conftest import Cast
from tests.sharing_page_helpers import (
    TOKEN_IN_PAGE,
    everything,
    make_link,
    sharing_url,
    text,
)

# Bad forms and refusals


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"op": "add", "user": "", "role": "editor"}, "This field is required."),
        ({"op": "add", "user": "editor", "role": "owner"}, "Select a valid choice."),
        ({"op": "link", "role": ""}, "This field is required."),
        ({"op": "link", "role": "owner"}, "Select a valid choice."),
        ({"op": "link", "role": "editor", "max_uses": "0"}, "greater than or equal to 1"),
        ({"op": "link", "role": "editor", "max_uses": "1001"}, "less than or equal to 1000"),
        ({"op": "link", "role": "editor", "expires": "999"}, "Select a valid choice."),
        ({"op": "link", "role": "editor", "email": "not-an-address"}, "valid email address"),
    ],
    ids=[
        "add without a user",
        "add as owner",
        "link without a role",
        "link as owner",
        "link with no uses",
        "link with too many uses",
        "link with an odd expiry",
        "link to a bad address",
    ],
)
def test_a_bad_form_comes_back_with_its_error_and_changes_nothing(cast: Cast, fields, error):
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), fields)

    assert response.status_code == 400
    page = text(response)
    assert '<ul class="errorlist' in page
    assert error in page
    assert everything() == before
    assert not TOKEN_IN_PAGE.search(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("nobody", "No user has that username"), ("viewer", "viewer is already a member")],
)
def test_a_refused_addition_keeps_what_was_typed_and_says_why_at_the_field(
    cast: Cast, typed, message
):
    client = cast.page_client("owner")  # logging in writes last_login: before the snapshot
    before = everything()

    fields = {"op": "add", "user": typed, "role": "editor"}
    response = client.post(sharing_url(cast.project), fields)

    assert response.status_code == 400
    page = text(response)
    assert f'name="user" value="{typed}"' in page
    assert '<ul class="errorlist' in page
    assert message in page
    assert everything() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"op": "role", "member": "owner-id", "role": "viewer"}, "transferring the ownership"),
        ({"op": "role", "member": "editor-id", "role": "owner"}, "Choose a role."),
        ({"op": "remove", "member": "owner-id"}, "The owner cannot be removed"),
        ({"op": "remove", "member": "outsider-id"}, "not a member of this project"),
        ({"op": "transfer", "user": "owner-id"}, "already owns this project"),
        ({"op": "transfer", "user": ""}, "Choose the member to make owner."),
        ({"op": "transfer", "user": "outsider-id"}, "not a member of this project"),
        ({"op": "transfer", "user": "99999999999999999999"}, "not a member of this project"),
    ],
    ids=[
        "change the owner's role",
        "make someone owner",
        "remove the owner",
        "remove an outsider",
        "transfer to the owner",
        "transfer to no one",
        "transfer to an outsider",
        "transfer to no such id",
    ],
)
def test_a_refused_operation_says_why_and_changes_nothing(cast: Cast, fields, message):
    ids = {f"{who}-id": str(getattr(cast, who).pk) for who in ("owner", "editor", "outsider")}
    fields = {key: ids.get(value, value) for key, value in fields.items()}
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), fields, follow=True)

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert '<li class="error">' in text(response)
    assert message in text(response)
    assert everything() == before


@pytest.mark.parametrize("link", ["abc", "", "99999999999999999999", "-1"])
def test_revoking_a_link_that_is_no_id_is_a_404(cast: Cast, link):
    make_link(cast)
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), {"op": "revoke", "link": link})

    assert response.status_code == 404
    assert everything() == before


@pytest.mark.parametrize("op", ["role", "remove"])
@pytest.mark.parametrize("member", ["abc", "", "99999999999999999999", "1.5"])
def test_a_member_that_is_no_id_is_refused(cast: Cast, op, member):
    client = cast.page_client("owner")
    before = everything()

    response = client.post(
        sharing_url(cast.project), {"op": op, "member": member, "role": "viewer"}, follow=True
    )

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert "That user is not a member of this project." in text(response)
    assert everything() == before
