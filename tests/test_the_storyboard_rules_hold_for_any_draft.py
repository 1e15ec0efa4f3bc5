"""Properties of the pure storyboard rules (script/rules.py) over generated drafts: checking
never raises and is ok exactly when there are no errors; the duration and shot-count errors
appear exactly when they should; errors are keyed only by known field paths; at most one
dialogue warning per shot, naming its shot.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script.rules import LineDraft, SequenceDraft, ShotDraft, check_sequence
from storyboard_app.choices import CameraAngle, CameraMovement, Language, ShotSize
from tests.storyboard_rules_helpers import (
    custom,
)

pytestmark = pytest.mark.filterwarnings("error")


# Properties

lines = st.builds(
    LineDraft,
    speaker=st.text(max_size=20),
    text=st.text(max_size=200),
    language=st.sampled_from([*Language.values, "xx", ""]),
    delivery=st.text(max_size=20),
    voice_over=st.booleans(),
)
shots = st.builds(
    ShotDraft,
    duration=st.integers(min_value=-5, max_value=100),
    text=st.text(max_size=700),
    shot_size=st.sampled_from(ShotSize.values),
    camera_angle=st.sampled_from(CameraAngle.values),
    camera_movement=st.sampled_from(CameraMovement.values),
    lettering=st.text(max_size=50),
    dialogue=st.lists(lines, max_size=4).map(tuple),
)
drafts = st.builds(
    SequenceDraft,
    mode=st.sampled_from(["custom", "auto"]),
    prompt=st.text(max_size=3000),
    negative_prompt=st.text(max_size=3000),
    auto_duration=st.integers(min_value=-5, max_value=30),
    shots=st.lists(shots, max_size=9).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(drafts)
def test_check_sequence_never_raises_and_is_ok_exactly_when_there_are_no_errors(draft):
    report = check_sequence(draft)

    assert report.ok == (report.errors == {})
    assert all(isinstance(path, str) and messages for path, messages in report.errors.items())
    assert all(isinstance(message, str) for message in report.warnings)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=6).filter(
        lambda durations: 3 <= sum(durations) <= 15
    ),
    st.sampled_from(ShotSize.values),
    st.sampled_from(CameraMovement.values),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
)
def test_any_total_in_range_with_at_most_six_short_shots_is_ok(
    durations, shot_size, movement, text
):
    draft = SequenceDraft(
        shots=tuple(
            ShotDraft(duration=d, text=text, shot_size=shot_size, camera_movement=movement)
            for d in durations
        )
    )

    assert check_sequence(draft).ok


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=6))
def test_the_duration_error_appears_exactly_when_the_total_is_out_of_range(durations):
    report = check_sequence(custom(*durations))

    assert ("duration" in report.errors) == (not 3 <= sum(durations) <= 15)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=3), min_size=7, max_size=30))
def test_more_than_six_shots_is_always_an_error_at_shots(durations):
    assert "shots" in check_sequence(custom(*durations)).errors


@settings(max_examples=100, deadline=None)
@given(drafts)
def test_errors_are_keyed_only_by_known_field_paths(draft):
    report = check_sequence(draft)
    known = {"duration", "prompt", "negative_prompt", "shots"}
    for path in report.errors:
        parts = path.split(".")
        assert path in known or (
            parts[0] == "shots"
            and parts[1].isdigit()
            and int(parts[1]) < len(draft.shots)
            and parts[2] in {"duration", "text"}
        ), path


@settings(max_examples=100, deadline=None)
@given(drafts)
def test_there_is_at_most_one_dialogue_warning_per_shot_and_it_names_its_shot(draft):
    report = check_sequence(draft)

    named = [warning.split(":")[0] for warning in report.warnings]
    assert len(named) == len(set(named))
    if draft.mode == "custom":
        assert all(name in {f"Shot {n}" for n in range(1, len(draft.shots) + 1)} for name in named)
