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


def asks_for_one_take(prompt: str) -> bool:
    return bool(CONTINUOUS.search(prompt)) and not words.SHOT_MARKER.search(prompt)


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


def _split(pattern: re.Pattern[str], text: str, shadow: str) -> list[tuple[str, str]]:
    """`pattern.split` of `text` at the places it matches in `shadow` (its masked twin)."""
    pieces, start = [], 0
    for match in pattern.finditer(shadow):
        pieces.append((text[start : match.start()], shadow[start : match.start()]))
        start = match.end()
    pieces.append((text[start:], shadow[start:]))
    return pieces


def _opens_framing(sentence: str) -> bool:
    """Does this sentence open with a shot size, an angle or a framing of its own?"""
    head = words.OPENERS.sub("", sentence.lstrip())
    head = words.ARTICLE.sub("", head)
    if named_at_start(head, words.SHOT_SIZES) or OTHER_FRAMINGS.match(head):
        return True
    if named_at_start(head, words.CAMERA_ANGLES) and re.match(
        r"^\S+(?:[\s-]\S+)?\s+(?:shot|of)\b", head, re.IGNORECASE
    ):
        return True
    moved = words.MOVE_TO_FRAMING.match(head)
    if moved:
        rest = words.ARTICLE.sub("", head[moved.end() :])
        return bool(named_at_start(rest, words.SHOT_SIZES))
    return False


def _by_framing(text: str) -> list[str]:
    pieces, start = [], 0
    for index, (begin, end) in enumerate(sentences(text)):
        if index and text[start:begin].strip() and _opens_framing(text[begin:end]):
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
    for marked, marked_shadow in _split(words.SHOT_MARKER, text, shadow):
        for said, _ in _split(words.CUT_PHRASE, marked, marked_shadow):
            pieces.extend(_by_framing(said))
    return [piece.strip() for piece in pieces if piece.strip(" \n\t,.;:，。、")]
