"""The pure storyboard rules (script/rules.py): plain drafts in, a report out, no DB."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script import rules
from script.rules import LineDraft, SequenceDraft, ShotDraft, check_sequence
from script.voices import NORMAL_RATE, voice_for
from storyboard_app.choices import CameraAngle, CameraMovement, Language, ShotSize

pytestmark = pytest.mark.filterwarnings("error")


def custom(*durations: int, **shot_fields) -> SequenceDraft:
    return SequenceDraft(shots=tuple(ShotDraft(duration=d, **shot_fields) for d in durations))


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


# Dialogue speaking rate (timed with the animatic's voice; see also
# test_dialogue_fit_uses_the_voices_real_rate.py)

LEAD = rules.LINE_LEAD_SECONDS
RATES = rules.SPEAKING_CHARS_PER_SECOND
# One spoken unit of each language: a letter, a Chinese character, a kana, a Hangul syllable.
UNITS = {"en": "a", "es": "a", "zh": "字", "ja": "あ", "ko": "말"}


def line(text: str, language: str = "en", delivery: str = "") -> LineDraft:
    return LineDraft(speaker="Mara", text=text, language=language, delivery=delivery)


def shot_saying(duration: int, *lines: LineDraft) -> SequenceDraft:
    return SequenceDraft(
        shots=(ShotDraft(duration=duration, dialogue=lines), ShotDraft(duration=3))
    )


def units(language: str, seconds: float) -> str:
    """As many units as the voice says in `seconds` at its language's rate, rounded down."""
    return UNITS[language] * math.floor(seconds * RATES[language])


@pytest.mark.parametrize("language", UNITS)
def test_a_line_that_fits_its_shot_after_the_lead_in_has_no_warning(language):
    assert check_sequence(shot_saying(2, line(units(language, 2 - LEAD), language))).warnings == []


@pytest.mark.parametrize("language", UNITS)
def test_one_unit_more_than_fits_is_a_warning_not_an_error(language):
    text = units(language, 2 - LEAD) + UNITS[language]

    report = check_sequence(shot_saying(2, line(text, language)))
    assert report.ok, "a speaking-rate problem is a warning, not an error"
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("Shot 1: line 1 needs about ")


def test_a_line_alone_longer_than_its_shot_says_how_much_speech_it_needs():
    draft = SequenceDraft(
        shots=(
            ShotDraft(duration=3),
            ShotDraft(duration=3, dialogue=(line("Hi."), line(units("en", 4.5)))),
        )
    )

    assert check_sequence(draft).warnings == [
        "Shot 2: line 2 needs about 4.5 s of speech; shot 2 is 3 s."
    ]


def test_a_line_that_fits_only_without_the_lead_in_says_when_it_starts():
    report = check_sequence(shot_saying(2, line(units("en", 1.9))))

    assert report.warnings == [
        "Shot 1: line 1 needs about 1.9 s of speech and starts 0.25 s after the cut; "
        "shot 1 is 2 s (its end would be cut off)."
    ]


def test_lines_that_overflow_together_say_which_line_is_cut_off():
    # 0.25 s lead, three 1 s lines and two 0.3 s pauses: 3.85 s, and line 3 ends past 3 s.
    one_second = line(units("en", 1))
    report = check_sequence(shot_saying(3, one_second, one_second, one_second))

    assert report.warnings == [
        "Shot 1: its 3 lines need about 3.9 s of speech with pauses; "
        "shot 1 is 3 s (line 3 would be cut off)."
    ]


def test_lines_after_the_one_cut_off_are_named_as_not_heard():
    one_second = line(units("en", 1))
    report = check_sequence(shot_saying(3, *[one_second] * 5))

    assert report.warnings == [
        "Shot 1: its 5 lines need about 6.5 s of speech with pauses; "
        "shot 1 is 3 s (line 3 would be cut off and lines 4 and 5 not heard)."
    ]


def test_empty_lines_are_skipped_but_lines_keep_their_numbers():
    report = check_sequence(shot_saying(3, line("   "), line("Hi."), line(units("en", 3.5))))

    assert report.warnings == ["Shot 1: line 3 needs about 3.5 s of speech; shot 1 is 3 s."]


def test_a_length_just_over_the_shot_is_rounded_up_so_it_never_reads_as_fitting():
    text = "a" * (math.floor(3 * RATES["en"]) + 1)

    assert check_sequence(shot_saying(3, line(text))).warnings == [
        "Shot 1: line 1 needs about 3.1 s of speech; shot 1 is 3 s."
    ]


def test_each_shot_gets_at_most_one_warning_in_shot_order():
    long = line(units("en", 4))
    draft = SequenceDraft(
        shots=(
            ShotDraft(duration=2, dialogue=(long, long)),
            ShotDraft(duration=5, dialogue=(line("Fine."),)),
            ShotDraft(duration=3, dialogue=(long,)),
        )
    )

    warnings = check_sequence(draft).warnings
    assert [warning.split(":")[0] for warning in warnings] == ["Shot 1", "Shot 3"]


def test_surrounding_and_repeated_spaces_do_not_count():
    assert rules.speaking_seconds(line("  a  b  ")) == rules.speaking_seconds(line("a b"))
    assert rules.speaking_seconds(line("a b")) == pytest.approx(3 / RATES["en"])


def test_a_comma_or_stop_inside_a_line_adds_a_pause_and_the_last_mark_does_not():
    plain = rules.speaking_seconds(line("Wait here then go"))

    assert rules.speaking_seconds(line("Wait here then go.")) == plain
    assert rules.speaking_seconds(line("Wait here, then go!")) == pytest.approx(
        plain + rules.CLAUSE_PAUSE_SECONDS
    )
    assert rules.speaking_seconds(line("Wait... then go?!")) == pytest.approx(
        rules.speaking_seconds(line("Wait then go")) + rules.CLAUSE_PAUSE_SECONDS
    )
    assert rules.speaking_seconds(line("等一下，然后走。", "zh")) == pytest.approx(
        6 / RATES["zh"] + rules.CLAUSE_PAUSE_SECONDS
    )


def test_a_decimal_point_is_no_pause():
    assert rules.speaking_seconds(line("Take 3.5 kilos")) == pytest.approx(13 / RATES["en"])


def test_japanese_is_timed_by_the_kana_of_its_reading():
    assert rules.speaking_seconds(line("ありがとう", "ja")) == pytest.approx(5 / RATES["ja"])
    # 手紙 reads てがみ: three kana, then をください.
    assert rules.speaking_seconds(line("手紙をください", "ja")) == pytest.approx(8 / RATES["ja"])


def test_the_deliverys_pace_scales_the_time():
    text = "We have to leave before the storm."
    plain = rules.speaking_seconds(line(text))

    assert rules.speaking_seconds(line(text, delivery="fast, excited")) == pytest.approx(
        plain * NORMAL_RATE / voice_for("en", "fast").rate
    )
    assert rules.speaking_seconds(line(text, delivery="slowly")) > plain
    assert rules.speaking_seconds(line(text, delivery="in a whisper")) == plain


def test_an_auto_line_is_timed_in_the_language_it_is_written_in():
    for text, language in [("¿Dónde estabas anoche?", "es"), ("你昨晚去哪儿了？", "zh")]:
        assert rules.speaking_seconds(line(text, "auto")) == rules.speaking_seconds(
            line(text, language)
        )


@pytest.mark.parametrize("language", ["xx", ""])
def test_a_language_without_a_voice_is_timed_like_english_the_voice_that_reads_it(language):
    assert rules.speaking_seconds(line("Hello there", language)) == rules.speaking_seconds(
        line("Hello there", "en")
    )


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
