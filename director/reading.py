"""Reading a prompt's words: phrase tables compiled into patterns, sentences that respect
quotations, and the quotations themselves. Pure; used by the shot splitter and the line reader."""

import re
from dataclasses import dataclass
from functools import cache

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Quotation marks, opening → closing. Straight double quotes pair in order.
QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", "«": "»", '"': '"', "＂": "＂"}
# A straight single quote is mostly an apostrophe (won't, Mara's, the boys'); it quotes only
# when it opens after a space or a colon before a letter or digit, and closes, on the same
# line, after a non-space and before a space, punctuation or the end: `mutters, 'Go back.'`.
SINGLE_OPENS = re.compile(r"(?:^|(?<=[\s:(—–-]))'(?=[^\W_])")
SINGLE_CLOSES = re.compile(r"(?<=[^\s'])'(?=$|[\s.,;:!?)—–-])")
SINGLE_LONGEST = 300
SENTENCE_END = "。！？!?."


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """One alternation of `phrases`, longest first; Latin phrases as whole words (a space in a
    phrase matches any run of spaces or a hyphen), CJK ones anywhere."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", phrase))
        parts.append(body if CJK.search(phrase) else rf"(?<![\w-]){body}(?![\w-])")
    return "|".join(parts)


@cache
def table_pattern(table: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    """A pattern naming each table entry's value as the group `v<index>`."""
    groups = [f"(?P<v{i}>{phrase_pattern(phrases)})" for i, (_, phrases) in enumerate(table)]
    return re.compile("|".join(groups), re.IGNORECASE)


def first_named(text: str, table: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The value whose phrase comes first in `text` (the longest phrase at a tie), and where."""
    items = tuple(table.items())
    match = table_pattern(items).search(text)
    if match is None:
        return None
    index = int(match.lastgroup[1:])
    return items[index][0], match.start()


def named_at_start(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    found = first_named(text, table)
    return found[0] if found is not None and found[1] == 0 else None


@dataclass(frozen=True)
class Quotation:
    start: int  # of the opening mark
    end: int  # after the closing mark
    text: str  # between the marks


def quotations(text: str) -> list[Quotation]:
    """The outermost quotations of `text`, in order (an unclosed one runs to the end)."""
    found, at = [], 0
    while at < len(text):
        char = text[at]
        if char == "'" and SINGLE_OPENS.match(text, at):
            end = _single_close(text, at)
            if end is not None:
                found.append(Quotation(at, end + 1, text[at + 1 : end].strip()))
                at = end + 1
                continue
        closing = QUOTES.get(char)
        if closing is None or (char == "‘" and at + 1 < len(text) and text[at + 1] == " "):
            at += 1
            continue
        end = text.find(closing, at + 1)
        if end == -1 and char != '"':  # unclosed: it runs to the end, every character kept
            found.append(Quotation(at, len(text), text[at + 1 :].strip()))
            break
        if end == -1:
            at += 1
            continue
        found.append(Quotation(at, end + 1, text[at + 1 : end].strip()))
        at = end + 1
    return found


def _single_close(text: str, start: int) -> int | None:
    """Where the straight single quotation opened at `start` closes, or None (an apostrophe,
    as in 'til or rock 'n' roll: nothing closes it on its line, or it holds one character)."""
    line_end = text.find("\n", start)
    limit = min(len(text), start + SINGLE_LONGEST, line_end if line_end != -1 else len(text))
    close = SINGLE_CLOSES.search(text, start + 3, limit)
    return close.start() if close else None


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: ends at . ! ? 。！？ outside quotations, or after a
    quotation that a space or the end follows (`"…" Close-up of …`)."""
    spans, start, at = [], 0, 0
    inside = {q.start: q.end for q in quotations(text)}
    while at < len(text):
        if at in inside:
            at = inside[at]
            following = text[at : at + 1]
            # `"…" Close-up of …`, and `“…了。”远景…` (Chinese and Japanese put no space).
            ended = text[at - 2 : at - 1] in tuple(SENTENCE_END)
            if following == "" or following.isspace() or ended:
                spans.append((start, at))
                start = at
            continue
        char = text[at]
        at += 1
        if char in SENTENCE_END:
            if char == "." and at < len(text) and not text[at].isspace():
                continue  # "3.5", "e.g.x"
            while at < len(text) and text[at] in SENTENCE_END:
                at += 1
            spans.append((start, at))
            start = at
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
