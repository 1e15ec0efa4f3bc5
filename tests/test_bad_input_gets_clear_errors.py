"""Bad input gets a 4xx with a JSON message naming the field, never a 500, and changes nothing."""

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from storyboard_app import actions
from storyboard_app.models import Project, Sequence
from tests.conftest import Cast

HUGE_ID = 99999999999999999999999
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Bad:
    url: str  # "projects", "project", "sequences", "sequence", "shots", "shot", "reorder", ...
    method: str
    body: object
    field: str  # the key the error is reported under
    says: str  # a part of the message


def url_of(cast: Cast, kind: str) -> str:
    return {
        "projects": reverse("api-projects"),
        "project": reverse("api-project", args=[cast.project.pk]),
        "sequences": reverse("api-project-sequences", args=[cast.project.pk]),
        "sequence": reverse("api-sequence", args=[cast.sequence.pk]),
        "shots": reverse("api-sequence-shots", args=[cast.sequence.pk]),
        "shot": reverse("api-shot", args=[cast.shots[0].pk]),
        "reorder": reverse("api-sequence-reorder", args=[cast.sequence.pk]),
        "validate": reverse("api-sequence-validate", args=[cast.sequence.pk]),
        "frame": reverse("api-sequence-frame", args=[cast.sequence.pk, "first"]),
    }[kind]


