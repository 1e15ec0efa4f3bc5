"""The prompt director: one long direction prompt, in any of the five languages, made into an
editable storyboard (sequences of shots with size, angle, movement, narrative, lettering,
dialogue, beats and durations). Pure: no network, no model, no Django.

    direct(prompt, total=None, handles=None) -> Direction

`handles` are the project's element handles, so `@Old Sailor` is one speaker; without them a
handle runs to the next space or punctuation mark.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from director import vocabulary as words
from director.cutting import cut
from director.lines import Line, read_shot
from director.reading import first_named
from director.timing import Beat, allot, beats_of, group, needs
from script.mentions import HandleIndex
from script.rules import MAX_SEQUENCE_SECONDS, MAX_SHOTS, MIN_SEQUENCE_SECONDS

DEFAULT_SIZE, DEFAULT_ANGLE, DEFAULT_MOVEMENT = "medium", "eye_level", "static"


@dataclass
class DirectedShot:
    duration: int
    text: str
    shot_size: str = DEFAULT_SIZE
    camera_angle: str = DEFAULT_ANGLE
    camera_movement: str = DEFAULT_MOVEMENT
    lettering: str = ""
    dialogue: list[Line] = field(default_factory=list)
    beats: list[Beat] = field(default_factory=list)


@dataclass
class Direction:
    sequences: list[list[DirectedShot]]
    messages: list[str] = field(default_factory=list)

    @property
    def shots(self) -> list[DirectedShot]:
        return [shot for sequence in self.sequences for shot in sequence]


def _named(text: str, table: dict[str, tuple[str, ...]], default: str) -> str:
    found = first_named(text, table)
    return found[0] if found is not None else default


def direct(
    prompt: str, total: int | None = None, handles: Iterable[str] | HandleIndex | None = None
) -> Direction:
    """The storyboard a careful director makes of `prompt` (see the module's docstring)."""
    index = handles if isinstance(handles, HandleIndex) or handles is None else HandleIndex(handles)
    shots, least, wanted, speaker = [], [], [], ""
    for piece in cut(prompt):
        read, speaker = read_shot(piece, index, speaker)
        beats, beats_need = beats_of(read.narrative)
        fewest, likes = needs(read.narrative, read.lines, beats_need)
        least.append(fewest)
        wanted.append(likes)
        shots.append(
            DirectedShot(
                duration=fewest,
                text=read.narrative,
                shot_size=_named(read.narrative, words.SHOT_SIZES, DEFAULT_SIZE),
                camera_angle=_named(read.narrative, words.CAMERA_ANGLES, DEFAULT_ANGLE),
                camera_movement=_named(read.narrative, words.CAMERA_MOVEMENTS, DEFAULT_MOVEMENT),
                lettering=" / ".join(read.lettering),
                dialogue=read.lines,
                beats=beats,
            )
        )
    if not shots:
        return Direction([], ["There is nothing to direct: write what happens, shot by shot."])
    messages = []
    for number, fewest in enumerate(least, start=1):
        if fewest > MAX_SEQUENCE_SECONDS:
            # No sequence can hold it: give it the most one can and say so (the editor's
            # dialogue check then shows which line runs over).
            least[number - 1] = wanted[number - 1] = MAX_SEQUENCE_SECONDS
            messages.append(
                f"Shot {number} needs about {fewest} s for its dialogue and beats, more than a "
                f"sequence's {MAX_SEQUENCE_SECONDS} s: it was given {MAX_SEQUENCE_SECONDS} s; "
                "split its lines over more shots."
            )
    groups = group(least)
    if len(groups) > 1:
        messages.append(
            f"The prompt makes {len(shots)} shots; a sequence holds at most {MAX_SHOTS} shots "
            f"and {MAX_SEQUENCE_SECONDS} s, so it was split into {len(groups)} sequences."
        )
        if total is not None:
            messages.append(
                f"The total of {total} s asked for is for one sequence; each of the "
                f"{len(groups)} sequences was timed by what its shots need."
            )
    sequences = []
    for members in groups:
        asked = total if len(groups) == 1 else None
        seconds = allot([least[i] for i in members], [wanted[i] for i in members], asked)
        floor = sum(least[i] for i in members)
        if asked is not None and floor > asked:
            messages.append(
                f"The dialogue and beats need at least {floor} s, more than the {asked} s asked "
                "for: the shots were given what they need."
            )
        elif asked is not None and not MIN_SEQUENCE_SECONDS <= asked <= MAX_SEQUENCE_SECONDS:
            messages.append(
                f"A sequence lasts {MIN_SEQUENCE_SECONDS} to {MAX_SEQUENCE_SECONDS} s: "
                f"{sum(seconds)} s instead of {asked} s."
            )
        for i, duration in zip(members, seconds, strict=True):
            shots[i].duration = duration
        sequences.append([shots[i] for i in members])
    return Direction(sequences, messages)
