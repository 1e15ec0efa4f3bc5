"""Ids of other projects in the storyboard's bodies are refused: a shot of another project
(or of none) in a reorder, a speaker element the project does not use in a shot edit or a
new shot (an @handle of such an element binds nothing and is not offered), and a shot of
another project selected on the socket. Each refusal changes nothing.
"""

import pytest
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app.models import Element
from storyboard_app.models import DialogueLine
from tests.conftest import Cast
from tests.foreign_id_helpers import (
    FOREIGN_SHOTS,
    MISSING,
    all_rows,
    owners_second_project,
)
from tests.socket_helpers import db, member_socket, run


@pytest.fixture
def db_rows():
    return all_rows


# A reorder


@pytest.mark.parametrize("whose", FOREIGN_SHOTS)
@pytest.mark.parametrize("instead", [True, False], ids=["in place of one", "added"])
def test_a_reorder_naming_a_shot_of_another_project_is_refused(cast: Cast, db_rows, whose, instead):
    foreign = FOREIGN_SHOTS[whose](cast).pk
    own = [shot.pk for shot in reversed(cast.shots)]
    shot_ids = [*own[:-1], foreign] if instead else [*own, foreign]
    before = db_rows()

    response = cast.client("owner").post(
        reverse("api-sequence-reorder", args=[cast.sequence.pk]), {"shot_ids": shot_ids}, "json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "shot_ids": [
            "List every shot of the sequence exactly once: "
            f"it has 3 shots, the request named {len(shot_ids)}."
        ]
    }
    assert db_rows() == before


# A dialogue line's speaker element, and @mentions of elements


def outsiders_unshared_element(cast: Cast) -> Element:
    library = element_actions.create_library(cast.outsider, "Secret", "private")
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


def owners_unattached_element(cast: Cast) -> Element:
    library = element_actions.create_library(cast.owner, "Drawer", "private")
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


def element_of_another_project(cast: Cast) -> Element:
    """Of a library attached to the owner's other project (not to this one)."""
    library = element_actions.create_library(cast.owner, "Elsewhere", "private")
    element_actions.attach_library(owners_second_project(cast), library, cast.owner)
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


FOREIGN_ELEMENTS = {
    "of an unshared library of the outsider": outsiders_unshared_element,
    "of the owner's library not attached": owners_unattached_element,
    "of a library of another project": element_of_another_project,
    "of no library": lambda cast: Element(pk=MISSING),
}


@pytest.mark.parametrize("whose", FOREIGN_ELEMENTS)
def test_a_shot_edit_naming_a_speaker_element_the_project_does_not_use_is_refused(
    cast: Cast, db_rows, whose
):
    element = FOREIGN_ELEMENTS[whose](cast)
    line = {"speaker_element": element.pk, "text": "Who goes there?", "language": "en"}
    before = db_rows()

    response = cast.client("owner").patch(
        reverse("api-shot", args=[cast.shots[0].pk]),
        {"version": 1, "text": "Changed too", "dialogue": [{"text": "Hello."}, line]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"dialogue": ["Line 2: that element is not in this project."]}
    assert db_rows() == before  # neither the text nor the version nor the other line


@pytest.mark.parametrize("whose", FOREIGN_ELEMENTS)
def test_a_new_shot_naming_a_speaker_element_the_project_does_not_use_is_refused(
    cast: Cast, db_rows, whose
):
    element = FOREIGN_ELEMENTS[whose](cast)
    before = db_rows()

    response = cast.client("editor").post(
        reverse("api-sequence-shots", args=[cast.sequence.pk]),
        {"duration": 2, "dialogue": [{"speaker_element": element.pk, "text": "Boo."}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"dialogue": ["Line 1: that element is not in this project."]}
    assert db_rows() == before


def test_an_element_the_project_does_not_use_is_never_bound_nor_offered_by_its_handle(cast: Cast):
    """`@Ghost` written as a speaker or in the text stays plain text: it binds no element of
    another library, the completion does not offer it and the validation names it unknown."""
    ghost = outsiders_unshared_element(cast)
    owner = cast.client("owner")

    response = owner.patch(
        reverse("api-shot", args=[cast.shots[0].pk]),
        {
            "version": 1,
            "text": "@Ghost walks in.",
            "dialogue": [{"speaker": "@Ghost", "text": "Boo"}],
        },
        format="json",
    )
    completion = owner.get(reverse("api-project-mentions", args=[cast.project.pk]), {"q": "Gh"})
    report = owner.post(
        reverse("api-sequence-validate", args=[cast.sequence.pk]), {"provider": "animatic"}, "json"
    )

    assert response.status_code == 200
    assert response.json()["dialogue"][0]["speaker_element"] is None
    assert not DialogueLine.objects.filter(speaker_element=ghost).exists()
    assert completion.status_code == 200
    assert completion.json()["elements"] == []
    errors = report.json()["errors"]
    assert "@Ghost is not an element of this project's libraries." in errors["shots.0.text"]
    speaker_errors = errors["shots.0.dialogue.0.speaker"]
    assert "@Ghost is not an element of this project's libraries." in speaker_errors


# The socket


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
@pytest.mark.parametrize("whose", FOREIGN_SHOTS)
def test_selecting_a_shot_of_another_project_on_the_socket_is_an_error(cast: Cast, whose):
    async def scenario():
        foreign = (await db(FOREIGN_SHOTS[whose], cast)).pk
        socket, _ = await member_socket(cast.project.pk, cast.owner)
        await socket.send({"type": "select", "shot": foreign})
        assert await socket.next_of("error") == {
            "type": "error",
            "message": "No such shot in this project.",
        }
        # Nothing was announced: the next answer is the pong, not a presence with that shot.
        await socket.send({"type": "ping"})
        while (answer := await socket.next())["type"] != "pong":
            assert answer["type"] == "presence", answer
            assert answer["shot"] is None, answer
        await socket.disconnect()

    run(scenario())
