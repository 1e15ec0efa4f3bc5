"""Reading a prompt's words: phrase tables compiled into patterns, sentences that respect
quotations, and the quotations themselves. Pure; used by the shot splitter and the line reader."""

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Quotation marks, opening → closing. Straight double quotes pair in order.
QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", "«": "»", '"': '"', "＂": "＂"}
# A straight single quote is mostly an apostrophe (won't, Mara's, the boys'); it quotes only
# when it opens after a space or a colon before a letter or digit, and closes, on the same
# line, after a non-space and before a space, punctuation or the end: `mutters, 'Go back.'`.
SINGLE_OPENS = re.compile(r"(?:^|(?<=[\s:(—–-]))'(?=[^\W_])")
SINGLE_CLOSES = re.compile(r"(?<=[^\s'])'(?=$|[\s.,;:!?)—–-])")
SINGLE_LONGEST = 300
QUOTATIONS_CACHE_SIZE = 8
# A character that may open a quotation: the loop of `quotations` jumps from one to the next.
QUOTE_MARK = re.compile(f"[{re.escape(''.join(QUOTES))}']")
SENTENCE_END = "。！？!?."


def _phrase_parts(phrase: str) -> tuple[str, str]:
    """(the phrase's first character, the pattern of the rest of it): a space in a phrase
    matches any run of spaces or a hyphen; a Latin phrase matches as a whole word only."""
    body = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", phrase))
    first = re.escape(phrase[0])
    rest = body[len(first) :]
    if CJK.search(phrase):
        return phrase[0], rest
    # The word boundary before the phrase, looked for after its first character is read.
    return phrase[0], rf"(?<![\w-].){rest}(?![\w-])"


def _by_first_character(entries: list[tuple[str, str | None]]) -> str:
    """One case-insensitive alternation of (phrase, group name) entries that tries them in the
    given order, regrouped under their first character: at each position of a text only the
    group of that character is tried. As fast as a search can be over hundreds of phrases (a
    flat alternation of lookbehinds costs every phrase at every position: 40 ms per 10,000
    characters); the same match as the flat alternation, since two phrases can only both match
    at one position when their first characters match alike."""
    groups: list[tuple[str, list[str]]] = []
    for phrase, name in entries:
        first, rest = _phrase_parts(phrase)
        alternative = f"(?P<{name}>{rest})" if name else rest
        for head, alternatives in groups:
            if re.fullmatch(re.escape(head), first, re.IGNORECASE):
                alternatives.append(alternative)
                break
        else:
            groups.append((first, [alternative]))
    return "|".join(f"{re.escape(head)}(?:{'|'.join(rest)})" for head, rest in groups)


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """One alternation of `phrases`, longest first, to compile case-insensitively; Latin
    phrases as whole words (a space in a phrase matches any run of spaces or a hyphen), CJK
    ones anywhere."""
    return _by_first_character([(p, None) for p in sorted(set(phrases), key=len, reverse=True)])


@cache
def table_pattern(table: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    """A pattern naming each table entry's value by its groups `v<index>_<n>`."""
    entries = [
        (phrase, f"v{index}_{n}")
        for index, (_, phrases) in enumerate(table)
        for n, phrase in enumerate(sorted(set(phrases), key=len, reverse=True))
    ]
    return re.compile(_by_first_character(entries), re.IGNORECASE)


def first_named(text: str, table: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The value whose phrase comes first in `text` (the longest phrase at a tie), and where."""
    items = tuple(table.items())
    match = table_pattern(items).search(text)
    if match is None:
        return None
    index = int(match.lastgroup[1:].partition("_")[0])
    return items[index][0], match.start()


def named_at_start(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The value whose phrase opens `text` (matched there only: no search of the rest)."""
    items = tuple(table.items())
    match = table_pattern(items).match(text)
    return items[int(match.lastgroup[1:].partition("_")[0])][0] if match else None


@dataclass(frozen=True)
class Quotation:
    start: int  # of the opening mark
    end: int  # after the closing mark
    text: str  # between the marks


def quotations(text: str) -> list[Quotation]:
    """The outermost quotations of `text`, in order (an unclosed one runs to the end)."""
    return list(_quotations(text))


@lru_cache(maxsize=QUOTATIONS_CACHE_SIZE)
def _quotations(text: str) -> tuple[Quotation, ...]:
    """quotations(), kept for the few texts in hand: the shot splitter, the sentence reader and
    the line reader each read the quotations of the same prompt."""
    found, at = [], 0
    closes: list[int] | None = None  # where a single quotation may close, found once
    while (mark := QUOTE_MARK.search(text, at)) is not None:
        at = mark.start()
        char = text[at]
        if char == "'" and SINGLE_OPENS.match(text, at):
            if closes is None:
                closes = [close.start() for close in SINGLE_CLOSES.finditer(text)]
            end = _single_close(text, at, closes)
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
    return tuple(found)


def _single_close(text: str, start: int, closes: list[int]) -> int | None:
    """Where the straight single quotation opened at `start` closes, or None (an apostrophe,
    as in 'til or rock 'n' roll: nothing closes it on its line, or it holds one character).
    `closes` are SINGLE_CLOSES's places in the whole text, found once: the first of them from
    `start + 3` on, before the quotation's limit (its line's end, or SINGLE_LONGEST
    characters), closes it; or a mark just before a limit that is not the text's end, which
    SINGLE_CLOSES searched within that limit took for the end."""
    line_end = text.find("\n", start, start + SINGLE_LONGEST)
    limit = min(len(text), start + SINGLE_LONGEST, line_end if line_end != -1 else len(text))
    index = bisect_left(closes, start + 3)
    if index < len(closes) and closes[index] < limit:
        return closes[index]
    last = limit - 1
    cut_short = limit < len(text) and last >= start + 3 and text[last] == "'"
    return last if cut_short and not (text[last - 1].isspace() or text[last - 1] == "'") else None


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
