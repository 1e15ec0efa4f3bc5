"""Camera moves on a still picture: one crop rectangle of the shot's canvas per video frame.

The renderer composes one still *canvas* per shot, bigger than the output frame when the shot
moves (`canvas_size`), converts it to YUV 4:2:0 once, and for each frame crops `crop_boxes`'
rectangle out of it and scales it to the output size. 4:2:0 chroma has one sample per 2x2
pixels, so every box has even x, y, width and height, and lies entirely inside the canvas.

A move is a function of the shot's progress `t` (0 to 1) and frame number giving a `_View`: how
far the camera is zoomed in on the canvas, where the box's centre is (fractions of the canvas)
and how much orbit squeezes its width. Pure Python, no image is read.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

MOVEMENTS = (
    "static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down",
    "orbit", "tracking", "crane_up", "crane_down", "handheld", "zoom_in", "zoom_out",
)  # fmt: skip

# Where close-ups put the subject: centred, eyes a bit above the middle (cards.Framing agrees).
SUBJECT_X, SUBJECT_Y = 0.5, 0.42
# A dolly push ends on 1/1.3 of the canvas: a slow, gentle move toward the subject.
PUSH_ZOOM = 1.3
# A lens zoom goes further (1/1.6) and snaps: it is done by 40% of the shot, then holds.
ZOOM_ZOOM, ZOOM_SNAP = 1.6, 0.4
# Pans travel 40% of the frame's width, tilts 30% of its height; the canvas is that much bigger.
PAN_TRAVEL, TILT_TRAVEL = 0.4, 0.3
# Pans and tilts speed up and slow down over their first and last 15% (a fluid head's ease).
RAMP = 0.15
# Orbit sweeps the canvas at a fixed zoom; foreshortening narrows the view by up to 15% mid-arc.
ORBIT_ZOOM, ORBIT_SQUEEZE = 1.25, 0.15
# Tracking travels like a pan while creeping in from 1/1.3 to 1/1.4 of the canvas, and bobs 2%
# of the frame's height once per step, a step every 12 frames (two a second at 24 fps).
TRACK_ZOOM, TRACK_BOB, TRACK_STEP_FRAMES = (1.3, 1.4), 0.02, 12
# Crane up rises 14% of the canvas (all the room 1/1.4 leaves) while widening to the whole canvas.
CRANE_ZOOM, CRANE_RISE = 1.4, 0.14
# Handheld: the frame wanders 2.5% of its size and breathes 2% of zoom around 1/1.08 of the
# canvas, which leaves room for the wander. Waves are (weight, period in frames); the periods
# are in golden ratio so the sum never repeats, and it has no trend, so the camera never drifts.
HANDHELD_ZOOM, HANDHELD_BREATH, HANDHELD_WANDER = 1.08, 0.02, 0.025
HANDHELD_WAVES = ((1.0, 40.0), (0.6, 24.7), (0.3, 15.3))

_MAX_ZOOM = {
    "push_in": PUSH_ZOOM, "pull_out": PUSH_ZOOM, "zoom_in": ZOOM_ZOOM, "zoom_out": ZOOM_ZOOM,
    "pan_left": 1 + PAN_TRAVEL, "pan_right": 1 + PAN_TRAVEL,
    "tilt_up": 1 + TILT_TRAVEL, "tilt_down": 1 + TILT_TRAVEL,
    "orbit": ORBIT_ZOOM / (1 - ORBIT_SQUEEZE), "tracking": max(TRACK_ZOOM),
    "crane_up": CRANE_ZOOM, "crane_down": CRANE_ZOOM,
    "handheld": HANDHELD_ZOOM + HANDHELD_BREATH,
}  # fmt: skip


@dataclass(frozen=True)
class Box:
    """A crop rectangle on the canvas, in pixels; all four numbers are even."""

    x: int
    y: int
    width: int
    height: int


class _View(NamedTuple):
    """Where the camera looks on one frame: `zoom` 2 shows half the canvas's width and height,
    (`cx`, `cy`) is the view's centre as fractions of the canvas, `squeeze` narrows its width."""

    zoom: float
    cx: float
    cy: float
    squeeze: float = 1.0


def _smooth(t: float) -> float:
    """Ease in and out (smoothstep): 0 to 1 with zero speed at both ends."""
    return t * t * (3 - 2 * t)


def _ramp(t: float) -> float:
    """0 to 1 at constant speed, but for eased starts and ends over `RAMP` of the time."""
    speed = 1 / (1 - RAMP)
    if t < RAMP:
        return speed * t * t / (2 * RAMP)
    if t > 1 - RAMP:
        return 1 - speed * (1 - t) ** 2 / (2 * RAMP)
    return speed * (t - RAMP / 2)


def _zoom(start: float, end: float, p: float) -> float:
    """The zoom `p` of the way from `start` to `end`, geometrically so it feels even."""
    return start * (end / start) ** p


def _toward(anchor: float, zoom: float) -> float:
    """The centre of a view of `zoom` that keeps the point `anchor` (a fraction of the canvas)
    at the same place in the frame: 0 puts the view against the start edge, 1 the far one."""
    return anchor * (1 - 1 / zoom) + 0.5 / zoom


def _push(p: float) -> _View:
    zoom = _zoom(1, PUSH_ZOOM, p)
    return _View(zoom, _toward(SUBJECT_X, zoom), _toward(SUBJECT_Y, zoom))


def _lens(p: float) -> _View:
    return _View(_zoom(1, ZOOM_ZOOM, p), 0.5, 0.5)  # a lens zooms on its axis


