"""Where a prompt cuts: at explicit shot markers ("Shot 2:", "镜头2"), at transitions said in
words ("Cut to", "切到"), and at a sentence that opens a new framing ("Close-up of …", "特写 …",
"Pull back to a wide shot …"); nowhere when the prompt asks for one continuous take. Pure."""

import re

from director import vocabulary as words
from director.reading import QUOTES, named_at_start, phrase_pattern, quotations, sentences

CLOSING_MARKS = frozenset([*QUOTES.values(), "'"])
CONTINUOUS = re.compile(phrase_pattern(words.CONTINUOUS), re.IGNORECASE)
# Framings that open a shot besides the sizes: a view from behind, a reverse, an insert.
OTHER_FRAMINGS = re.compile(
    r"^(?:back\s+shot|reverse\s+shot|insert\s+shot|insert|cutaway|plano\s+de\s+espaldas|"
    r"contraplano|背影|反打|背面|後ろ姿|뒷모습)",
    re.IGNORECASE,
)
# An angle named as a shot's framing: "Low angle shot of …", "High-angle of …". Possessive
# words: a long hyphenated word was otherwise split at every hyphen, each split tried to its end.
ANGLE_FRAMING = re.compile(r"^\S++(?:[\s-]\S++)?\s+(?:shot|of)\b", re.IGNORECASE)
# Where a shot marker may start: at the text's start, or after a sentence's end.
MARKER_MAY_FOLLOW = re.compile(f"[{re.escape(words.SHOT_MARKER_AFTER)}]")
SPACES = re.compile(r"\s*+")


def shot_markers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each explicit shot marker of `text`, in order: a marker (SHOT_MARKER_BODY)
    at the text's start or after a sentence's end, with the spaces before it. The spans a regex
    searching `(?:(?<=^)|(?<=[.!?\\n」…]))\\s*marker` finds, in one pass: from every start in a
    run of spaces the marker is tried at the same place (the run's end), so it is tried once."""
    spans: list[tuple[int, int]] = []
    after = 0  # where the search goes on: the end of the last marker found
    tried = -1  # where a marker was last tried, in vain: every start up to there leads there
    starts = (match.end() for match in MARKER_MAY_FOLLOW.finditer(text))
    for start in (0, *starts):
        if start < after or start <= tried:
            continue
        body = SPACES.match(text, start).end()
        marker = words.SHOT_MARKER_BODY.match(text, body)
        if marker:
            spans.append((start, marker.end()))
            after = marker.end()
        else:
            tried = body
    return spans


def asks_for_one_take(prompt: str) -> bool:
    return bool(CONTINUOUS.search(prompt)) and not shot_markers(prompt)


def masked(text: str) -> str:
    """`text` with what is inside quotations blanked out (same length): a line that says "Cut to
    the chase" or "no cuts, please" is dialogue, not direction."""
    out = list(text)
    for quote in quotations(text):
        closed = quote.end - quote.start > 1 and text[quote.end - 1] in CLOSING_MARKS
        inside = quote.end - 1 if closed else quote.end  # an unclosed one runs to the end
        out[quote.start + 1 : inside] = "_" * (inside - quote.start - 1)
        if closed:
            out[quote.end - 1] = "”"  # any closing mark ends a sentence a marker may follow
    return "".join(out)


def _split(spans: list[tuple[int, int]], text: str, shadow: str) -> list[tuple[str, str]]:
    """`text` and `shadow` (its masked twin) split at `spans` (found in `shadow`)."""
    pieces, start = [], 0
    for begin, end in spans:
        pieces.append((text[start:begin], shadow[start:begin]))
        start = end
    pieces.append((text[start:], shadow[start:]))
    return pieces


def _opens_framing(sentence: str) -> bool:
    """Does this sentence open with a shot size, an angle or a framing of its own?"""
    head = words.OPENERS.sub("", sentence.lstrip())
    head = words.ARTICLE.sub("", head)
    if named_at_start(head, words.SHOT_SIZES) or OTHER_FRAMINGS.match(head):
        return True
    if named_at_start(head, words.CAMERA_ANGLES) and ANGLE_FRAMING.match(head):
        return True
    moved = words.MOVE_TO_FRAMING.match(head)
    if moved:
        rest = words.ARTICLE.sub("", head[moved.end() :])
        return bool(named_at_start(rest, words.SHOT_SIZES))
    return False


def _by_framing(text: str) -> list[str]:
    pieces, start = [], 0
    for index, (begin, end) in enumerate(sentences(text)):
        # Past the first sentence, the piece so far holds a sentence (none is blank): no need
        # to copy it to see so, which cost the whole piece per sentence.
        if index and _opens_framing(text[begin:end]):
            pieces.append(text[start:begin])
            start = begin
    pieces.append(text[start:])
    return pieces


def cut(prompt: str) -> list[str]:
    """The prompt's shots as pieces of its text, in order, markers and cut phrases removed."""
    text = prompt.strip()
    shadow = masked(text)
    if asks_for_one_take(shadow):
        return [text]
    pieces = []
    for marked, marked_shadow in _split(shot_markers(shadow), text, shadow):
        cuts = [match.span() for match in words.CUT_PHRASE.finditer(marked_shadow)]
        for said, _ in _split(cuts, marked, marked_shadow):
            pieces.extend(_by_framing(said))
    return [piece.strip() for piece in pieces if piece.strip(" \n\t,.;:，。、")]
