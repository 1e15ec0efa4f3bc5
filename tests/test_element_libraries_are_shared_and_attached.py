"""Libraries: private to their owner, shared read-only or for editing, attached to projects."""

import pytest

from elements_app import actions
from elements_app.models import Element, ElementLibrary
from tests.conftest import make_user


@pytest.fixture
def library(cast):
    library = actions.create_library(cast.owner, "Lighthouse cast", "private")
    actions.create_element(library, {"handle": "Mara", "kind": "character"})
    return library


def test_a_private_library_is_invisible_to_everyone_else(cast, library):
    for who in ("editor", "viewer", "outsider"):
        assert cast.client(who).get(f"/api/libraries/{library.pk}/").status_code == 404
        assert cast.client(who).get("/api/libraries/").json() == []


def test_a_read_only_share_lets_the_reader_see_but_not_change(cast, library):
    actions.update_library(library, {"visibility": "shared"})
    actions.share_library(library, cast.outsider, can_edit=False)
    reader = cast.client("outsider")

    assert reader.get(f"/api/libraries/{library.pk}/elements/").status_code == 200
    created = reader.post(
        f"/api/libraries/{library.pk}/elements/", {"handle": "Tomas", "kind": "character"}
    )
    assert created.status_code == 403
    element = library.elements.get()
    renamed = reader.patch(f"/api/elements/{element.pk}/", {"handle": "X"}, format="json")
    assert renamed.status_code == 403
    assert reader.delete(f"/api/elements/{element.pk}/").status_code == 403
    assert library.elements.get().handle == "Mara"
    assert [row["role"] for row in reader.get("/api/libraries/").json()] == ["reader"]


def test_an_edit_share_lets_the_user_add_elements_but_not_share_or_delete(cast, library):
    actions.update_library(library, {"visibility": "shared"})
    actions.share_library(library, cast.outsider, can_edit=True)
    writer = cast.client("outsider")

    created = writer.post(
        f"/api/libraries/{library.pk}/elements/", {"handle": "Tomas", "kind": "character"}
    )
    assert created.status_code == 201
    assert (
        writer.post(f"/api/libraries/{library.pk}/shares/", {"username": "viewer"}).status_code
        == 403
    )
    assert writer.delete(f"/api/libraries/{library.pk}/").status_code == 403
    assert ElementLibrary.objects.filter(pk=library.pk).exists()


def test_making_a_library_private_again_suspends_its_shares(cast, library):
    actions.update_library(library, {"visibility": "shared"})
    actions.share_library(library, cast.outsider, can_edit=True)
    actions.update_library(library, {"visibility": "private"})
    assert cast.client("outsider").get(f"/api/libraries/{library.pk}/").status_code == 404


def test_the_owner_shares_by_username_and_a_missing_user_is_named(cast, library):
    owner = cast.client("owner")
    shared = owner.post(
        f"/api/libraries/{library.pk}/shares/", {"username": "editor", "can_edit": True}
    )
    assert shared.status_code == 201
    missing = owner.post(f"/api/libraries/{library.pk}/shares/", {"username": "nobody"})
    assert missing.status_code == 400
    assert "nobody" in missing.json()["username"][0]
    assert owner.get(f"/api/libraries/{library.pk}/shares/").json() == [
        {"username": "editor", "can_edit": True, "can_attach": False}
    ]
    assert owner.delete(f"/api/libraries/{library.pk}/shares/editor/").status_code == 204


def test_an_attached_library_gives_every_member_its_elements(cast, library):
    owner = cast.client("owner")
    attached = owner.post(f"/api/projects/{cast.project.pk}/libraries/{library.pk}/")
    assert attached.status_code == 201
    for who in ("owner", "editor", "viewer"):
        timeline = cast.client(who).get(f"/api/projects/{cast.project.pk}/timeline/").json()
        assert [e["handle"] for e in timeline["elements"]] == ["Mara"]
        element = library.elements.get()
        assert cast.client(who).get(f"/api/elements/{element.pk}/").status_code == 200
    # ...but a project member cannot change the library through the project.
    element = library.elements.get()
    edit = cast.client("editor").patch(
        f"/api/elements/{element.pk}/", {"handle": "Y"}, format="json"
    )
    assert edit.status_code == 403


def test_only_a_library_you_can_read_may_be_attached_and_only_by_an_editor(cast, library):
    theirs = actions.create_library(cast.outsider, "Not yours", "private")
    assert (
        cast.client("owner")
        .post(f"/api/projects/{cast.project.pk}/libraries/{theirs.pk}/")
        .status_code
        == 404
    )
    actions.update_library(library, {"visibility": "shared"})
    actions.share_library(library, cast.viewer, can_edit=False)
    assert (
        cast.client("viewer")
        .post(f"/api/projects/{cast.project.pk}/libraries/{library.pk}/")
        .status_code
        == 403
    )


def test_handles_are_unique_in_a_library_whatever_their_case(cast, library):
    response = cast.client("owner").post(
        f"/api/libraries/{library.pk}/elements/", {"handle": "@mara", "kind": "prop"}
    )
    assert response.status_code == 400
    assert "already an element" in response.json()["handle"][0]
    other = actions.create_library(cast.owner, "Props", "private")
    again = cast.client("owner").post(
        f"/api/libraries/{other.pk}/elements/", {"handle": "Mara", "kind": "prop"}
    )
    assert again.status_code == 201


@pytest.mark.parametrize(
    ("handle", "stored"),
    [
        ("Male lead", "Male lead"),
        ("@老周", "老周"),
        ("kling  lipstick", "kling lipstick"),
        ("김 선생", "김 선생"),
    ],
)
def test_handles_take_spaces_and_any_script(cast, library, handle, stored):
    response = cast.client("owner").post(
        f"/api/libraries/{library.pk}/elements/", {"handle": handle, "kind": "character"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["handle"] == stored


@pytest.mark.parametrize("handle", ["", "   ", "a@b", "Mara, Tomas", "x" * 41, "bad\x07"])
def test_a_bad_handle_is_refused_with_a_reason(cast, library, handle):
    response = cast.client("owner").post(
        f"/api/libraries/{library.pk}/elements/", {"handle": handle, "kind": "character"}
    )
    assert response.status_code == 400
    assert response.json()["handle"]
    assert Element.objects.count() == 1


def test_a_user_can_own_several_libraries_and_sees_only_theirs(cast, library):
    second = make_user("second")
    actions.create_library(second, "Second's", "private")
    names = [row["name"] for row in cast.client("owner").get("/api/libraries/").json()]
    assert names == ["Lighthouse cast"]
