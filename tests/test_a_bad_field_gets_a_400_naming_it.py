"""A bad value in a field of a project, sequence, shot, dialogue line, reorder or validation
gets a 400 with a JSON message under the field's name, never a 500, and changes nothing;
the errors of several fields are reported together.
"""

from dataclasses import dataclass

import pytest

from tests.bad_input_helpers import (
    HUGE_ID,
    MEGABYTE,
    send,
    url_of,
)


@dataclass(frozen=True)
class Bad:
    url: str  # "projects", "project", "sequences", "sequence", "shots", "shot", "reorder", ...
    method: str
    body: object
    field: str  # the key the error is reported under
    says: str  # a part of the message


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
