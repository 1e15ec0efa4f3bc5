"""Renders a compiled `animatic` request into an MP4: each shot's picture, moved by its camera,
its lines spoken and subtitled, cut or blended into the next.

The request is the dict `compiler/storyboard.py` makes for the built-in provider (see `render`).
`plan.plan` checks it and lays out the shots; `soundtrack.speak` voices every line and times
its subtitle; then each shot's still is composed once (`pictures.compose`, or a text card) at the
size its camera move needs, and every frame is a crop of it (`camera.crop_boxes`) scaled in YUV
(`frames.crop_scale`), with the shot's sign and the current subtitle blended over it. A frame
that looks like the one before (a static shot between subtitles) is not made again.

Pure Python: no Django, so the worker, tests and benchmarks call it directly.
"""

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from animatic import camera, cards, pictures, soundtrack
from animatic.encode import Mp4Writer
from animatic.frames import TRANSITIONS, Patch, Planes, blend_in, crop_scale, to_image
from animatic.plan import STATIC, Look, Plan, RenderError, ShotPlan, plan

# The caller's `cancelled` may query a database: ask at most this often.
CANCEL_CHECK_SECONDS = 0.5
PROGRESS_SECONDS = 0.1
# Speaking the lines comes first, then the frames, which are nearly all the work.
SPEECH_SHARE = 0.05
ENCODE_SHARE = 0.9
# A transition into a shot lasts this long (at most half the shot); the end frame is dissolved
# to over this long.
TRANSITION_SECONDS = 0.5
END_DISSOLVE_SECONDS = 0.25
POSTER_NAME = "poster.jpg"
THUMBNAIL_NAME = "shot-{number}.jpg"
THUMBNAIL_WIDTH = 320
JPEG_QUALITY = 85


class RenderCanceled(Exception):
    """`cancelled()` said stop; nothing was left at the output paths."""


@dataclass(frozen=True)
class RenderResult:
    """What was written: `duration` in seconds (frames / fps exactly), the picture size, whether
    there is an audio track, and the stills beside the video."""

    duration: float
    width: int
    height: int
    has_audio: bool
    poster: Path
    # One per shot, in shot order.
    thumbnails: list[Path]


def compose(look: Look, size: tuple[int, int]) -> Image.Image:
    """The still `look` stands for, at `size`, without subtitles or signs."""
    if look.card is not None:
        return cards.draw_card(look.card, size)
    try:
        return pictures.compose(look.subject, look.scene, size, look.shot_size)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        names = ", ".join(path.name for path in (look.subject, look.scene) if path is not None)
        raise RenderError(f"cannot read input image {names}: {error}") from error


class Pacer:
    """Calls `progress` and `cancelled` no more often than their intervals, and keeps the
    reported fraction rising."""

    def __init__(
        self, progress: Callable[[float], None], cancelled: Callable[[], bool], total: int
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._total = max(1, total)
        self._reported = -1.0
        self._next_progress = 0.0
        self._next_check = 0.0

    def report(self, fraction: float) -> None:
        fraction = min(1.0, max(fraction, self._reported, 0.0))
        if fraction > self._reported:
            self._reported = fraction
            self._progress(fraction)

    def check(self) -> None:
        """Raise RenderCanceled if the caller says stop (asked only every so often)."""
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + CANCEL_CHECK_SECONDS
            if self._cancelled():
                raise RenderCanceled()

    def frames_done(self, done: int) -> None:
        self.check()
        now = time.monotonic()
        if now >= self._next_progress:
            self._next_progress = now + PROGRESS_SECONDS
            self.report(SPEECH_SHARE + ENCODE_SHARE * done / self._total)


def _temporary(next_to: Path, suffix: str) -> Path:
    """An empty, uniquely named file in the directory of `next_to` (same file system, so the
    final os.replace is atomic)."""
    handle, name = tempfile.mkstemp(dir=next_to.parent, prefix=f".{next_to.stem}-", suffix=suffix)
    os.close(handle)
    return Path(name)


def _save_jpeg(picture: Image.Image, path: Path) -> None:
    picture.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True)


