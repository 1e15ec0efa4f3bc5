"""The pure storyboard rules (script/rules.py) on dialogue: each line is timed at its voice's
speaking rate after the lead-in, in its language (Japanese by its kana, a language without
a voice like English), with pauses and the delivery's pace; a line that does not fit its
shot is a warning (not an error) that says how much speech it needs and which lines are cut
off, at most one per shot, in shot order.
"""

import math

import pytest

from script import rules
from script.rules import LineDraft, SequenceDraft, ShotDraft, check_sequence
from script.voices import NORMAL_RATE, voice_for

pytestmark = pytest.mark.filterwarnings("error")


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
