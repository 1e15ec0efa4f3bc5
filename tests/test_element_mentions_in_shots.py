"""Shots mention elements: unknown handles are flagged, speakers bind, renames follow."""

import pytest

from elements_app import actions as element_actions
from elements_app.access import speakers_of_project
from storyboard_app import actions
from storyboard_app.models import DialogueLine, Shot


@pytest.fixture
def elements(cast):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    made = {
        handle: element_actions.create_element(library, {"handle": handle, "kind": "character"})
        for handle in ("Japanese", "Japanese boy", "老周")
    }
    return made


def edit(cast, shot, **changes):
    shot.refresh_from_db()
    response = cast.client("editor").patch(
        f"/api/shots/{shot.pk}/", {"version": shot.version, **changes}, format="json"
    )
    return response


def validate(cast):
    return cast.client("viewer").post(f"/api/sequences/{cast.sequence.pk}/validate/").json()


def test_a_mention_of_a_missing_handle_is_flagged_on_that_shots_text(cast, elements):
    edit(cast, cast.shots[1], text="@Japanese boy waves at @Nobody.")
    report = validate(cast)
    assert report["errors"] == {
        "shots.1.text": ["@Nobody is not an element of this project's libraries."]
    }


def test_a_speaker_written_as_a_handle_binds_to_that_element(cast, elements):
    response = edit(
        cast, cast.shots[0], dialogue=[{"speaker": "@老周", "text": "明天就要出海了。"}]
    )
    assert response.status_code == 200
    assert response.json()["dialogue"][0]["speaker_element"] == elements["老周"].pk


def test_an_unknown_speaker_handle_is_flagged_at_the_speaker(cast, elements):
    edit(cast, cast.shots[2], dialogue=[{"speaker": "@Ghost", "text": "Boo."}])
    assert validate(cast)["errors"] == {
        "shots.2.dialogue.0.speaker": ["@Ghost is not an element of this project's libraries."]
    }


def test_a_speaker_element_from_outside_the_project_is_refused(cast, elements):
    theirs = element_actions.create_library(cast.outsider, "Theirs")
    stranger = element_actions.create_element(theirs, {"handle": "Spy", "kind": "character"})
    before = cast.shots[0].dialogue.count()
    response = edit(cast, cast.shots[0], dialogue=[{"speaker_element": stranger.pk, "text": "Hi"}])
    assert response.status_code == 400
    assert "not in this project" in response.json()["dialogue"][0]
    assert cast.shots[0].dialogue.count() == before


def test_renaming_an_element_rewrites_its_mentions_and_speakers_only(cast, elements):
    shot = cast.shots[0]
    edit(
        cast,
        shot,
        text="@Japanese boy meets @Japanese at the pier.",
        dialogue=[{"speaker": "@Japanese", "text": "Hello."}],
    )
    shot.refresh_from_db()
    version = shot.version

    element_actions.update_element(elements["Japanese"], {"handle": "Kenji"})

    shot.refresh_from_db()
    assert shot.text == "@Japanese boy meets @Kenji at the pier."
    assert DialogueLine.objects.get(shot=shot).speaker == "@Kenji"
    assert shot.version == version + 1
    untouched = Shot.objects.get(pk=cast.shots[1].pk)
    assert untouched.version == cast.shots[1].version


def test_the_element_sheet_lists_the_shots_that_use_it(cast, elements):
    edit(cast, cast.shots[2], text="Close on @老周.")
    element = elements["老周"]
    used = cast.client("owner").get(f"/api/elements/{element.pk}/").json()["used_in"]
    assert [(u["project"], u["shot_number"]) for u in used] == [(cast.project.pk, 3)]


def test_completion_offers_prefix_then_fuzzy_matches_of_the_projects_elements(cast, elements):
    found = cast.client("viewer").get(f"/api/projects/{cast.project.pk}/mentions/?q=jap").json()
    assert [e["handle"] for e in found["elements"]] == ["Japanese", "Japanese boy"]
    outsider = cast.client("outsider").get(f"/api/projects/{cast.project.pk}/mentions/?q=jap")
    assert outsider.status_code == 404


def test_the_timeline_of_a_duplicated_shot_keeps_its_bound_speaker(cast, elements):
    edit(cast, cast.shots[0], dialogue=[{"speaker": "@Japanese boy", "text": "Hi."}])
    copy = actions.duplicate_shot(
        Shot.objects.get(pk=cast.shots[0].pk), speakers=speakers_of_project
    )
    line = DialogueLine.objects.get(shot=copy)
    assert line.speaker_element_id == elements["Japanese boy"].pk
