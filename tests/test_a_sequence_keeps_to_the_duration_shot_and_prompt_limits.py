"""The pure storyboard rules (script/rules.py) on a sequence's limits: 3 to 15 seconds in
all, shots of at least a second, at most six shots, shot prompts of 512 characters (framing,
lettering and dialogue counted), whole and negative prompts of 2500, an auto sequence's
prompt and duration; the limits sent to the editor are the rules' constants. Plain drafts
in, a report out, no DB.
"""

import pytest

from script import rules
from script.rules import LineDraft, SequenceDraft, ShotDraft, check_sequence
from tests.storyboard_rules_helpers import (
    custom,
)

pytestmark = pytest.mark.filterwarnings("error")


# Total duration


@pytest.mark.parametrize("durations", [(3,), (1, 2), (5, 5, 5), (15,), (2, 2, 2, 2, 2, 5)])
def test_a_sequence_of_3_to_15_seconds_is_ok(durations):
    report = check_sequence(custom(*durations))

    assert report.ok
    assert report.errors == {}


@pytest.mark.parametrize(
    ("durations", "total"), [((2,), 2), ((1, 1), 2), ((8, 8), 16), ((60,), 60)]
)
def test_a_sequence_shorter_than_3_or_longer_than_15_seconds_has_a_duration_error(durations, total):
    report = check_sequence(custom(*durations))

    assert not report.ok
    assert list(report.errors) == ["duration"]
    assert report.errors["duration"] == [
        f"The sequence lasts {total} s; it must last between 3 and 15 s."
    ]


def test_a_shot_of_zero_seconds_is_an_error_at_its_own_path():
    report = check_sequence(custom(3, 0, 2))

    assert report.errors["shots.1.duration"] == ["Shot 2 must last at least 1 s."]
    assert "shots.0.duration" not in report.errors


# Number of shots


def test_six_shots_are_allowed_and_seven_are_not():
    assert check_sequence(custom(*[2] * 6)).ok

    report = check_sequence(custom(*[2] * 7))

    assert report.errors == {"shots": ["A sequence holds at most 6 shots; this one has 7."]}


def test_a_custom_sequence_without_shots_asks_for_one():
    report = check_sequence(SequenceDraft())

    assert report.errors["shots"] == ["Add at least one shot."]
    assert "duration" in report.errors  # 0 s


# Prompt lengths


def prompt_of_length(length: int, **fields) -> ShotDraft:
    """A shot whose model prompt (framing + text) is exactly `length` characters."""
    framing = len(rules.shot_prompt(ShotDraft(duration=3, **fields))) + 1  # "Medium." + " "
    shot = ShotDraft(duration=3, text="a" * (length - framing), **fields)
    assert len(rules.shot_prompt(shot)) == length
    return shot


def test_a_shot_prompt_of_512_characters_is_ok_and_513_is_an_error_at_its_text():
    at_limit = SequenceDraft(shots=(ShotDraft(duration=1), prompt_of_length(512)))
    over = SequenceDraft(shots=(ShotDraft(duration=1), prompt_of_length(513)))

    assert check_sequence(at_limit).ok
    report = check_sequence(over)
    assert list(report.errors) == ["shots.1.text"]
    assert "513 characters; the limit is 512" in report.errors["shots.1.text"][0]


def test_the_shot_prompt_counts_framing_lettering_and_dialogue_too():
    shot = ShotDraft(
        duration=3,
        text="x" * 400,
        lettering="y" * 60,
        dialogue=(LineDraft(speaker="Mara", text="z" * 60, language="en"),),
    )

    assert len(shot.text) < rules.MAX_SHOT_PROMPT_CHARS
    assert "shots.0.text" in check_sequence(SequenceDraft(shots=(shot,))).errors


def test_the_shot_prompt_reads_framing_action_lettering_then_dialogue():
    shot = ShotDraft(
        duration=3,
        text=" Mara pours tea. ",
        shot_size="close_up",
        camera_angle="low",
        camera_movement="push_in",
        lettering="HARBOUR CLOSED",
        dialogue=(
            LineDraft(speaker="Mara", text="Tea?", delivery="warm"),
            LineDraft(speaker="Narrator", text="Dawn.", voice_over=True),
            LineDraft(speaker=" ", text="Hm."),
        ),
    )

    assert rules.shot_prompt(shot) == (
        "Close up, low angle, camera push in. Mara pours tea. "
        'On-screen text: "HARBOUR CLOSED". Mara (warm): "Tea?" Voice-over: "Dawn." '
        'Someone: "Hm."'
    )


def test_a_whole_prompt_over_2500_characters_is_an_error_at_prompt():
    shots = tuple(prompt_of_length(500) for _ in range(5)) + (prompt_of_length(10),)
    draft = SequenceDraft(shots=tuple(ShotDraft(duration=2, text=s.text) for s in shots))

    report = check_sequence(draft)

    assert list(report.errors) == ["prompt"]
    assert report.errors["prompt"][0].startswith("The whole prompt (all shots) is 2510 characters")


def test_a_whole_prompt_of_exactly_2500_characters_is_ok():
    draft = SequenceDraft(shots=tuple(prompt_of_length(500) for _ in range(5)))

    assert sum(len(rules.shot_prompt(s)) for s in draft.shots) == 2500
    assert check_sequence(draft).ok


def test_a_negative_prompt_over_2500_characters_is_an_error_at_negative_prompt():
    ok = SequenceDraft(shots=(ShotDraft(duration=5),), negative_prompt="n" * 2500)
    too_long = SequenceDraft(shots=(ShotDraft(duration=5),), negative_prompt="n" * 2501)

    assert check_sequence(ok).ok
    assert check_sequence(too_long).errors == {
        "negative_prompt": ["The negative prompt is 2501 characters; the limit is 2500."]
    }


# Auto mode


def test_an_auto_sequence_needs_a_prompt_and_ignores_shots():
    report = check_sequence(SequenceDraft(mode="auto", prompt="   ", shots=custom(*[1] * 9).shots))

    assert report.errors == {"prompt": ["An auto sequence needs a direction prompt."]}


def test_an_auto_sequence_prompt_may_hold_2500_characters_but_not_2501():
    assert check_sequence(SequenceDraft(mode="auto", prompt="p" * 2500)).ok

    report = check_sequence(SequenceDraft(mode="auto", prompt="p" * 2501))

    assert report.errors == {"prompt": ["The prompt is 2501 characters; the limit is 2500."]}


@pytest.mark.parametrize(("seconds", "ok"), [(2, False), (3, True), (15, True), (16, False)])
def test_an_auto_sequence_lasts_its_auto_duration(seconds, ok):
    draft = SequenceDraft(mode="auto", prompt="A storm.", auto_duration=seconds)

    assert rules.sequence_duration(draft) == seconds
    assert check_sequence(draft).ok is ok


def test_the_limits_sent_to_the_editor_are_the_rules_constants():
    assert rules.limits() == {
        "min_sequence_seconds": 3,
        "max_sequence_seconds": 15,
        "min_shot_seconds": 1,
        "max_shots": 6,
        "max_shot_prompt_chars": 512,
        "max_whole_prompt_chars": 2500,
        "max_negative_prompt_chars": 2500,
        "max_shot_seconds_stored": 60,
        "max_text_stored": 4000,
    }
