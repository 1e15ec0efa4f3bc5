"""The director over HTTP: `POST /api/director/split/` shows the shots a prompt makes (nothing
saved), naming speakers by the project's elements when a project is given; `POST
/api/projects/{id}/director/apply/` adds them as new custom sequences (or keeps the prompt as
one auto sequence), all or nothing. Bad input gets 400 at its field."""

import pytest
from django.urls import reverse

from editor.directing import MAX_DIRECTOR_PROMPT_CHARS
from elements_app import actions as element_actions
from storyboard_app.models import DialogueLine, Sequence, Shot
from tests.conftest import Cast

SPLIT = reverse("api-director-split")
PROMPT = (
    'Shot 1: Wide shot of the pier at dawn. @Old Sailor coils a rope and says, "Storm by noon."\n'
    'Shot 2: Close-up of @Mara, who answers in a low, flat voice, "Then we sail now."'
)


@pytest.fixture
def elements(cast: Cast) -> dict[str, int]:
    library = element_actions.create_library(cast.owner, "Harbour cast", "private")
    element_actions.attach_library(cast.project, library, cast.owner)
    return {
        handle: element_actions.create_element(library, {"handle": handle, "kind": "character"}).pk
        for handle in ("Old Sailor", "Mara")
    }


def apply_url(cast: Cast) -> str:
    return reverse("api-director-apply", args=[cast.project.pk])


def test_a_split_names_speakers_by_the_project_s_elements(cast: Cast, elements) -> None:
    before = Shot.objects.count()

    answer = cast.client("viewer").post(
        SPLIT, {"prompt": PROMPT, "project": cast.project.pk}, format="json"
    )

    assert answer.status_code == 200
    [sequence] = answer.json()["sequences"]
    lines = [line for shot in sequence["shots"] for line in shot["dialogue"]]
    assert [(line["speaker"], line["speaker_element"]) for line in lines] == [
        ("@Old Sailor", elements["Old Sailor"]),
        ("@Mara", elements["Mara"]),
    ]
    assert lines[1]["delivery"] == "low, flat voice"
    assert [shot["shot_size"] for shot in sequence["shots"]] == ["wide", "close_up"]
    assert sequence["duration"] == sum(shot["duration"] for shot in sequence["shots"])
    assert 3 <= sequence["duration"] <= 15
    assert Shot.objects.count() == before  # a preview saves nothing


def test_without_a_project_a_handle_ends_at_a_space(cast: Cast, elements) -> None:
    answer = cast.client("outsider").post(SPLIT, {"prompt": PROMPT}, format="json")

    lines = [line for shot in answer.json()["sequences"][0]["shots"] for line in shot["dialogue"]]
    assert [line["speaker"] for line in lines] == ["@Old", "@Mara"]
    assert {line["speaker_element"] for line in lines} == {None}


def test_a_project_the_user_is_not_in_is_not_found(cast: Cast) -> None:
    answer = cast.client("outsider").post(
        SPLIT, {"prompt": PROMPT, "project": cast.project.pk}, format="json"
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "prompt"),
        ({"prompt": "   "}, "prompt"),
        ({"prompt": "x" * (MAX_DIRECTOR_PROMPT_CHARS + 1)}, "prompt"),
        ({"prompt": "Close-up\x07 of a bell."}, "prompt"),
        ({"prompt": "A wide shot.", "total": 0}, "total"),
        ({"prompt": "A wide shot.", "total": "soon"}, "total"),
        ({"prompt": "A wide shot.", "project": "mine"}, "project"),
    ],
)
def test_bad_input_gets_400_at_its_field(cast: Cast, body: dict, field: str) -> None:
    answer = cast.client("editor").post(SPLIT, body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()


def test_applying_adds_custom_sequences_with_their_shots_and_bound_speakers(
    cast: Cast, elements
) -> None:
    before = set(Sequence.objects.filter(project=cast.project).values_list("pk", flat=True))

    answer = cast.client("editor").post(apply_url(cast), {"prompt": PROMPT}, format="json")

    assert answer.status_code == 201
    [added] = Sequence.objects.filter(project=cast.project).exclude(pk__in=before)
    assert answer.json()["sequences"][0]["id"] == added.pk
    assert added.mode == "custom"
    shots = list(added.shots.order_by("position"))
    assert [shot.shot_size for shot in shots] == ["wide", "close_up"]
    lines = DialogueLine.objects.filter(shot__sequence=added).order_by("shot__position", "order")
    assert [(line.speaker, line.speaker_element_id) for line in lines] == [
        ("@Old Sailor", elements["Old Sailor"]),
        ("@Mara", elements["Mara"]),
    ]
    assert "Storm by noon." not in shots[0].text  # the line is dialogue, not narrative too


def test_a_prompt_of_more_than_six_shots_becomes_several_sequences(cast: Cast) -> None:
    prompt = "\n".join(f"Shot {n}: Close-up of window number {n}." for n in range(1, 9))
    split = cast.client("editor").post(SPLIT, {"prompt": prompt}, format="json").json()
    assert [len(sequence["shots"]) for sequence in split["sequences"]] == [6, 2]
    assert "2 sequences" in split["messages"][0]

    before = Sequence.objects.filter(project=cast.project).count()
    answer = cast.client("editor").post(apply_url(cast), {"prompt": prompt}, format="json")

    assert answer.status_code == 201
    assert Sequence.objects.filter(project=cast.project).count() == before + 2


def test_a_prompt_kept_as_an_auto_sequence_keeps_its_text(cast: Cast) -> None:
    answer = cast.client("editor").post(
        apply_url(cast), {"prompt": PROMPT, "mode": "auto", "total": 9}, format="json"
    )

    assert answer.status_code == 201
    [row] = answer.json()["sequences"]
    kept = Sequence.objects.get(pk=row["id"])
    assert (kept.mode, kept.prompt, kept.auto_duration) == ("auto", PROMPT, 9)


def test_a_viewer_cannot_apply(cast: Cast) -> None:
    before = Sequence.objects.count()

    answer = cast.client("viewer").post(apply_url(cast), {"prompt": PROMPT}, format="json")

    assert answer.status_code == 403
    assert Sequence.objects.count() == before
