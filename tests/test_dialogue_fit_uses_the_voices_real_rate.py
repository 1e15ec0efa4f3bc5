"""The dialogue-fit warning times lines with the animatic's own voice: for every language and
pace, `rules.speaking_seconds` is within 20% of how long espeak-ng really speaks the line, taken
over the voices a sequence's first speakers get (each speaker's variant is a little faster or
slower, and validation does not know which speaker gets which).

Needs espeak-ng (installed by bin/ensure-system)."""

import numpy as np
import pytest

from animatic.speech import synthesize
from script import rules
from script.rules import LineDraft
from script.voices import voice_for

# How far the estimate may be from the real speech.
TOLERANCE = 0.20
# Samples quieter than this at either end are espeak's padding, which the renderer trims too
# (animatic/soundtrack.py), so they are no part of the line's length.
SILENCE_LEVEL = 1e-3

# Everyday lines of one to a few seconds, none of them among those the rates were measured on;
# Japanese with kanji too (the voice reads them through their kana reading).
LINES = {
    "en": ["The lights went out an hour ago.", "Give me the keys, and wait in the car."],
    "es": ["Las luces se apagaron hace una hora.", "Dame las llaves y espera en el coche."],
    "zh": ["灯一个小时前就灭了。", "把钥匙给我，在车里等着。"],
    "ja": ["わたしはここでまっています。", "明日の朝、駅で会おう。", "私の名前を覚えてる？"],
    "ko": ["한 시간 전에 불이 꺼졌어.", "열쇠 줘, 차에서 기다려."],
}
DELIVERIES = ["", "fast", "slowly"]
# Accents whose voice speaks at a rate of its own (rules.VOICE_CHARS_PER_SECOND).
ACCENTED = [
    ("zh", "in Cantonese", "灯一个小时前就灭了。"),
    ("zh", "粤语，fast", "把钥匙给我，在车里等着。"),
]
SPEAKERS = range(4)


def spoken_seconds(text: str, language: str, delivery: str) -> float:
    """How long the line is really spoken, on average over the voices of SPEAKERS."""
    lengths = []
    for speaker in SPEAKERS:
        samples, rate = synthesize(text, voice_for(language, delivery, speaker=speaker))
        loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
        assert loud.size, f"espeak-ng said nothing for {text!r}"
        lengths.append((loud[-1] - loud[0] + 1) / rate)
    return float(np.mean(lengths))


@pytest.mark.parametrize("delivery", DELIVERIES)
@pytest.mark.parametrize(
    ("language", "text"), [(language, text) for language in LINES for text in LINES[language]]
)
def test_the_estimate_is_within_20_percent_of_the_real_speech(language, text, delivery):
    estimate = rules.speaking_seconds(
        LineDraft(speaker="A", text=text, language=language, delivery=delivery)
    )

    real = spoken_seconds(text, language, delivery)
    assert abs(estimate / real - 1) <= TOLERANCE, f"estimated {estimate:.2f} s, spoken {real:.2f} s"


@pytest.mark.parametrize(("language", "delivery", "text"), ACCENTED)
def test_an_accent_with_a_rate_of_its_own_is_timed_at_that_rate(language, delivery, text):
    estimate = rules.speaking_seconds(
        LineDraft(speaker="A", text=text, language=language, delivery=delivery)
    )

    real = spoken_seconds(text, language, delivery)
    assert abs(estimate / real - 1) <= TOLERANCE, f"estimated {estimate:.2f} s, spoken {real:.2f} s"


@pytest.mark.parametrize("language", LINES)
def test_a_line_set_to_auto_is_timed_in_the_language_it_is_written_in(language):
    text = LINES[language][0]

    auto = rules.speaking_seconds(LineDraft(speaker="A", text=text, language="auto"))
    assert auto == rules.speaking_seconds(LineDraft(speaker="A", text=text, language=language))