def _pan(p: float) -> _View:
    zoom = 1 + PAN_TRAVEL
    return _View(zoom, _toward(p, zoom), _toward(SUBJECT_Y, zoom))


def _tilt(p: float) -> _View:
    return _View(1 + TILT_TRAVEL, 0.5, _toward(p, 1 + TILT_TRAVEL))


def _orbit(t: float, frame: int) -> _View:
    across = 0.5 - 0.5 * math.cos(math.pi * t)  # the sideways position on the arc
    cx, cy = _toward(across, ORBIT_ZOOM), _toward(SUBJECT_Y, ORBIT_ZOOM)
    return _View(ORBIT_ZOOM, cx, cy, 1 - ORBIT_SQUEEZE * math.sin(math.pi * t))


def _tracking(t: float, frame: int) -> _View:
    p = _ramp(t)
    zoom = _zoom(*TRACK_ZOOM, p)
    bob = TRACK_BOB * math.sin(math.pi * frame / TRACK_STEP_FRAMES) ** 2 / zoom
    return _View(zoom, _toward(p, zoom), _toward(SUBJECT_Y, zoom) - bob)


def _crane(p: float) -> _View:
    """Crane up at progress `p`: from low and tight to the whole canvas."""
    return _View(_zoom(CRANE_ZOOM, 1, p), 0.5, 0.5 + CRANE_RISE * (1 - p))


def _handheld(seed: int) -> Callable[[float, int], _View]:
    rng = random.Random(seed)
    phases = [[rng.uniform(0, 2 * math.pi) for _ in HANDHELD_WAVES] for _ in range(3)]
    total = sum(weight for weight, _ in HANDHELD_WAVES)

    def noise(frame: int, axis: int) -> float:  # smooth, between -1 and 1
        waves = zip(HANDHELD_WAVES, phases[axis], strict=True)
        return sum(w * math.sin(2 * math.pi * frame / T + ph) for (w, T), ph in waves) / total

    def view(t: float, frame: int) -> _View:
        zoom = HANDHELD_ZOOM + HANDHELD_BREATH * noise(frame, 2)
        wander = HANDHELD_WANDER / zoom
        return _View(zoom, 0.5 + wander * noise(frame, 0), 0.5 + wander * noise(frame, 1))

    return view


_PATHS: dict[str, Callable[[float, int], _View]] = {
    "push_in": lambda t, f: _push(_smooth(t)),
    "pull_out": lambda t, f: _push(_smooth(1 - t)),
    "zoom_in": lambda t, f: _lens(_smooth(min(t / ZOOM_SNAP, 1))),
    "zoom_out": lambda t, f: _lens(1 - _smooth(min(t / ZOOM_SNAP, 1))),
    "pan_left": lambda t, f: _pan(1 - _ramp(t)),
    "pan_right": lambda t, f: _pan(_ramp(t)),
    "tilt_up": lambda t, f: _tilt(1 - _ramp(t)),
    "tilt_down": lambda t, f: _tilt(_ramp(t)),
    "orbit": _orbit,
    "tracking": _tracking,
    "crane_up": lambda t, f: _crane(_smooth(t)),
    "crane_down": lambda t, f: _crane(_smooth(1 - t)),
}


def canvas_scale(movement: str) -> float:
    """How much bigger than the output frame (each side) the shot's canvas must be so that every
    crop of the path keeps at least the output's resolution (no upscaling): the path's tightest
    zoom. 1.0 for static and for names this module does not know (they render as static)."""
    return _MAX_ZOOM.get(movement, 1.0)


def canvas_size(movement: str, frame: tuple[int, int]) -> tuple[int, int]:
    """The canvas (width, height) to compose a shot on: `frame` (width, height) times
    `canvas_scale`, rounded up to multiples of 4 so no crop falls below the frame's size."""
    scale = canvas_scale(movement)
    width, height = (math.ceil(side * scale / 4 - 1e-9) * 4 for side in frame)
    return width, height


def _even(value: float) -> int:
    return 2 * round(value / 2)


def crop_boxes(
    movement: str, frames: int, canvas: tuple[int, int], frame: tuple[int, int], seed: int = 0
) -> list[Box]:
    """One crop rectangle per frame of a shot of `frames` frames on a canvas of `canvas`
    (width, height) pixels, for an output of `frame` (width, height).

    Boxes keep the frame's aspect ratio (but for orbit's deliberate squeeze) and, on a canvas of
    `canvas_size`, never fall below the frame's size. A canvas of another aspect ratio is used
    through the largest centred rectangle of the frame's aspect. `seed` varies handheld's shake;
    the same seed gives the same path. Unknown movements are static. One frame gets the path's
    start; zero frames get no box."""
    width, height = canvas
    if min(width, height, *frame) < 2:
        raise ValueError(f"canvas {canvas} and frame {frame} must be at least 2x2 pixels")
    aspect = frame[0] / frame[1]
    base_w, base_h = min(width, height * aspect), min(height, width / aspect)
    max_w, max_h = width - width % 2, height - height % 2
    path = _handheld(seed) if movement == "handheld" else _PATHS.get(movement)
    boxes = []
    for index in range(max(frames, 0)):
        t = index / (frames - 1) if frames > 1 else 0.0
        view = path(t, index) if path else _View(1.0, 0.5, 0.5)
        box_w = min(max(_even(base_w / view.zoom * view.squeeze), 2), max_w)
        box_h = min(max(_even(base_h / view.zoom), 2), max_h)
        x = min(max(_even(view.cx * width - box_w / 2), 0), max_w - box_w)
        y = min(max(_even(view.cy * height - box_h / 2), 0), max_h - box_h)
        boxes.append(Box(x, y, box_w, box_h))
    return boxes