def messages(errors) -> list[str]:
    """Every message of a (possibly nested) DRF error structure."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in messages(value)]
    raise AssertionError(f"not an error message: {errors!r}")


def shot_patch(field: str, value, says: str) -> Bad:
    return Bad("shot", "PATCH", {"version": 1, field: value}, field, says)


def shot_post(field: str, value, says: str) -> Bad:
    return Bad("shots", "POST", {"duration": 2, field: value}, field, says)


NOT_A_CHOICE = "is not a valid choice"
NOT_AN_INTEGER = "A valid integer is required"
NOT_A_STRING = "Not a valid string"
TOO_LONG = "no more than"
CONTROL = "Remove the control characters"
REQUIRED = "This field is required"

CASES = {
    # Projects
    "empty title": Bad("projects", "POST", {"title": "", "aspect_ratio": "16:9"}, "title", "blank"),
    "blank title": Bad("projects", "POST", {"title": "   "}, "title", "blank"),
    "missing title": Bad("projects", "POST", {"aspect_ratio": "1:1"}, "title", REQUIRED),
    "title of 201 characters": Bad("projects", "POST", {"title": "t" * 201}, "title", TOO_LONG),
    "title with a bell": Bad("projects", "POST", {"title": "Ding\x07"}, "title", CONTROL),
    "title with NUL": Bad("projects", "POST", {"title": "a\x00b"}, "title", "Null characters"),
    "title as a list": Bad("projects", "POST", {"title": ["A", "B"]}, "title", NOT_A_STRING),
    "unknown aspect ratio": Bad(
        "projects", "POST", {"title": "x", "aspect_ratio": "4:3"}, "aspect_ratio", NOT_A_CHOICE
    ),
    "a list as the body": Bad("projects", "POST", ["title"], "non_field_errors", "dictionary"),
    "renaming to nothing": Bad("project", "PATCH", {"title": ""}, "title", "blank"),
    "aspect ratio null": Bad("project", "PATCH", {"aspect_ratio": None}, "aspect_ratio", "null"),
    # Sequences
    "unknown mode": Bad("sequences", "POST", {"mode": "manual"}, "mode", NOT_A_CHOICE),
    "unknown model family": Bad(
        "sequences", "POST", {"model_family": "ultra"}, "model_family", NOT_A_CHOICE
    ),
    "unknown quality": Bad("sequences", "POST", {"quality": "4k"}, "quality", NOT_A_CHOICE),
    "auto duration of 2 s": Bad(
        "sequences", "POST", {"auto_duration": 2}, "auto_duration", "greater than or equal to 3"
    ),
    "auto duration of 16 s": Bad(
        "sequences", "POST", {"auto_duration": 16}, "auto_duration", "less than or equal to 15"
    ),
    "negative seed": Bad("sequences", "POST", {"seed": -1}, "seed", "greater than or equal to 0"),
    "seed beyond 32 bits": Bad("sequences", "POST", {"seed": 2**31}, "seed", "less than or equal"),
    "seed as words": Bad("sequences", "POST", {"seed": "lucky"}, "seed", NOT_AN_INTEGER),
    "native audio maybe": Bad(
        "sequences", "POST", {"native_audio": "maybe"}, "native_audio", "valid boolean"
    ),
    "prompt of 4001 characters": Bad(
        "sequences", "POST", {"mode": "auto", "prompt": "p" * 4001}, "prompt", TOO_LONG
    ),
    "negative prompt with escape codes": Bad(
        "sequences", "POST", {"negative_prompt": "\x1b[31mred"}, "negative_prompt", CONTROL
    ),
    "sequence edit without version": Bad("sequence", "PATCH", {"title": "x"}, "version", REQUIRED),
    "sequence edit to an unknown mode": Bad(
        "sequence", "PATCH", {"version": 1, "mode": "manual"}, "mode", NOT_A_CHOICE
    ),
    "sequence title as an object": Bad(
        "sequence", "PATCH", {"version": 1, "title": {"t": 1}}, "title", NOT_A_STRING
    ),
    # Shots: durations
    "duration 0": shot_post("duration", 0, "greater than or equal to 1"),
    "negative duration": shot_post("duration", -3, "greater than or equal to 1"),
    "duration of 61 s": shot_post("duration", 61, "less than or equal to 60"),
    "huge duration": shot_post("duration", 10**30, "less than or equal to 60"),
    "duration in words": shot_post("duration", "three", NOT_AN_INTEGER),
    "duration empty string": shot_post("duration", "", NOT_AN_INTEGER),
    "fractional duration": shot_post("duration", 2.5, NOT_AN_INTEGER),
    "duration as a list": shot_post("duration", [3], NOT_AN_INTEGER),
    "duration null": shot_patch("duration", None, "null"),
    "duration edited to 0": shot_patch("duration", 0, "greater than or equal to 1"),
    "duration edited as a string": shot_patch("duration", "long", NOT_AN_INTEGER),
    # Shots: choices
    "unknown shot size": shot_post("shot_size", "giant", NOT_A_CHOICE),
    "shot size in the wrong case": shot_patch("shot_size", "Close_Up", NOT_A_CHOICE),
    "unknown camera angle": shot_post("camera_angle", "sideways", NOT_A_CHOICE),
    "unknown camera movement": shot_patch("camera_movement", "spin", NOT_A_CHOICE),
    "unknown transition": shot_post("transition", "star_wipe", NOT_A_CHOICE),
    # Shots: text
    "text as a list": shot_post("text", ["a", "b"], NOT_A_STRING),
    "text as a number": shot_patch("text", {"x": 1}, NOT_A_STRING),
    "text of 4001 characters": shot_patch("text", "a" * 4001, TOO_LONG),
    "a megabyte of text": shot_post("text", "a" * MEGABYTE, TOO_LONG),
    "text with escape codes": shot_post("text", "red \x1b[31m", CONTROL),
    "text with a backspace": shot_patch("text", "ab\x08c", CONTROL),
    "lettering with NUL": shot_patch("lettering", "\x00", "Null characters"),
    "sound notes with DEL": shot_post("sound_notes", "hum\x7f", CONTROL),
    "a text that is not valid unicode": shot_patch("text", "\ud800", "Surrogate"),
    # Shots: positions
    "negative position": shot_post("position", -1, "greater than or equal to 0"),
    "position beyond the storage limit": shot_post("position", 31, "less than or equal to 30"),
    "position in words": shot_post("position", "first", NOT_AN_INTEGER),
    # Shots: dialogue
    "dialogue as a string": shot_patch("dialogue", "Hello", "list"),
    "dialogue line as a string": shot_patch("dialogue", ["Hello"], "dictionary"),
    "dialogue line without text": shot_post("dialogue", [{"speaker": "Mara"}], REQUIRED),
    "dialogue in French": shot_patch(
        "dialogue", [{"text": "Bonjour", "language": "fr"}], NOT_A_CHOICE
    ),
    "21 dialogue lines": shot_patch("dialogue", [{"text": "x"}] * 21, "at most 20"),
    "speaker of 201 characters": shot_patch(
        "dialogue", [{"text": "x", "speaker": "s" * 201}], TOO_LONG
    ),
    "voice over maybe": shot_post("dialogue", [{"text": "x", "voice_over": "maybe"}], "boolean"),
    "dialogue text with control characters": shot_patch(
        "dialogue", [{"text": "\x1b]0;pwned\x07"}], CONTROL
    ),
    "dialogue null": shot_patch("dialogue", None, "null"),
    # Reorder
    "shot ids missing": Bad("reorder", "POST", {}, "shot_ids", REQUIRED),
    "shot ids null": Bad("reorder", "POST", {"shot_ids": None}, "shot_ids", "null"),
    "shot ids as an object": Bad("reorder", "POST", {"shot_ids": {"0": 1}}, "shot_ids", "list"),
    "shot ids as a string": Bad("reorder", "POST", {"shot_ids": "1,2,3"}, "shot_ids", "list"),
    "shot ids of words": Bad("reorder", "POST", {"shot_ids": ["a"]}, "shot_ids", NOT_AN_INTEGER),
    "shot id zero": Bad("reorder", "POST", {"shot_ids": [0]}, "shot_ids", "greater than or equal"),
    "shot id beyond 64 bits": Bad(
        "reorder", "POST", {"shot_ids": [HUGE_ID]}, "shot_ids", "less than or equal"
    ),
    "31 shot ids": Bad(
        "reorder", "POST", {"shot_ids": list(range(1, 32))}, "shot_ids", "no more than 30"
    ),
    # Validate
    "unknown provider": Bad("validate", "POST", {"provider": "sora"}, "provider", NOT_A_CHOICE),
}


def send(client, method: str, url: str, body):
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_a_400_naming_the_field_and_changes_nothing(cast, db_rows, case):
    bad = CASES[case]
    before = db_rows()

    response = send(cast.client("owner"), bad.method, url_of(cast, bad.url), bad.body)

    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert bad.field in errors, errors
    field_messages = messages(errors[bad.field])
    assert field_messages
    assert all(message.strip() for message in field_messages)
    assert any(bad.says in message for message in field_messages), field_messages
    assert db_rows() == before


def test_errors_of_several_fields_are_reported_together(cast, db_rows):
    before = db_rows()

    response = send(
        cast.client("owner"),
        "POST",
        url_of(cast, "shots"),
        {"duration": 0, "shot_size": "giant", "text": ["x"], "dialogue": [{}, {"text": "ok"}]},
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"duration", "shot_size", "text", "dialogue"}
    assert errors["dialogue"] == {"0": {"text": ["This field is required."]}}
    assert db_rows() == before


# Bodies that are not JSON, or too much of it


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        ('{"version": 1, "text": ', "application/json", 400, "JSON parse error"),
        ("version=1&text=x", "application/json", 400, "JSON parse error"),
        ('{"version": NaN}', "application/json", 400, "JSON parse error"),
        (b"\xff\xfe{}", "application/json", 400, "JSON parse error"),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400, "JSON parse error"),
        ('{"version": 1}', "text/plain", 415, "Unsupported media type"),
        ('{"version": 1}', "application/xml", 415, "Unsupported media type"),
    ],
    ids=["cut short", "a form", "NaN", "not UTF-8", "nested 100 000 deep", "text", "xml"],
)
def test_a_body_that_is_not_json_gets_a_json_error_and_changes_nothing(
    cast, db_rows, body, content_type, status, says
):
    before = db_rows()

    response = cast.client("owner").generic(
        "PATCH",
        url_of(cast, "shot"),
        body if isinstance(body, bytes) else body.encode(),
        content_type,
    )

    assert response.status_code == status
    assert says in response.json()["detail"]
    assert db_rows() == before


@pytest.mark.parametrize("kind", ["projects", "shot", "reorder", "sequences"])
def test_a_body_of_3_megabytes_gets_413_and_changes_nothing(cast, db_rows, kind):
    before = db_rows()
    body = {"version": 1, "title": "t" * (3 * MEGABYTE), "text": "x", "shot_ids": []}

    response = send(
        cast.client("owner"), "PATCH" if kind == "shot" else "POST", url_of(cast, kind), body
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
    assert db_rows() == before


def test_a_frame_sent_as_json_gets_415(cast, db_rows):
    before = db_rows()

    response = send(cast.client("owner"), "PUT", url_of(cast, "frame"), {"image": "aGVsbG8="})

    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "application/json" in request.'}
    assert db_rows() == before


def test_a_frame_upload_without_a_file_names_the_image_field(cast, db_rows):
    before = db_rows()

    response = cast.client("owner").put(
        url_of(cast, "frame"), {"picture": "nothing"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {"image": ["No file was submitted."]}
    assert db_rows() == before


# Ids in URLs


ID_ROUTES = [
    ("api-project", "GET"),
    ("api-project", "PATCH"),
    ("api-project", "DELETE"),
    ("api-project-timeline", "GET"),
    ("api-project-sequences", "POST"),
    ("api-sequence", "GET"),
    ("api-sequence", "PATCH"),
    ("api-sequence", "DELETE"),
    ("api-sequence-reorder", "POST"),
    ("api-sequence-validate", "POST"),
    ("api-sequence-shots", "POST"),
    ("api-shot", "GET"),
    ("api-shot", "PATCH"),
    ("api-shot", "DELETE"),
    ("api-shot-duplicate", "POST"),
]


@pytest.mark.parametrize("object_id", [HUGE_ID, 2**63, 2**63 - 1, 2**31])
@pytest.mark.parametrize(("name", "method"), ID_ROUTES)
def test_a_huge_id_in_the_url_is_not_found(cast, db_rows, name, method, object_id):
    before = db_rows()

    response = send(cast.client("owner"), method, reverse(name, args=[object_id]), {"version": 1})

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}
    assert db_rows() == before


@pytest.mark.parametrize("which", ["first", "end"])
def test_a_huge_sequence_id_in_a_frame_url_is_not_found(cast, which):
    response = cast.client("owner").delete(f"/api/sequences/{HUGE_ID}/frames/{which}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/projects/{HUGE_ID}/",
        f"/projects/{HUGE_ID}/settings/",
        f"/media/private/projects/{HUGE_ID}/frames/first.jpg",
        "/api/projects/-1/",
        "/api/shots/1e3/",
        "/api/sequences/first/",
        "/api/sequences/1/frames/middle/",
    ],
)
def test_malformed_or_huge_ids_in_page_and_api_paths_are_not_found(cast, path):
    response = cast.page_client("owner").get(path)

    assert response.status_code == 404


@pytest.fixture
def foreign(cast) -> dict[str, int]:
    """Ids of the outsider's own project, sequence and shot."""
    project = Project.objects.get(owner=cast.outsider)
    sequence = Sequence.objects.get(project=project)
    shot = actions.add_shot(sequence, {"duration": 3, "text": "theirs"})
    return {"project": project.pk, "sequence": sequence.pk, "shot": shot.pk}


