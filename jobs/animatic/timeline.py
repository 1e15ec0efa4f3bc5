"""The timeline of an animatic: a compiled request checked and laid out as segments.

A *segment* is a run of frames that look the same: a shot, or the part of a shot during which
one subtitle is up, or the end frame's hold at the end of the last shot. `plan` reads no image,
so a bad request (a missing file, an odd size, durations that do not add up) fails before any
output is made.

Camera moves, which change every frame, will later give a segment a per-frame framing.
"""

import bisect
import itertools
from dataclasses import dataclass
from pathlib import Path

from jobs.animatic import cards

DEFAULT_FPS = 24
# The largest side we accept; H.264 level limits and memory make bigger sizes a mistake.
MAX_SIDE = 4096
# How long the end frame holds at the end of the last shot (at most half the shot).
END_FRAME_SECONDS = 1.0
VOICE_OVER_MARK = "(V.O.)"


class RenderError(Exception):
    """The request cannot be rendered as given (a missing or unreadable input, a bad size)."""


@dataclass(frozen=True)
class Look:
    """One still picture: an input image framed to a shot size, or a card when `picture` is
    None. Frozen, so equal looks can share one composed image."""

    number: int
    picture: Path | None
    shot_size: str = ""
    card: cards.CardText | None = None


@dataclass(frozen=True)
class Subtitle:
    speaker: str
    text: str


@dataclass(frozen=True)
class Segment:
    """`frames` identical frames of shot `shot` (0-based position)."""

    shot: int
    frames: int
    look: Look
    subtitle: Subtitle | None


@dataclass(frozen=True)
class Plan:
    width: int
    height: int
    fps: int
    audio: bool
    frames: int
    segments: list[Segment]
    # Per shot: the look its thumbnail shows.
    shot_looks: list[Look]
    shot_numbers: list[int]

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


def _positive_int(request: dict, key: str, default: int | None = None) -> int:
    value = request.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RenderError(f"`{key}` must be a positive whole number, not {value!r}")
    return value


def _input_path(reference: object, inputs_dir: Path) -> Path | None:
    """The file a `{"$file": name}` reference names, which must exist inside `inputs_dir`."""
    if reference is None:
        return None
    name = reference.get("$file") if isinstance(reference, dict) else None
    if not isinstance(name, str) or not name:
        raise RenderError(f"not a file reference: {reference!r}")
    root = inputs_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise RenderError(f"input file outside the job's inputs: {name}")
    if not path.is_file():
        raise RenderError(f"missing input file: {name}")
    return path


def _subtitles(shot: dict) -> list[Subtitle]:
    dialogue = shot.get("dialogue") or []
    if not isinstance(dialogue, list) or not all(isinstance(line, dict) for line in dialogue):
        raise RenderError(f"shot {shot.get('index')}: dialogue must be a list of lines")
    subtitles = []
    for line in dialogue:
        text = str(line.get("text") or "").strip()
        if not text:
            continue
        speaker = str(line.get("speaker") or "").strip()
        if speaker and line.get("voice_over"):
            speaker = f"{speaker} {VOICE_OVER_MARK}"
        subtitles.append(Subtitle(speaker=speaker, text=text))
    return subtitles


def _shot_segments(
    position: int,
    frames: int,
    look: Look,
    end_look: Look | None,
    end_frames: int,
    lines: list[Subtitle],
) -> list[Segment]:
    """The runs of identical frames in one shot: cut where a subtitle changes and where the end
    frame takes over."""
    line_starts = [round(k * frames / len(lines)) for k in range(len(lines))] if lines else []
    end_start = frames - end_frames if end_look is not None else frames
    cuts = sorted({0, frames, end_start, *line_starts})
    segments = []
    for start, stop in itertools.pairwise(cuts):
        if stop <= start:
            continue
        showing = end_look if end_look is not None and start >= end_start else look
        subtitle = lines[bisect.bisect_right(line_starts, start) - 1] if lines else None
        segments.append(Segment(position, stop - start, showing, subtitle))
    return segments


def plan(request: dict, inputs_dir: Path) -> Plan:
    """Checks `request` and lays out its segments; every input file must exist. Raises
    RenderError. Reads no image yet, so a bad request fails before any output is made."""
    width = _positive_int(request, "width")
    height = _positive_int(request, "height")
    if width % 2 or height % 2 or max(width, height) > MAX_SIDE:
        # yuv420p stores colour per 2x2 block: odd sizes cannot be encoded.
        raise RenderError(f"unsupported size {width}x{height}: even sides up to {MAX_SIDE}")
    fps = _positive_int(request, "fps", DEFAULT_FPS)
    shots = request.get("shots")
    if not isinstance(shots, list) or not shots:
        raise RenderError("the request has no shots")
    first_frame = _input_path(request.get("first_frame"), inputs_dir)
    end_frame = _input_path(request.get("end_frame"), inputs_dir)

    segments: list[Segment] = []
    shot_looks: list[Look] = []
    numbers: list[int] = []
    total = 0
    for position, shot in enumerate(shots):
        if not isinstance(shot, dict):
            raise RenderError(f"shot {position + 1} is not an object")
        number = shot.get("index", position + 1)
        if isinstance(number, bool) or not isinstance(number, int) or number in numbers:
            # It names the thumbnail file: a whole number, one per shot.
            raise RenderError(f"shot {position + 1}: bad or repeated index {number!r}")
        duration = shot.get("duration")
        if isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0:
            raise RenderError(f"shot {number}: duration must be positive, not {duration!r}")
        frames = round(duration * fps)
        if abs(frames - duration * fps) > 1e-6:
            raise RenderError(f"shot {number}: {duration} s is not a whole number of frames")
        picture = _input_path(shot.get("picture"), inputs_dir)
        shot_size = str(shot.get("shot_size") or "")
        if picture is not None:
            look = Look(number, picture, shot_size)
        elif position == 0 and first_frame is not None:
            # The first frame is the exact opening picture: shown whole, never cropped further.
            look = Look(number, first_frame)
        else:
            card = cards.CardText(
                number=number,
                shot_size=shot_size,
                camera_angle=str(shot.get("camera_angle") or ""),
                camera_movement=str(shot.get("camera_movement") or ""),
                text=str(shot.get("text") or ""),
                lettering=str(shot.get("lettering") or ""),
            )
            look = Look(number, None, card=card)
        last = position == len(shots) - 1
        end_look = Look(number, end_frame) if last and end_frame is not None else None
        end_frames = min(round(END_FRAME_SECONDS * fps), frames // 2)
        segments += _shot_segments(position, frames, look, end_look, end_frames, _subtitles(shot))
        shot_looks.append(look)
        numbers.append(number)
        total += frames

    seconds = request.get("seconds")
    if seconds is not None and (
        not isinstance(seconds, int | float) or round(seconds * fps) != total
    ):
        raise RenderError(f"`seconds` is {seconds} but the shots last {total / fps:g} s")
    return Plan(
        width=width,
        height=height,
        fps=fps,
        audio=bool(request.get("audio")),
        frames=total,
        segments=segments,
        shot_looks=shot_looks,
        shot_numbers=numbers,
    )
