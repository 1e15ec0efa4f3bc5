"""`@handle` mentions of elements in shot text: found, renamed in place and completed.

Pure Python, no Django. Handles are the names of a library's reusable elements; they may hold
spaces and any script (`Male lead`, `老周`, `María`, `김 선생`) and are given without the sign.

Rules of `find_mentions`:

* Sign. A mention starts at `@` (or the full-width `＠`, or the small `﹫`).
* Start. The sign must not be glued to a letter/digit of an alphabetic script before it, so
  `ana@example.com` is no mention, while `(@Mara`, `“@Mara` and `跟@老周说` are (Chinese and
  Japanese are written without spaces).
* Comparison. Text and handles are compared by `fold`: casefolded and compatibility
  normalised, character by character (NFKD, the decomposed twin of NFKC: same equality, but it
  can be applied per character, so positions in the text stay known). `ＭＡＲＡ`, `mara` and
  `Mara` are one handle; a decomposed `é` equals a composed one; accents still matter.
* Longest handle. The sign resolves to the longest handle that matches the text after it:
  `@Japanese boy` is one element even when `Japanese` exists too, and `@Japanese girl` falls
  back to `Japanese`.
* Boundary. A match ending in a letter/digit of an alphabetic script (Latin, Cyrillic, Greek,
  Hangul, ...) must not be followed by another such letter/digit: `@Maraschino` is not `@Mara`.
  A match ending in a CJK ideograph or kana needs no boundary: `@老周站在码头` is `@老周`.
  Punctuation and whitespace are always boundaries, so `@Mara,` `@Mara's` `@Mara’s` are `@Mara`
  followed by text. Note that a Korean particle glued to a handle (`@김 선생님`) breaks it.
* Unknown. A sign that matches no handle but is followed by a word (letters, digits and marks of
  any script, up to whitespace or punctuation) is an unknown mention, `handle` None, for
  validation to flag. A lone sign (`@ `, `@,` or at the end) is no mention at all.
* Span. `text[start:end]` is the sign followed by `written`, the handle as written in the text.

For speed, prepare a `HandleIndex` once per library and pass it instead of the handle list.
"""

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Protocol, TypeVar

MENTION_SIGNS = "@＠﹫"  # all three are "@" under NFKC
NORMAL_FORM = "NFKD"
# First letter of the Unicode general category of characters that make up words: letters,
# numbers and combining marks.
WORD_CATEGORIES = ("L", "N", "M")
# Scripts written without spaces between words: a handle ending in one needs no boundary.
UNSPACED_SCRIPTS = (
    "CJK ",
    "IDEOGRAPHIC ",
    "HIRAGANA ",
    "KATAKANA",
    "HALFWIDTH KATAKANA",
    "BOPOMOFO ",
    "THAI ",
    "LAO ",
    "KHMER ",
    "MYANMAR ",
)
DEFAULT_COMPLETION_LIMIT = 10
FOLD_CACHE_SIZE = 8192
BUCKET_PREFIX = 2  # handles are bucketed by this many folded characters

# Completion tiers, best first.
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, FUZZY = range(5)

_SIGN = re.compile(f"[{MENTION_SIGNS}]")


@cache
def _fold_char(char: str) -> str:
    return unicodedata.normalize(NORMAL_FORM, unicodedata.normalize(NORMAL_FORM, char).casefold())


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def fold(text: str) -> str:
    """The form handles are compared in: casefolded and NFKD-normalised, character by character."""
    return "".join(map(_fold_char, text))


@cache
def _is_word_char(char: str) -> bool:
    return unicodedata.category(char).startswith(WORD_CATEGORIES)


@cache
def _needs_boundary(char: str) -> bool:
    """A letter/digit of an alphabetic script: words of those scripts are separated by spaces."""
    return _is_word_char(char) and not unicodedata.name(char, "").startswith(UNSPACED_SCRIPTS)


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # index of the sign
    end: int  # index just after the handle as written
    handle: str | None  # the canonical handle, None for an unknown one
    written: str  # the handle as written in the text, without the sign: text[start + 1 : end]


class HandleIndex:
    """A library's handles prepared for matching: build once, use for every text.

    Handles are grouped by the first `BUCKET_PREFIX` characters of their folded form, longest
    first. Handles that fold alike are one handle; the first one given is canonical.
    """

    __slots__ = ("_canonical", "_by_prefix")

    def __init__(self, handles: Iterable[str]) -> None:
        if isinstance(handles, str):
            raise TypeError("handles must be an iterable of handles, not a single string")
        self._canonical: dict[str, str] = {}
        for handle in handles:
            if key := fold(handle.strip()):
                self._canonical.setdefault(key, handle)
        self._by_prefix: dict[str, list[tuple[str, str]]] = {}
        for key, handle in sorted(self._canonical.items(), key=lambda item: -len(item[0])):
            self._by_prefix.setdefault(key[:BUCKET_PREFIX], []).append((key, handle))

    def __len__(self) -> int:
        return len(self._canonical)

    def __iter__(self) -> Iterator[str]:
        return iter(self._canonical.values())

    def __contains__(self, handle: object) -> bool:
        return isinstance(handle, str) and fold(handle.strip()) in self._canonical

    def canonical(self, handle: str) -> str | None:
        """The handle as the library spells it, or None if it is not in the library."""
        return self._canonical.get(fold(handle.strip()))

    def including(self, handle: str) -> "HandleIndex":
        """This index, or a new one with `handle` added if it is missing."""
        return self if handle in self else HandleIndex([*self, handle])

    def candidates(self, folded: str, at: int) -> Iterator[tuple[str, str]]:
        """(folded, canonical) handles that may match `folded` from `at` on, longest first."""
        for length in range(BUCKET_PREFIX, 0, -1):
            if at + length <= len(folded):
                yield from self._by_prefix.get(folded[at : at + length], ())


