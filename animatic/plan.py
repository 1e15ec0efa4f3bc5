"""The plan of an animatic: a compiled request checked and laid out shot by shot.

`plan` reads no image and speaks no line, so a bad request (a missing file, an odd size,
durations that do not add up) fails before any output is made. What each frame shows is decided
later: where the lines fall comes from their speech (`soundtrack.py`), the framing of each frame
from the shot's camera movement (`camera.py`).
"""

from dataclasses import dataclass
from pathlib import Path

from animatic import cards

DEFAULT_FPS = 24
# The largest side we accept; H.264 level limits and memory make bigger sizes a mistake.
MAX_SIDE = 4096
# How long the end frame holds at the end of the last shot (at most half the shot).
END_FRAME_SECONDS = 1.0
STATIC = "static"
CUT = "cut"


class RenderError(Exception):
    """The request cannot be rendered as given (a missing or unreadable input, a bad size)."""


@dataclass(frozen=True)
class Look:
    """One still picture: `subject` in front of `scene` framed to a shot size, or a card when
    both are None. Frozen and hashable, so equal looks can share one composed image."""

    number: int
    subject: Path | None = None
    scene: Path | None = None
    shot_size: str = ""
    card: cards.CardText | None = None


@dataclass(frozen=True)
class Line:
    """A line of dialogue as the renderer speaks and subtitles it."""

    speaker: str
    text: str
    language: str
    delivery: str
    accent: str
    voice: int  # which of the sequence's voices speaks it
    voice_over: bool


@dataclass(frozen=True)
class ShotPlan:
    number: int
    start: int  # first frame, counted from the start of the sequence
    frames: int
    look: Look
    movement: str
    transition: str  # how the shot begins: cut, dissolve, fade or wipe
    lettering: str  # drawn over a picture; a card carries its own
    lines: tuple[Line, ...]
    end_look: Look | None  # the end frame, held for the last `end_frames` frames
    end_frames: int

    @property
    def moves(self) -> bool:
        """Whether the camera moves over the picture (a card stays put: its text must read)."""
        return self.movement != STATIC and self.look.card is None


@dataclass(frozen=True)
class Plan:
    width: int
    height: int
    fps: int
    audio: bool
    frames: int
    shots: list[ShotPlan]

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


def _text(value: object) -> str:
    return str(value or "").strip()


def _lines(shot: dict, number: int) -> tuple[Line, ...]:
    dialogue = shot.get("dialogue") or []
    if not isinstance(dialogue, list) or not all(isinstance(line, dict) for line in dialogue):
        raise RenderError(f"shot {number}: dialogue must be a list of lines")
    lines = []
    for line in dialogue:
        voice = line.get("voice", 0)
        if isinstance(voice, bool) or not isinstance(voice, int) or voice < 0:
            raise RenderError(f"shot {number}: a line's voice must be a whole number ≥ 0")
        if text := _text(line.get("text")):
            lines.append(
                Line(
                    speaker=_text(line.get("speaker")),
                    text=text,
                    language=_text(line.get("language")) or "en",
                    delivery=_text(line.get("delivery")),
                    accent=_text(line.get("accent")),
                    voice=voice,
                    voice_over=bool(line.get("voice_over")),
                )
            )
    return tuple(lines)


def _look(
    shot: dict, number: int, position: int, inputs_dir: Path, first_frame: Path | None
) -> Look:
    if position == 0 and first_frame is not None:
        # The first frame is the exact opening picture: shown whole, never cropped further.
        return Look(number, subject=first_frame)
    subject = _input_path(shot.get("picture"), inputs_dir)
    scene = _input_path(shot.get("scene"), inputs_dir)
    shot_size = _text(shot.get("shot_size"))
    if subject is not None or scene is not None:
        return Look(number, subject=subject, scene=scene, shot_size=shot_size)
    card = cards.CardText(
        number=number,
        shot_size=shot_size,
        camera_angle=_text(shot.get("camera_angle")),
        camera_movement=_text(shot.get("camera_movement")),
        text=_text(shot.get("text")),
        lettering=_text(shot.get("lettering")),
    )
    return Look(number, card=card)


def _frames_of(shot: dict, number: int, fps: int) -> int:
    duration = shot.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0:
        raise RenderError(f"shot {number}: duration must be positive, not {duration!r}")
    frames = round(duration * fps)
    if abs(frames - duration * fps) > 1e-6:
        raise RenderError(f"shot {number}: {duration} s is not a whole number of frames")
    return frames


def plan(request: dict, inputs_dir: Path) -> Plan:
    """Checks `request` and lays out its shots; every input file must exist. Raises
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

    planned: list[ShotPlan] = []
    numbers: set[int] = set()
    start = 0
    for position, shot in enumerate(shots):
        if not isinstance(shot, dict):
            raise RenderError(f"shot {position + 1} is not an object")
        number = shot.get("index", position + 1)
        if isinstance(number, bool) or not isinstance(number, int) or number in numbers:
            # It names the thumbnail file: a whole number, one per shot.
            raise RenderError(f"shot {position + 1}: bad or repeated index {number!r}")
        numbers.add(number)
        frames = _frames_of(shot, number, fps)
        look = _look(shot, number, position, inputs_dir, first_frame)
        last = position == len(shots) - 1
        end_look = Look(number, subject=end_frame) if last and end_frame is not None else None
        planned.append(
            ShotPlan(
                number=number,
                start=start,
                frames=frames,
                look=look,
                movement=_text(shot.get("camera_movement")) or STATIC,
                transition=_text(shot.get("transition")) or CUT,
                lettering="" if look.card is not None else _text(shot.get("lettering")),
                lines=_lines(shot, number),
                end_look=end_look,
                end_frames=min(round(END_FRAME_SECONDS * fps), frames // 2) if end_look else 0,
            )
        )
        start += frames

    seconds = request.get("seconds")
    if seconds is not None and (
        not isinstance(seconds, int | float) or round(seconds * fps) != start
    ):
        raise RenderError(f"`seconds` is {seconds} but the shots last {start / fps:g} s")
    return Plan(
        width=width,
        height=height,
        fps=fps,
        audio=bool(request.get("audio")),
        frames=start,
        shots=planned,
    )
