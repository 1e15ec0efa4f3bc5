"""What a prompt of tests/director_prompt_cases.py must make: `L` is one expected dialogue
line, `Case` a prompt with its expected shots, lines and lettering; `framing` and `lines_of`
put the expected and the directed shots in the same terms.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from director.direct import Direction


class L(NamedTuple):
    """One expected dialogue line: in shot `shot` (from 1)."""

    shot: int
    speaker: str
    text: str
    language: str
    delivery: str = ""
    voice_over: bool = False


@dataclass
class Case:
    id: str
    prompt: str
    frames: list[str]
    lines: list[L] = field(default_factory=list)
    lettering: dict[int, str] = field(default_factory=dict)  # shot number → its lettering
    starts: list[str] | None = None  # each shot's text begins with this (markers removed)
    handles: list[str] | None = None


def framing(value: str) -> tuple[str, str, str]:
    size, angle, movement = (value.split("/") + ["", ""])[:3]
    return size, angle or "eye_level", movement or "static"


def lines_of(direction: Direction) -> list[L]:
    return [
        L(number, line.speaker, line.text, line.language, line.delivery, line.voice_over)
        for number, shot in enumerate(direction.shots, start=1)
        for line in shot.dialogue
    ]
