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
