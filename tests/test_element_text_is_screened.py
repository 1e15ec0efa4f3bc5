"""An element's handle and description are screened when it is made or edited through the
API: a block term answers 400 at the field, naming the category and never the term, and
nothing is saved or changed; a review term lets the element be saved and puts it to a
moderator in one open case, which later edits under review join."""

import pytest

from elements_app import actions as element_actions
from elements_app.models import Element
from moderation.models import Case
from storyboard_app.models import Shot
from tests.screening_helpers import add_term

VIOLENCE = "Graphic violence"
ILLEGAL = "Illegal goods or acts"


@pytest.fixture
def library(cast):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    add_term("forbidden", "violence", "block", "en")
    add_term("smuggler", "illegal", "review", "en")
    add_term("마약", "illegal", "block", "ko")
    return library


def create(cast, library, **data):
    body = {"kind": "character", **data}
    return cast.client("owner").post(f"/api/libraries/{library.pk}/elements/", body, format="json")


def patch(cast, element, **changes):
    return cast.client("owner").patch(f"/api/elements/{element.pk}/", changes, format="json")


def saved(element: Element) -> tuple:
    element.refresh_from_db()
    return (element.handle, element.description, element.version)


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        ({"handle": "Forbidden Man"}, "handle", VIOLENCE),
        ({"handle": "Ｆｏｒｂｉｄｄｅｎ"}, "handle", VIOLENCE),
        (
            {"handle": "Mara", "description": "Carries a f.o.r.b.i.d.d.e.n map"},
            "description",
            VIOLENCE,
        ),
        ({"handle": "Mara", "description": "F0rb1dd3n tattoos"}, "description", VIOLENCE),
        ({"handle": "민수", "description": "마\u200b약 을 판다"}, "description", ILLEGAL),
    ],
)
def test_a_block_term_refuses_the_new_element_at_its_field(cast, library, data, field, label):
    response = create(cast, library, **data)

    assert response.status_code == 400, response.content
    [message] = response.json()[field]
    assert label in message
    for term in ("forbidden", "마약"):
        assert term not in response.content.decode().casefold()
    assert not Element.objects.exists()


def test_a_block_term_in_both_fields_is_refused_at_each(cast, library):
    response = create(cast, library, handle="Forbidden", description="Deals forbidden goods")

    assert response.status_code == 400
    assert set(response.json()) == {"handle", "description"}
    assert not Element.objects.exists()


def test_a_refused_rename_changes_nothing_not_even_the_shots_that_mention_it(cast, library):
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    Shot.objects.filter(pk=cast.shots[0].pk).update(text="@Mara climbs the stairs.")
    before = saved(mara)

    response = patch(cast, mara, handle="Forbidden Mara")

    assert response.status_code == 400, response.content
    assert VIOLENCE in response.json()["handle"][0]
    assert saved(mara) == before
    assert Shot.objects.get(pk=cast.shots[0].pk).text == "@Mara climbs the stairs."


def test_a_refused_description_leaves_the_element_as_it_was(cast, library):
    mara = element_actions.create_element(
        library, {"handle": "Mara", "kind": "character", "description": "A sailor"}
    )
    before = saved(mara)

    response = patch(cast, mara, description="A sailor with forbidden cargo")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["description"]
    assert VIOLENCE in response.json()["description"][0]
    assert saved(mara) == before
    assert not Case.objects.exists()


def test_innocent_words_that_contain_a_blocked_term_are_saved(cast, library):
    response = create(
        cast, library, handle="Forbiddenly Kind", description="The forbiddance of smugglery"
    )

    assert response.status_code == 201, response.content
    assert not Case.objects.exists()


def test_a_review_term_saves_the_element_with_an_open_case_on_it(cast, library):
    response = create(cast, library, handle="Mara", description="A smuggler's daughter")

    assert response.status_code == 201, response.content
    mara = Element.objects.get(pk=response.json()["id"])
    assert mara.description == "A smuggler's daughter"
    case = Case.objects.get()
    assert (case.state, case.source, case.subject_kind) == ("open", "screening", "element")
    assert case.element == mara
    assert case.owner == cast.owner
    assert case.category == "illegal"
    assert [(m["field"], m["term"]) for m in case.matched] == [("description", "smuggler")]
    assert "description: A smuggler's daughter" in case.excerpt


def test_a_second_edit_under_review_joins_the_open_case(cast, library):
    mara = Element.objects.get(
        pk=create(cast, library, handle="Mara", description="A smuggler's daughter").json()["id"]
    )

    response = patch(cast, mara, handle="Smuggler Mara", description="She smuggles still")

    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.state == "open"
    assert case.element == mara
    assert [(m["field"], m["term"]) for m in case.matched] == [("handle", "smuggler")]
    assert "handle: Smuggler Mara" in case.excerpt
    assert "A smuggler's daughter" not in case.excerpt  # the text under review is the new one


def test_an_edit_under_review_of_a_clean_element_opens_a_case(cast, library):
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    assert not Case.objects.exists()

    response = patch(cast, mara, description="A smuggler")

    assert response.status_code == 200, response.content
    assert saved(mara)[1] == "A smuggler"
    assert Case.objects.get(state="open").element == mara