def _thumbnail(picture: Image.Image) -> Image.Image:
    height = max(2, round(picture.height * THUMBNAIL_WIDTH / picture.width))
    return picture.resize((THUMBNAIL_WIDTH, height), Image.Resampling.LANCZOS, reducing_gap=2.0)


def _no_progress(_fraction: float) -> None:
    return None


def _never() -> bool:
    return False


def render(
    request: dict,
    inputs_dir: Path,
    output: Path,
    *,
    progress: Callable[[float], None] = _no_progress,
    cancelled: Callable[[], bool] = _never,
) -> RenderResult:
    """Render `request` to `output` (MP4), with `poster.jpg` and `shot-<n>.jpg` thumbnails
    beside it, and describe the result.

    `request` (compiled for the `animatic` provider): `width`, `height`, `fps` (24), `seconds`
    (the sum of the shot durations), `audio` (add an AAC track), `first_frame` / `end_frame`
    (`{"$file": name in inputs_dir}` or None), `shots`: [{`index`, `duration` (s), `shot_size`,
    `camera_angle`, `camera_movement`, `text`, `lettering`, `transition` (how the shot begins),
    `picture` / `scene` ($file or None), `dialogue`: [{`speaker`, `text`, `language`,
    `delivery`, `accent`, `voice`, `voice_over`}]}].

    Nothing is ever half-written at the output paths: files are written under temporary names
    and moved into place at the end; on RenderError, RenderCanceled or any other failure the
    temporary files are removed and earlier outputs are left as they were.
    """
    layout = plan(request, inputs_dir)
    pacer = Pacer(progress, cancelled, layout.frames)
    pacer.check()
    pacer.report(0.0)
    sound = soundtrack.speak(layout)
    pacer.check()
    pacer.report(SPEECH_SHARE)
    output.parent.mkdir(parents=True, exist_ok=True)
    poster = output.with_name(POSTER_NAME)
    temporary: dict[Path, Path] = {}  # final path -> its temporary file
    try:
        temporary[output] = _temporary(output, ".mp4.part")
        with Mp4Writer(
            temporary[output], layout.width, layout.height, layout.fps, sound.samples
        ) as writer:
            stills = _encode(layout, sound.cues, writer, pacer, output)
            writer.finish()
            has_audio = writer.has_audio
        for final, picture in stills.items():
            temporary[final] = _temporary(final, ".jpg.part")
            _save_jpeg(picture, temporary[final])
        pacer.check()
        # The video goes last: once it is in place, its stills are too.
        for final in [*stills, output]:
            os.replace(temporary.pop(final), final)
    except BaseException:
        for path in temporary.values():
            path.unlink(missing_ok=True)
        raise
    pacer.report(1.0)
    return RenderResult(
        duration=layout.frames / layout.fps,
        width=layout.width,
        height=layout.height,
        has_audio=has_audio,
        poster=poster,
        thumbnails=[output.with_name(THUMBNAIL_NAME.format(number=s.number)) for s in layout.shots],
    )


def _encode(
    layout: Plan, cues: list[soundtrack.Cue], writer: Mp4Writer, pacer: Pacer, output: Path
) -> dict[Path, Image.Image]:
    """Write every shot's frames; return the poster and thumbnails by the path they go to."""
    stills: dict[Path, Image.Image] = {}
    before = Planes.black(layout.size)
    for position, shot in enumerate(layout.shots):
        shot_cues = [cue for cue in cues if cue.shot == position]
        made = _ShotFrames(layout, shot, shot_cues)
        before = made.write(before, writer, pacer)
        stills[output.with_name(THUMBNAIL_NAME.format(number=shot.number))] = _thumbnail(
            made.thumbnail
        )
        if position == 0:
            stills[output.with_name(POSTER_NAME)] = made.poster
    return stills


