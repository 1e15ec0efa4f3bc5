"""The element library pages: shown to those who may read the library, 404 to others, GET only."""

import pytest

from elements_app import actions
from tests.conftest import Cast, make_user


@pytest.fixture
def library(cast: Cast):
    library = actions.create_library(cast.owner, "Harbour cast", "private")
    element = actions.create_element(library, {"handle": "Mara", "kind": "character"})
    return library, element


@pytest.mark.django_db
def test_owner_sees_pages_others_get_404_and_anonymous_the_login(cast: Cast, library) -> None:
    library, element = library
    pages = ["/libraries/", f"/libraries/{library.pk}/", f"/elements/{element.pk}/"]
    owner = cast.page_client("owner")
    for url in pages:
        answer = owner.get(url)
        assert answer.status_code == 200, url
    assert b"@Mara" in owner.get(f"/libraries/{library.pk}/").content
    assert b'id="sharing"' in owner.get(f"/libraries/{library.pk}/").content
    for url in pages[1:]:
        assert cast.page_client("outsider").get(url).status_code == 404, url
        assert cast.page_client(None).get(url).status_code == 302, url
        assert owner.post(url).status_code == 405, url


@pytest.mark.django_db
def test_a_read_only_share_shows_no_editing_controls(cast: Cast, library) -> None:
    library, element = library
    reader = make_user("reader")
    actions.update_library(library, {"visibility": "shared"})
    actions.share_library(library, reader, can_edit=False)
    client = cast.page_client(None)
    client.force_login(reader)
    page = client.get(f"/libraries/{library.pk}/").content
    assert b'id="sharing"' not in page
    assert b'id="new-element"' not in page
    sheet = client.get(f"/elements/{element.pk}/").content
    assert b"View only" in sheet
    assert b'id="drop-zone"' not in sheet
    assert b"Harbour cast" in client.get("/libraries/").content