@pytest.mark.parametrize(("name", "method"), ID_ROUTES)
def test_the_ids_of_another_users_objects_in_the_url_are_not_found(
    cast, foreign, db_rows, name, method
):
    kind = name.removeprefix("api-").split("-")[0]
    before = db_rows()

    response = send(
        cast.client("owner"),
        method,
        reverse(name, args=[foreign[kind]]),
        {"version": 1, "title": "mine now", "text": "mine now", "shot_ids": [foreign["shot"]]},
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}
    assert db_rows() == before


def test_the_id_of_another_users_shot_in_a_reorder_body_is_refused(cast, foreign, db_rows):
    before = db_rows()

    response = send(
        cast.client("owner"),
        "POST",
        url_of(cast, "reorder"),
        {"shot_ids": [s.pk for s in cast.shots[:2]] + [foreign["shot"]]},
    )

    assert response.status_code == 400
    assert "exactly once" in response.json()["shot_ids"][0]
    assert db_rows() == before


# What is accepted stays accepted


def test_a_project_created_without_an_aspect_ratio_is_landscape(cast):
    response = send(cast.client("owner"), "POST", url_of(cast, "projects"), {"title": "Plain"})

    assert response.status_code == 201
    assert response.json()["aspect_ratio"] == "16:9"
    assert Project.objects.get(pk=response.json()["id"]).aspect_ratio == "16:9"


