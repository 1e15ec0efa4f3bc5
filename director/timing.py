"""How long each shot lasts: long enough to say its dialogue at a natural rate in its language
(script.rules.speaking_seconds) and to play its action and beats; whole seconds; a
sequence between 3 and 15 s (or the user's total), at most 6 shots, more sequences if needed.
Pure."""

import math
import re
from dataclasses import dataclass

from director import vocabulary as words
from script.rules import (
    MAX_SEQUENCE_SECONDS,
    MAX_SHOTS,
    MIN_SEQUENCE_SECONDS,
    MIN_SHOT_SECONDS,
    LineDraft,
    speaking_seconds,
)

# Time a shot's action takes beside its dialogue, and the breath around each line.
ACTION_SECONDS = 2.0
SECONDS_PER_LONG_ACTION = 1.0
LONG_ACTION_CHARS = 140
LINE_BREATH_SECONDS = 0.4


@dataclass(frozen=True)
class Beat:
    at: float
    text: str


def beats_of(narrative: str) -> tuple[list[Beat], float]:
    """The time marks of a shot ("at the 4-second mark she turns") and the seconds the shot
    needs for them (the last mark plus a moment, or plus "the final N seconds")."""
    beats = []
    marks = list(words.TIME_MARK.finditer(narrative))
    for index, mark in enumerate(marks):
        value = next(v for v in mark.groupdict().values() if v is not None)
        end = marks[index + 1].start() if index + 1 < len(marks) else len(narrative)
        said = re.split(r"[;；.。]", narrative[mark.end() : end])[0].strip(" ,，、")
        beats.append(Beat(float(value), said))
    need = max((beat.at for beat in beats), default=0.0)
    final = words.FINAL_SECONDS.search(narrative)
    if final is not None:
        tail = float(next(v for v in final.groupdict().values() if v is not None))
        need += tail
    elif beats:
        need += 1.0
    return beats, need


def needs(narrative: str, lines: list, beats_need: float) -> tuple[int, float]:
    """(the fewest whole seconds the shot can have, the seconds it would like)."""
    speech = sum(
        speaking_seconds(LineDraft(line.speaker, line.text, line.language, line.delivery))
        + LINE_BREATH_SECONDS
        for line in lines
    )
    least = max(MIN_SHOT_SECONDS, math.ceil(max(speech, beats_need) - 1e-9))
    action = ACTION_SECONDS + SECONDS_PER_LONG_ACTION * (len(narrative) // LONG_ACTION_CHARS)
    wanted = max(float(least), speech + (action if narrative else 0.5), beats_need)
    return least, wanted


def group(least: list[int]) -> list[list[int]]:
    """Shot indexes grouped into sequences, in order: at most MAX_SHOTS and the sequence's
    minimum within MAX_SEQUENCE_SECONDS (a shot that alone needs more gets a sequence alone)."""
    groups: list[list[int]] = [[]]
    for index, seconds in enumerate(least):
        current = groups[-1]
        total = sum(least[i] for i in current)
        if current and (len(current) >= MAX_SHOTS or total + seconds > MAX_SEQUENCE_SECONDS):
            groups.append([])
        groups[-1].append(index)
    return groups


def allot(least: list[int], wanted: list[float], total: int | None = None) -> list[int]:
    """Whole seconds per shot: each at least its `least`, in proportion to `wanted`, summing to
    `total` (the user's) or to the wanted sum held between 3 and 15 s."""
    floor = sum(least)
    if total is None:
        total = round(sum(wanted))
    total = max(total, floor, MIN_SEQUENCE_SECONDS)
    total = min(total, max(MAX_SEQUENCE_SECONDS, floor))
    seconds = list(least)
    spare = total - floor
    extra = [max(w - s, 0.0) for w, s in zip(wanted, seconds, strict=True)]
    weight = sum(extra) or float(len(seconds))
    shares = [spare * (e / weight if sum(extra) else 1 / len(seconds)) for e in extra]
    whole = [math.floor(share) for share in shares]
    seconds = [s + w for s, w in zip(seconds, whole, strict=True)]
    left = spare - sum(whole)
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - whole[i], reverse=True)
    for i in by_remainder[:left]:
        seconds[i] += 1
    return seconds
