"""The language of a piece of text, for lines whose language is "auto" (Detect).

Pure Python, no Django. The script decides first, since it is certain: Hangul is Korean, any kana
is Japanese, Chinese characters without either are Chinese. Text in the Latin script goes to
lingua (`lingua-language-detector`), asked to choose only among the candidate languages written
in that script, so that English and Spanish are told apart even in short lines.

`detect_language(text, among=...)` takes the candidates, so a caller can narrow them; adding a
Latin-script language is one entry in `LINGUA_LANGUAGES`.
"""

import re
from collections.abc import Iterable
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

AUTO = "auto"
# The languages the storyboard offers (storyboard_app.choices.Language, less "auto").
LANGUAGES = ("zh", "en", "ja", "ko", "es")
# What undecidable text (empty, digits, punctuation, a word both languages share) is taken to
# be: English, the voice espeak-ng and the animatic also fall back to.
DEFAULT_LANGUAGE = "en"

# The scripts that name their language outright. Kana are the hiragana and katakana letters
# (U+30FB, the middle dot, and U+30FC, the long-vowel mark, are left out: Chinese text uses them
# too); Han are the CJK ideographs, with their extensions and compatibility forms.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
KANA = re.compile(
    "[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d]"
)
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SCRIPT_LANGUAGES = (("ko", HANGUL), ("ja", KANA), ("zh", HAN))
# Latin-script candidates and lingua's name for each.
LINGUA_LANGUAGES = {"en": Language.ENGLISH, "es": Language.SPANISH}
# lingua's high-accuracy mode, measured with English and Spanish on this machine: its first call
# loads the models in about 270 ms and keeps about 96 MB; the low-accuracy mode takes 17 ms and
# 8 MB, but got 10 of 80 short dialogue lines wrong ("Yes.", "Listen.", "Wait for me." as
# Spanish) against 2 ("Hello.", "No.") in high accuracy. Dialogue lines are short, so accuracy
# wins; either mode answers in about 20 µs per line once loaded.
LINGUA_LOW_ACCURACY = False
# lingua reads a word in time quadratic in its length (10,000 letters with no space: 28 ms;
# 20,000: 110 ms). No word of a language is this long: longer runs are left out of what it reads
# (possessive: the run is read once).
LINGUA_LONGEST_WORD = 64
LONGER_THAN_A_WORD = re.compile(rf"\S{{{LINGUA_LONGEST_WORD + 1},}}+")


def detect_language(text: str, among: Iterable[str] = LANGUAGES) -> str:
    """The language of `text`, one of `among`: by its script, else by lingua among the
    Latin-script candidates, else DEFAULT_LANGUAGE (or the first candidate without it)."""
    candidates = tuple(among)
    if not candidates:
        raise ValueError("detect_language needs at least one candidate language")
    for language, script in SCRIPT_LANGUAGES:
        if language in candidates and script.search(text):
            return language
    fallback = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in candidates else candidates[0]
    latin = frozenset(language for language in candidates if language in LINGUA_LANGUAGES)
    if len(latin) < 2 or not any(character.isalpha() for character in text):
        # Nothing to tell apart, or nothing to tell it by: no need to load lingua's models.
        return next(iter(latin)) if len(latin) == 1 else fallback
    found = _detector(latin).detect_language_of(LONGER_THAN_A_WORD.sub(" ", text))
    for language in latin:
        if LINGUA_LANGUAGES[language] == found:
            return language
    return fallback


def resolve_language(language: str, text: str) -> str:
    """`language` as given, or when it is "auto" the language detected in `text`."""
    return detect_language(text) if language == AUTO else language


@cache
def _detector(languages: frozenset[str]) -> LanguageDetector:
    """One lingua detector per set of candidates, built on first use: its models load lazily
    and stay loaded for the life of the process."""
    builder = LanguageDetectorBuilder.from_languages(
        *(LINGUA_LANGUAGES[language] for language in sorted(languages))
    )
    if LINGUA_LOW_ACCURACY:
        builder = builder.with_low_accuracy_mode()
    return builder.build()