def test_read_only_fields_in_a_body_are_ignored(cast):
    shot = cast.shots[0]

    response = send(
        cast.client("owner"),
        "PATCH",
        url_of(cast, "shot"),
        {"version": 1, "id": 999, "sequence": 999, "position": 7, "text": "kept"},
    )

    assert response.status_code == 200
    shot.refresh_from_db()
    assert (shot.pk, shot.sequence_id, shot.position, shot.text) == (
        cast.shots[0].pk,
        cast.sequence.pk,
        0,
        "kept",
    )


def test_unicode_text_newlines_and_tabs_are_kept_as_written(cast):
    text = "  Mara whispers:\n\t«ça va?» 你好 👋  "

    response = send(
        cast.client("owner"), "PATCH", url_of(cast, "shot"), {"version": 1, "text": text}
    )

    assert response.status_code == 200
    assert response.json()["text"] == text


def test_the_dashboard_form_shows_an_error_for_an_empty_title_and_creates_nothing(cast, db_rows):
    client = cast.page_client("owner")
    before = db_rows()

    response = client.post(reverse("dashboard"), {"title": "", "aspect_ratio": "16:9"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert db_rows() == before


def test_the_settings_form_refuses_an_unknown_aspect_ratio(cast, db_rows):
    client = cast.page_client("owner")
    before = db_rows()

    response = client.post(
        reverse("project-settings", args=[cast.project.pk]), {"title": "x", "aspect_ratio": "4:3"}
    )

    assert response.status_code == 200
    assert "aspect_ratio" in response.context["form"].errors
    assert db_rows() == before