def _as_index(handles: Iterable[str] | HandleIndex) -> HandleIndex:
    return handles if isinstance(handles, HandleIndex) else HandleIndex(handles)


def _fold_text(text: str) -> tuple[str, Sequence[int]]:
    """The folded text and, for each character (and the end), where it starts in that fold."""
    if text.isascii():
        return text.lower(), range(len(text) + 1)
    pieces = list(map(_fold_char, text))
    return "".join(pieces), [0, *accumulate(map(len, pieces))]


def _glued(text: str, end: int) -> bool:
    """Whether `end` splits a word of an alphabetic script."""
    return 0 < end < len(text) and _needs_boundary(text[end - 1]) and _needs_boundary(text[end])


def _mention_at(
    text: str, folded: str, starts: Sequence[int], index: HandleIndex, sign: int
) -> Mention | None:
    begin = sign + 1
    if begin >= len(text):
        return None
    origin = starts[begin]
    for key, handle in index.candidates(folded, origin):
        if folded.startswith(key, origin):
            end = bisect_left(starts, origin + len(key), begin)
            if starts[end] == origin + len(key) and not _glued(text, end):
                return Mention(sign, end, handle, text[begin:end])
    end = begin
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return Mention(sign, end, None, text[begin:end]) if end > begin else None


def find_mentions(text: str, handles: Iterable[str] | HandleIndex) -> list[Mention]:
    """Every mention in `text`, in order, never overlapping (see the module's rules)."""
    index = _as_index(handles)
    mentions: list[Mention] = []
    folded: str | None = None
    starts: Sequence[int] = ()
    for found in _SIGN.finditer(text):
        sign = found.start()
        if (mentions and sign < mentions[-1].end) or (sign and _needs_boundary(text[sign - 1])):
            continue
        if folded is None:
            folded, starts = _fold_text(text)
        if mention := _mention_at(text, folded, starts, index, sign):
            mentions.append(mention)
    return mentions


def rename_mentions(text: str, old: str, new: str, handles: Iterable[str] | HandleIndex) -> str:
    """`text` with every mention that resolves to `old` written as `new`, all else unchanged.

    `old` always counts as a handle of the library, even if `handles` lacks it. The sign of each
    mention is kept as written (`＠` stays full-width); the handle becomes `new` verbatim.
    """
    if not new.strip():
        raise ValueError("the new handle is empty")
    old_key = fold(old.strip())
    pieces: list[str] = []
    kept = 0
    for mention in find_mentions(text, _as_index(handles).including(old)):
        if mention.handle is not None and fold(mention.handle.strip()) == old_key:
            pieces += (text[kept : mention.start + 1], new)
            kept = mention.end
    if not pieces:
        return text
    pieces.append(text[kept:])
    return "".join(pieces)


class Candidate(Protocol):
    @property
    def handle(self) -> str: ...


CandidateT = TypeVar("CandidateT", bound=Candidate)


def _subsequence(wanted: str) -> re.Pattern[str]:
    """A pattern matching a text that holds the characters of `wanted` in order: anchored, each
    character its first occurrence after the last, possessively (a search retried from every
    occurrence of the first character read the rest each time: quadratic in the handle)."""
    return re.compile("".join(f"[^{char}]*+{char}" for char in map(re.escape, wanted)))


def _tier(wanted: str, key: str, fuzzy: re.Pattern[str]) -> int | None:
    if key == wanted:
        return EXACT
    at = key.find(wanted)
    if at == 0:
        return PREFIX
    if at > 0:
        while at > 0:
            if not _is_word_char(key[at - 1]):
                return WORD_PREFIX
            at = key.find(wanted, at + 1)
        return SUBSTRING
    return FUZZY if fuzzy.match(key) else None


def complete(
    query: str, candidates: Sequence[CandidateT], limit: int = DEFAULT_COMPLETION_LIMIT
) -> list[CandidateT]:
    """The best `limit` candidates for what was typed after `@`.

    Ranks: exact > prefix > prefix of a later word > substring > characters in order
    ("mlead" finds "Male lead", "maria" finds "María"), all compared by `fold`; ties go to the
    shorter handle, then alphabetically. An empty query lists the first `limit` alphabetically.
    """
    if limit <= 0:
        return []
    wanted = fold(query).lstrip(MENTION_SIGNS)
    if not wanted:
        return sorted(candidates, key=lambda c: (fold(c.handle), c.handle))[:limit]
    fuzzy = _subsequence(wanted)
    ranked = []
    for position, candidate in enumerate(candidates):
        key = fold(candidate.handle)
        tier = _tier(wanted, key, fuzzy)
        if tier is not None:
            ranked.append((tier, len(candidate.handle), key, candidate.handle, position))
    ranked.sort()
    return [candidates[rank[-1]] for rank in ranked[:limit]]