class _ShotFrames:
    """The frames of one shot: its still (and end frame) composed once, its overlays drawn
    once, each frame a crop of the still with what shows at that moment blended over it."""

    def __init__(self, layout: Plan, shot: ShotPlan, cues: list[soundtrack.Cue]) -> None:
        self.size = layout.size
        self.shot = shot
        self.cues = cues
        movement = shot.movement if shot.moves else STATIC
        canvas_size = camera.canvas_size(movement, self.size)
        self.canvas = Planes.of(compose(shot.look, canvas_size))
        self.boxes = camera.crop_boxes(movement, shot.frames, canvas_size, self.size, shot.number)
        self.end = Planes.of(compose(shot.end_look, self.size)) if shot.end_look else None
        self.end_start = shot.frames - shot.end_frames
        self.end_blend = min(round(END_DISSOLVE_SECONDS * layout.fps), shot.end_frames)
        fading = shot.transition in TRANSITIONS
        # Out of black (the first shot), a fade would spend its first half on black: fade up.
        first = shot.start == 0
        self.transition_kind = (
            "dissolve" if first and shot.transition == "fade" else shot.transition
        )
        self.transition = (
            min(round(TRANSITION_SECONDS * layout.fps), shot.frames // 2) if fading else 0
        )
        self.marks = _layer(self.size, lambda layer: _draw_marks(layer, shot))
        self.subtitles = {
            cue: _layer(
                self.size, lambda layer, cue=cue: cards.draw_subtitle(layer, cue.speaker, cue.text)
            )
            for cue in cues
        }
        middle = shot.frames // 2
        self.thumbnail = to_image(self._picture(middle))
        self.poster: Image.Image | None = None

    def _picture(self, k: int) -> av.VideoFrame:
        """Frame `k` of the shot without overlays: the moving still, the end frame, or the
        dissolve between them."""
        if self.end is None or k < self.end_start:
            return crop_scale(self.canvas, self.boxes[k], self.size)
        end = self.end.frame()
        step = k - self.end_start
        if step < self.end_blend:
            moving = crop_scale(self.canvas, self.boxes[k], self.size)
            blend_in(end, Planes.copy_of(moving), "dissolve", (step + 1) / (self.end_blend + 1))
        return end

    def _cue_at(self, frame_number: int) -> soundtrack.Cue | None:
        for cue in self.cues:
            if cue.start <= frame_number < cue.stop:
                return cue
        return None

    def _key(self, k: int) -> tuple:
        """What frame `k` looks like: equal keys, equal frames."""
        in_end = self.end is not None and k >= self.end_start
        end_step = k - self.end_start if in_end else -1
        moving = not in_end or end_step < self.end_blend
        return (
            self.boxes[k] if moving else None,
            end_step if 0 <= end_step < self.end_blend else in_end,
            self._cue_at(self.shot.start + k),
            k if k < self.transition else None,
        )

    def write(self, before: Planes, writer: Mp4Writer, pacer: Pacer) -> Planes:
        """Write the shot's frames after the picture `before` (the last frame of the shot
        before, or black); return the shot's own last frame."""
        # Only the first shot's middle frame is the poster.
        poster_frame = self.shot.frames // 2 if self.shot.start == 0 else -1
        frame: av.VideoFrame | None = None
        last_key: tuple | None = None
        for k in range(self.shot.frames):
            key = self._key(k)
            if key != last_key:
                frame = self._picture(k)
                if self.marks is not None:
                    self.marks.apply(frame)
                if (cue := key[2]) is not None and (subtitle := self.subtitles[cue]) is not None:
                    subtitle.apply(frame)
                if k < self.transition:
                    progress = (k + 1) / (self.transition + 1)
                    blend_in(frame, before, self.transition_kind, progress)
                last_key = key
            if k == poster_frame:
                self.poster = to_image(frame)
            writer.write(frame)
            pacer.frames_done(self.shot.start + k + 1)
        return Planes.copy_of(frame)


def _layer(size: tuple[int, int], draw: Callable[[Image.Image], None]) -> Patch | None:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(layer)
    return Patch.of(layer)


def _draw_marks(layer: Image.Image, shot: ShotPlan) -> None:
    """What stays over a shot's picture: its number and its lettering."""
    if shot.look.card is None:
        cards.draw_badge(layer, shot.number)
    if shot.lettering:
        cards.draw_sign(layer, shot.lettering)
