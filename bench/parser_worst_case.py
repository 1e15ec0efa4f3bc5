"""The worst case of each parser of user text on 10,000 adversarial characters.

An attacker picks the input: repeated digits, quote marks of every kind, spaces, mixed scripts,
time marks, signs, shot markers… (the director once took 11 s on 10,000 digits, its cost
growing with the square of the length). For each parser entry point, the slowest of those
inputs at 10,000 characters (best of 3 runs, CPU time) and how that compares with 1,000
characters (linear is 10x). In-process, no server. Goal: every worst case under 100 ms.
"""

import random
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, arguments, report
from bench.screening_speed import make_terms
from director.cutting import cut
from director.direct import direct
from director.lines import read_shot
from director.timing import beats_of
from exports.edit_import import EditRefused, read_edit
from exports.import_checks import nesting_depth
from screening.screen import Screen, highlight_spans
from script.mentions import HandleIndex, find_mentions
from script.rules import LineDraft, speaking_seconds

TITLE = "Bench: parsers' worst case"
LONG, SHORT = 10_000, 1_000
RUNS = 3
GOAL_MS = 100.0
UNITS = {
    "digits": "1",
    "digits then s": "1111111111s",
    "quote marks": '"',
    "curly quotes": "“",
    "corner brackets": "「",
    "single quotes": " 'a",
    "guillemets": "«",
    "quote kinds mixed": "\"“”「」'«»『』‘’",
    "quoted letters": '"a',
    "spaces in letters": "a" + " " * 50 + "a",
    "newlines and spaces": "\n ",
    "mixed scripts": "aあ가中",
    "a long word": "abcdefghij",
    "time marks": "1s",
    "clock marks": "00:00-",
    "brackets": "[0",
    "at signs": "@",
    "shot shot": "Shot ",
    "parentheses": "(",
    "full stops": ".",
    "ellipses and commas": "…,",
    "japanese subjects": "ユキは",
    "camera follows (ja)": "カメラが",
    "camera follows (zh)": "镜头跟随@",
    "combining marks": "e\u0301",
    "json escapes": '"\\',
}
FRAMES = {"": "{}", "quoted": 'She says, "{}"', "before a pronoun": '{} "Hi," she says.'}
EVENT = "001  AX       V     C        00:00:00:00 00:00:01:00 00:00:00:00 00:00:02:00\n"
EDL_FRAMES = {
    "": "TITLE: edit\n{}",
    "motion line": "TITLE: x\n" + EVENT + "M2   AX       {}\n",
    "clip path": "TITLE: x\n" + EVENT + "* FROM CLIP: {}\n",
}


def adversarial(unit: str, length: int, frame: str) -> str:
    around = len(frame.format(""))
    return frame.format((unit * (length // len(unit) + 1))[: length - around])


def best_ms(parse_text: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        began = time.process_time()
        parse_text(text)
        best = min(best, time.process_time() - began)
    return best * 1000


def worst(parse_text: Callable[[str], object], frames: dict[str, str]) -> tuple[float, float, str]:
    """(the worst time at LONG characters, the same input's at SHORT, the input's name)."""
    found = (0.0, 0.0, "")
    for unit_name, unit in UNITS.items():
        for frame_name, frame in frames.items():
            long_ms = best_ms(parse_text, adversarial(unit, LONG, frame))
            if long_ms > found[0]:
                short_ms = best_ms(parse_text, adversarial(unit, SHORT, frame))
                found = (long_ms, short_ms, f"{unit_name} {frame_name}".strip())
    return found


def _read_edl(text: str) -> None:
    with suppress(EditRefused):
        read_edit(text.encode(), "edit.edl", 24)


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    handles = HandleIndex(["Mara", "Old Sailor", "老周", "ユキ", "a", "1", "Shot"])
    screen = Screen(make_terms(random.Random(7)))
    direct('Mara says, "Hello there." ユキが「行かないで」と言った。')  # loads lingua and MeCab
    parsers = {
        "director: direct": (lambda text: direct(text, handles=handles), FRAMES),
        "director: cut": (cut, FRAMES),
        "director: read_shot": (lambda text: read_shot(text, handles), FRAMES),
        "director: time marks": (beats_of, {"": "{}"}),
        "rules: speaking_seconds": (
            lambda text: speaking_seconds(LineDraft("M", text)),
            {"": "{}"},
        ),
        "screening: 10,000 terms": (screen.matches, {"": "{}"}),
        "screening: highlight_spans": (lambda text: highlight_spans(text, "aaaa"), {"": "{}"}),
        "mentions: find_mentions": (lambda text: find_mentions(text, handles), {"": "{}"}),
        "import: EDL": (_read_edl, EDL_FRAMES),
        "import: project JSON nesting": (nesting_depth, {"": "{}"}),
    }
    figures = []
    for name, (parse_text, frames) in parsers.items():
        long_ms, short_ms, culprit = worst(parse_text, frames)
        figures.append(Figure(f"{name}: worst input", culprit))
        figures.append(
            Figure(f"{name}: 10,000 chars", long_ms, "ms", f"< {GOAL_MS:g} ms", long_ms < GOAL_MS)
        )
        figures.append(Figure(f"{name}: growth from 1,000", long_ms / max(short_ms, 0.01), "x"))
    report(TITLE, figures, options.json)


if __name__ == "__main__":
    main()
