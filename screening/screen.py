"""Screening text against a list of blocked terms: pure, no Django.

Both the text and the terms are folded the same way before they meet:
- Unicode compatibility forms (full-width ＢＡＤ → BAD, ligatures), then case folding;
- zero-width characters and soft hyphens removed;
- accents off Latin letters (á → a), never off kana or Hangul (their marks are letters);
- common letter substitutions (0 → o, 1 → i, 3 → e, 4 → a, 5 → s, 7 → t; before a letter
  @ → a, $ → s, ! → i …);
- anything not a letter or digit is a space, and runs of single letters ("b a d", "b.a.d")
  are joined into the word they spell (also read without a stray letter at either end, so
  "a b a d idea" finds "bad").

Terms in scripts written with spaces between words (English, Spanish) match whole words only,
so an innocent word that contains a blocked one is no match. Terms in Chinese, Japanese or
Korean (no word boundaries) match anywhere in the text with its spaces removed. One
Aho–Corasick automaton per kind finds every term in one pass over the text, whatever the
number of terms (bench/screening_speed.py).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from script.mentions import HandleIndex, find_mentions
from script.mentions import fold as mention_fold

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# Symbols stand for letters only before one ("sh!t", "@ss"); "word!" keeps its punctuation.
SYMBOL_LETTERS = {"@": "a", "$": "s", "!": "i", "|": "l", "€": "e", "£": "l"}
SYMBOL_BEFORE_LETTER = re.compile(r"[@$!|€£](?=\w)")
# Scripts without spaces between words: their terms match inside words.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff]")
NOT_WORD = re.compile(r"[^\w]+|_")
SINGLE_LETTER_RUN = re.compile(r"(?<!\S)(?:\w )+\w(?!\S)")
SHADOW_CACHE_SIZE = 4096  # clusters folded for highlighting: a text repeats most of them


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    severity: str  # "block" or "review"
    language: str = ""


@dataclass(frozen=True)
class Match:
    term: Term
    found: str  # the folded stretch of text that matched


def _strip_latin_accents(text: str) -> str:
    out = []
    for char in unicodedata.normalize("NFD", text):
        latin_mark = unicodedata.category(char) == "Mn" and out and out[-1] < "\u0250"
        # ñ is a letter of its own in Spanish (año is not ano): its tilde stays.
        if latin_mark and not (char == "\u0303" and out[-1] in "nN"):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_words(text: str) -> str:
    """Every evasion undone but spelled-out words ("b a d"), which stay letter by letter."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(ZERO_WIDTH)
    text = _strip_latin_accents(text).translate(DIGIT_LETTERS)
    text = SYMBOL_BEFORE_LETTER.sub(lambda symbol: SYMBOL_LETTERS[symbol.group()], text)
    return NOT_WORD.sub(" ", text).strip()


def _join_runs(words: str, apart: tuple[bool, bool] = (False, False)) -> str:
    """Runs of single letters joined into the word they spell; `apart` keeps the first or the
    last letter of each run a word of its own (the article of "a b a d idea")."""

    def join(run: re.Match) -> str:
        letters = run.group().split(" ")
        head = letters[:1] if apart[0] and len(letters) > 2 + apart[1] else []
        tail = letters[-1:] if apart[1] and len(letters) > 2 + apart[0] else []
        middle = letters[len(head) : len(letters) - len(tail)]
        return " ".join([*head, "".join(middle), *tail])

    return SINGLE_LETTER_RUN.sub(join, words)


# The readings of spelled-out runs screened besides the whole run: without a stray letter
# before it, after it, or both.
RUN_READINGS = ((True, False), (False, True), (True, True))


def fold(text: str) -> str:
    """The text as screening sees it: one space between words, every evasion above undone."""
    return _join_runs(_fold_words(text))


def _word_readings(text: str) -> list[str]:
    words = _fold_words(text)
    folded = _join_runs(words)
    if not SINGLE_LETTER_RUN.search(words):
        return [folded]
    return [folded, *{_join_runs(words, apart) for apart in RUN_READINGS} - {folded}]


class Screen:
    """The blocked terms, ready to screen any number of texts."""

    def __init__(self, terms: list[Term]) -> None:
        self._words = ahocorasick.Automaton()
        self._inside = ahocorasick.Automaton()
        for term in terms:
            folded = fold(term.text)
            if not folded:
                continue
            if UNSPACED.search(folded):
                key = folded.replace(" ", "")
                self._inside.add_word(key, self._inside.get(key, ()) + (term,))
            else:
                key = f" {folded} "
                self._words.add_word(key, self._words.get(key, ()) + (term,))
        for automaton in (self._words, self._inside):
            if len(automaton):
                automaton.make_automaton()

    def matches(self, text: str) -> list[Match]:
        readings = _word_readings(text)
        folded = readings[0]
        found: dict[Term, Match] = {}
        if len(self._words):
            for reading in readings:
                for _, terms in self._words.iter(f" {reading} "):
                    for term in terms:
                        found.setdefault(term, Match(term, fold(term.text)))
        if len(self._inside):
            for _, terms in self._inside.iter(folded.replace(" ", "")):
                for term in terms:
                    found.setdefault(term, Match(term, fold(term.text).replace(" ", "")))
        return list(found.values())

    def verdict(self, text: str) -> tuple[str, list[Match]]:
        """("block" | "review" | "ok", the matches): a block term outweighs review terms."""
        matches = self.matches(text)
        if any(m.term.severity == "block" for m in matches):
            return "block", matches
        return ("review" if matches else "ok"), matches


