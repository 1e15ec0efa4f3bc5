"""Screening text against a list of blocked terms: pure, no Django.

Both the text and the terms are folded the same way before they meet:
- Unicode compatibility forms (full-width ＢＡＤ → BAD, ligatures), then case folding;
- zero-width characters and soft hyphens removed;
- accents off Latin letters (á → a), never off kana or Hangul (their marks are letters);
- common letter substitutions (0 → o, 1 → i, 3 → e, 4 → a, 5 → s, 7 → t; before a letter
  @ → a, $ → s, ! → i …);
- anything not a letter or digit is a space, and runs of single letters ("b a d", "b.a.d")
  are joined into the word they spell.

Terms in scripts written with spaces between words (English, Spanish) match whole words only,
so an innocent word that contains a blocked one is no match. Terms in Chinese, Japanese or
Korean (no word boundaries) match anywhere in the text with its spaces removed. One
Aho–Corasick automaton per kind finds every term in one pass over the text, whatever the
number of terms (bench/screening_speed.py).
"""

import re
import unicodedata
from dataclasses import dataclass

import ahocorasick

from elements_app.mentions import HandleIndex, find_mentions
from elements_app.mentions import fold as mention_fold

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# Symbols stand for letters only before one ("sh!t", "@ss"); "word!" keeps its punctuation.
SYMBOL_LETTERS = {"@": "a", "$": "s", "!": "i", "|": "l", "€": "e", "£": "l"}
SYMBOL_BEFORE_LETTER = re.compile(r"[@$!|€£](?=\w)")
# Scripts without spaces between words: their terms match inside words.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff]")
NOT_WORD = re.compile(r"[^\w]+|_")
SINGLE_LETTER_RUN = re.compile(r"(?<!\S)(?:\w )+\w(?!\S)")


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


def fold(text: str) -> str:
    """The text as screening sees it: one space between words, every evasion above undone."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(ZERO_WIDTH)
    text = _strip_latin_accents(text).translate(DIGIT_LETTERS)
    text = SYMBOL_BEFORE_LETTER.sub(lambda symbol: SYMBOL_LETTERS[symbol.group()], text)
    text = NOT_WORD.sub(" ", text).strip()
    return SINGLE_LETTER_RUN.sub(lambda run: run.group().replace(" ", ""), text)


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
        folded = fold(text)
        found: dict[Term, Match] = {}
        if len(self._words):
            for _, terms in self._words.iter(f" {folded} "):
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


def _shadow_char(char: str) -> str:
    """One original character as one folded character, so positions line up with the text."""
    if char in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e":
        return "\x00"
    folded = _strip_latin_accents(unicodedata.normalize("NFKC", char).casefold())
    folded = folded.translate(DIGIT_LETTERS)[:1]
    folded = SYMBOL_LETTERS.get(folded, folded)
    return folded if folded and (folded.isalnum()) else " "


def highlight_spans(text: str, found: str) -> list[tuple[int, int]]:
    """Where in the original `text` the folded `found` stretch is, evasions and all: the
    (start, end) spans a moderator's view marks."""
    letters = [re.escape(char) for char in found.replace(" ", "")]
    if not letters:
        return []
    pattern = re.compile("[ \x00]*".join(letters))
    shadow = "".join(map(_shadow_char, text))
    return [(m.start(), m.end()) for m in pattern.finditer(shadow)]
