"""The voices of the animatic and what they imply for timing: espeak-ng's voice per language and
accent, a distinct voice per speaker, the speaking pace a delivery names, and Japanese as kana
(MeCab). Pure: no Django, no NumPy; the storyboard rules time dialogue with these figures and the
renderer (animatic/speech.py) speaks with them.

`voice_for` reads the line's language and the accent or dialect its delivery names ("a British
accent", "Latin American Spanish", "in Cantonese") or the speaker element's voice accent, and
gives each speaker of a sequence its own variant and pitch.
"""

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

ESPEAK = "espeak-ng"
SYNTHESIS_TIMEOUT_SECONDS = 30
# The espeak-ng voice of each language, and of the accents and dialects it has, found by words
# of the delivery or the element's accent (checked in order, lower case).
# Mandarin is `cmn-latn-pinyin`: espeak-ng 1.51's plain `cmn` voice reads the pinyin its
# dictionary gives each character as English ("xie four" for 谢).
MANDARIN = "cmn-latn-pinyin"
JAPANESE = "ja"
DEFAULT_VOICES = {"en": "en-us", "es": "es", "zh": MANDARIN, "ja": JAPANESE, "ko": "ko"}
ACCENT_VOICES = {
    "en": (
        (("scottish", "scotland"), "en-gb-scotland"),
        (("british", "english accent", "london", "received pronunciation", "uk accent"), "en-gb"),
        (("american", "us accent", "new york", "southern"), "en-us"),
        (("caribbean", "jamaican"), "en-029"),
    ),
    "es": (
        (("latin american", "latino", "latina", "mexican", "argentin", "colombian"), "es-419"),
        (("castilian", "from spain", "spanish from spain", "madrid", "peninsular"), "es"),
    ),
    "zh": (
        (("cantonese", "粤语", "廣東話", "广东话", "hong kong"), "yue"),
        (("mandarin", "普通话", "beijing"), MANDARIN),
    ),
}
# Speakers get these espeak variants in turn (alternating voices that are easy to tell apart),
# each with its own pitch.
SPEAKER_VARIANTS = ("m3", "f2", "m1", "f4", "m7", "f1", "m5", "f3")
SPEAKER_PITCHES = (45, 60, 35, 70, 50, 55, 40, 65)
# Words per minute: espeak's default, and what pace words in a delivery make of it.
NORMAL_RATE = 165
PACE_RATES = (
    (("very fast", "rapid", "hurried", "rushed"), 220),
    (("fast", "quick", "excited"), 195),
    (("very slow", "drawn out"), 115),
    (("slow", "calm", "deliberate", "hesitant", "low, flat"), 135),
)
WHISPER_WORDS = ("whisper", "under her breath", "under his breath", "hushed")
# Where lines sit in a shot: the first starts this long after the cut, each next one this long
# after the one before ends. Validation counts the same pauses when it checks that dialogue fits.
LINE_LEAD_SECONDS = 0.25
LINE_GAP_SECONDS = 0.3


# espeak-ng reads kana but has no readings for kanji (it says "Chinese letter"), so Japanese is
# given to it as hiragana: MeCab's reading (Debian's mecab with the IPA dictionary, run as a
# process like espeak-ng, so its dictionary never sits in the renderer's memory), each long-vowel
# mark written as the vowel it lengthens.
MECAB = "mecab"
MECAB_MIN_BUFFER_BYTES = 8192  # MeCab's own default
VOWEL_OF_KANA = {
    "あ": "あかさたなはまやらわがざだばぱゃぁ",
    "い": "いきしちにひみりぎじぢびぴぃ",
    "う": "うくすつぬふむゆるぐずづぶぷゅぅ",
    "え": "えけせてねへめれげぜでべぺぇ",
    "お": "おこそとのほもよろをごぞどぼぽょぉ",
}
LONG_VOWEL_MARK = "ー"
KATAKANA_FIRST, KATAKANA_LAST, KATAKANA_TO_HIRAGANA = "ァ", "ヶ", 0x60


class SpeechUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Voice:
    name: str  # an espeak-ng voice, e.g. "en-gb"
    variant: str  # an espeak-ng variant, e.g. "f2" or "whisper"
    rate: int  # words per minute
    pitch: int  # 0–99


def _matching(table, text: str, default):
    lowered = text.lower()
    for words, value in table:
        if any(word in lowered for word in words):
            return value
    return default


def voice_for(language: str, delivery: str = "", accent: str = "", speaker: int = 0) -> Voice:
    """The voice of a line: its language's voice or the variant its delivery (or, failing that,
    the speaker's own accent) names, the speaker's variant and pitch, and the delivery's pace."""
    base = DEFAULT_VOICES.get(language, DEFAULT_VOICES["en"])
    accents = ACCENT_VOICES.get(language, ())
    name = _matching(accents, delivery, None) or _matching(accents, accent, base)
    whispered = any(word in delivery.lower() for word in WHISPER_WORDS)
    index = speaker % len(SPEAKER_VARIANTS)
    return Voice(
        name=name,
        variant="whisper" if whispered else SPEAKER_VARIANTS[index],
        rate=_matching(PACE_RATES, delivery, NORMAL_RATE),
        pitch=SPEAKER_PITCHES[index],
    )


@lru_cache(maxsize=1024)
def kana_reading(text: str) -> str:
    """Japanese `text` as hiragana, long-vowel marks spelled out: what espeak-ng can read.
    Raises SpeechUnavailable when MeCab cannot run."""
    if shutil.which(MECAB) is None:
        raise SpeechUnavailable("mecab is not installed (apt-get install mecab mecab-ipadic-utf8)")
    line = text.replace("\n", " ")
    # MeCab reads a line into a buffer of 8 KiB unless told otherwise, and cuts a longer line
    # mid-character: give it room for the whole line.
    buffer_bytes = max(MECAB_MIN_BUFFER_BYTES, 2 * len(line.encode()) + 1)
    try:
        result = subprocess.run(
            [MECAB, "-Oyomi", f"--input-buffer-size={buffer_bytes}"],
            input=line,
            capture_output=True,
            check=True,
            encoding="utf-8",
            errors="replace",
            timeout=SYNTHESIS_TIMEOUT_SECONDS,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise SpeechUnavailable(f"mecab could not read the line: {error}") from error
    spelled: list[str] = []
    for char in result.stdout.strip():
        if KATAKANA_FIRST <= char <= KATAKANA_LAST:
            char = chr(ord(char) - KATAKANA_TO_HIRAGANA)
        elif char == LONG_VOWEL_MARK and spelled:
            previous = spelled[-1]
            char = next((v for v, row in VOWEL_OF_KANA.items() if previous in row), "")
        spelled.append(char)
    return "".join(spelled)