@dataclass(frozen=True)
class Hit:
    field: str  # where the text was ("shots.0.text", "description" …)
    match: Match


@dataclass(frozen=True)
class Verdict:
    severity: str  # "block", "review" or "ok"
    hits: tuple[Hit, ...] = ()

    @property
    def deciding(self) -> tuple[Hit, ...]:
        """The hits that made the verdict (the block terms of a block)."""
        return tuple(hit for hit in self.hits if hit.match.term.severity == self.severity)

    @property
    def category(self) -> str:
        """The category the verdict is for: that of its first deciding hit."""
        return self.deciding[0].match.term.category if self.deciding else ""


def screen_fields(screen: Screen, fields: dict[str, str]) -> Verdict:
    """Screen each field on its own (a term never spans two fields); the worst verdict wins."""
    hits = tuple(
        Hit(field, match)
        for field, text in fields.items()
        if text
        for match in screen.matches(text)
    )
    severities = {hit.match.term.severity for hit in hits}
    severity = "block" if "block" in severities else "review" if severities else "ok"
    return Verdict(severity, hits)


def storyboard_texts(sequence: dict, elements: list[dict] = ()) -> dict[str, str]:
    """Every text a generation of `sequence` sends (jobs/snapshot.py's shape), by field path,
    with the names and descriptions of the elements it mentions or makes speak (mentions
    resolved as the compiler resolves them: handles with spaces, CJK handles glued to text)."""
    fields = {
        "prompt": sequence.get("prompt", ""),
        "negative_prompt": sequence.get("negative_prompt", ""),
    }
    speakers = set()
    for i, shot in enumerate(sequence.get("shots", [])):
        for name in ("text", "lettering", "sound_notes"):
            fields[f"shots.{i}.{name}"] = shot.get(name, "")
        for j, line in enumerate(shot.get("dialogue", [])):
            for name in ("speaker", "text", "delivery"):
                fields[f"shots.{i}.dialogue.{j}.{name}"] = line.get(name, "")
            if line.get("speaker_element"):
                speakers.add(line["speaker_element"])
    if not elements:
        return fields
    index = HandleIndex(element["handle"] for element in elements)
    mentioned = {
        mention_fold(mention.handle.strip())
        for text in list(fields.values())
        if text
        for mention in find_mentions(text, index)
        if mention.handle is not None
    }
    for element in elements:
        if mention_fold(element["handle"].strip()) in mentioned or element.get("id") in speakers:
            fields[f"elements.@{element['handle']}"] = (
                f"{element['handle']}\n{element.get('description', '')}"
            )
    return fields


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of `text` that folds as one: a character with the marks or
    jamo compatibility normalisation composes into it (e\u0301, ﾌﾞ, ᄆ+ᅡ)."""
    spans: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        # No composition pairs an ASCII character with what precedes it: no normalising.
        if spans and not char.isascii():
            start, end = spans[-1]
            apart = len(unicodedata.normalize("NFKC", text[start:end])) + len(
                unicodedata.normalize("NFKC", char)
            )
            if len(unicodedata.normalize("NFKC", text[start : i + 1])) < apart:
                spans[-1] = (start, i + 1)
                continue
        spans.append((i, i + 1))
    return spans


@lru_cache(maxsize=SHADOW_CACHE_SIZE)
def _shadow_piece(piece: str) -> str:
    """A cluster folded on its own (one or more characters; a zero-width one is NUL): what
    `fold` makes of it, without the spacing that only a whole text decides."""
    if not piece.translate(ZERO_WIDTH):
        return "\x00"
    folded = _strip_latin_accents(unicodedata.normalize("NFKC", piece).casefold())
    folded = folded.translate(ZERO_WIDTH).translate(DIGIT_LETTERS)
    folded = "".join(SYMBOL_LETTERS.get(char, char) for char in folded)
    return "".join(char if char.isalnum() else " " for char in folded) or " "


def highlight_spans(text: str, found: str) -> list[tuple[int, int]]:
    """Where in the original `text` the folded `found` stretch is, evasions and all: the
    (start, end) spans a moderator's view marks. A stretch of a spaced script is marked only
    where it is a whole word, as screening matched it."""
    letters = [re.escape(char) for char in found.replace(" ", "")]
    if not letters:
        return []
    pattern = "[ \x00]*".join(letters)
    if not UNSPACED.search(found):
        pattern = rf"(?<![^\W_]){pattern}(?![^\W_])"
    shadow, owners = [], []
    spans = _clusters(text)
    for index, (start, end) in enumerate(spans):
        piece = _shadow_piece(text[start:end])
        shadow.append(piece)
        owners += [index] * len(piece)
    return [
        (spans[owners[m.start()]][0], spans[owners[m.end() - 1]][1])
        for m in re.finditer(pattern, "".join(shadow))
    ]
