"""The animatic's local voices: every language speaks, accents and dialects pick their variant,
each speaker sounds different, and pace and whispers follow the delivery."""

import subprocess

import numpy as np
import pytest

from animatic.speech import speakable, synthesize
from script.voices import NORMAL_RATE, kana_reading, voice_for

LINES = {
    "en": "Hold the rope, I am coming aboard.",
    "es": "Sujeta la cuerda, ya subo a bordo.",
    "zh": "抓住绳子，我马上上船。",
    "ja": "ロープを持って、今乗ります。",
    "ko": "밧줄을 잡아, 지금 올라갈게.",
}


def loudness(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2)))


@pytest.mark.parametrize("language", LINES)
def test_each_language_is_spoken_aloud_for_a_plausible_time(language):
    samples, rate = synthesize(LINES[language], voice_for(language))

    seconds = len(samples) / rate
    assert 1.0 < seconds < 8.0
    assert loudness(samples) > 0.02


@pytest.mark.parametrize(
    ("language", "delivery", "accent", "voice"),
    [
        ("en", "", "", "en-us"),
        ("en", "with a clipped British accent", "", "en-gb"),
        ("en", "", "Scottish", "en-gb-scotland"),
        ("en", "in a broad American drawl", "British", "en-us"),  # the line's delivery wins
        ("es", "", "", "es"),
        ("es", "with a Mexican accent", "", "es-419"),
        ("es", "castilian, precise", "", "es"),
        ("zh", "", "", "cmn-latn-pinyin"),
        ("zh", "in Cantonese, laughing", "", "yue"),
        ("zh", "", "粤语", "yue"),
        ("ja", "softly", "", "ja"),
        ("ko", "", "", "ko"),
    ],
)
def test_accents_and_dialects_pick_their_voice(language, delivery, accent, voice):
    assert voice_for(language, delivery, accent).name == voice


def test_each_speaker_of_a_sequence_gets_a_voice_of_their_own():
    voices = [voice_for("en", speaker=index) for index in range(4)]

    assert len({(voice.variant, voice.pitch) for voice in voices}) == 4
    first, second = (synthesize("The tide is turning.", voice)[0] for voice in voices[:2])
    assert first.shape != second.shape or not np.allclose(first, second)


def test_pace_and_whispers_follow_the_delivery():
    fast = voice_for("en", "fast, excited")
    slow = voice_for("en", "slowly, deliberate")

    assert fast.rate > NORMAL_RATE > slow.rate
    assert voice_for("en", "whispers").variant == "whisper"
    quick, _ = synthesize("We have to leave before the storm.", fast)
    unhurried, _ = synthesize("We have to leave before the storm.", slow)
    assert len(quick) < len(unhurried)


def test_a_line_that_starts_like_an_option_is_spoken_not_parsed():
    samples, rate = synthesize("-v is not a flag here", voice_for("en"))

    assert len(samples) / rate > 0.8


def phonemes(text: str, voice: str) -> str:
    command = ["espeak-ng", "-q", "-x", "-v", voice, "--", text]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_chinese_characters_are_read_in_the_language_not_spelled_in_english(language):
    text = {"zh": "谢谢你，抓住绳子。", "ja": "手紙を持って、東京へ行こう。"}[language]
    voice = voice_for(language)

    spoken = phonemes(speakable(text, voice), voice.name)

    assert "(en)" not in spoken  # espeak switches to English to say "Chinese letter"


def test_japanese_is_given_to_the_voice_as_its_kana_reading():
    assert kana_reading("手紙を持って") == "てがみをもって"
    assert kana_reading("ラーメン") == "らあめん"  # the long-vowel mark spelled out


def test_a_japanese_line_longer_than_mecab_s_default_buffer_is_read_whole():
    """MeCab cuts a line of over 8 KiB mid-character unless given a larger buffer."""
    line = "今日は良い天気ですね。" * 1500  # 49,500 bytes of UTF-8
    reading = kana_reading(line)
    assert reading == "きょうはよいてんきですね。" * 1500
