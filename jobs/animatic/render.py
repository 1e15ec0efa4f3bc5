"""Renders a compiled `animatic` request into an MP4: one still picture per moment, hard cuts.

The request is the dict `jobs/compiler.py` makes for the built-in provider (see `render`). Each
shot lasts its duration; it shows its picture framed to its shot size (`cards.frame_picture`), or
the first frame for shot 1, or else a text card (`cards.draw_card`); the end frame, when given,
holds for the last moment of the last shot. The shot's dialogue shows as subtitles, its lines
spread evenly over the shot.

`timeline.plan` cuts the request into segments, runs of identical frames. Each segment is
composed and converted to a video frame once, then written as often as it lasts: nothing about
a frame is recomputed. Speech will later be mixed into the soundtrack `encode.silence` makes.

Pure Python: no Django, so the worker, tests and benchmarks call it directly.
"""

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from jobs.animatic import cards
from jobs.animatic.encode import Mp4Writer, silence
from jobs.animatic.timeline import Look, Plan, RenderError, plan

# The caller's `cancelled` may query a database: ask at most this often.
CANCEL_CHECK_SECONDS = 0.5
PROGRESS_SECONDS = 0.1
# Encoding is nearly all the work; the stills and the final move share the rest.
ENCODE_SHARE = 0.95
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
    """The picture `look` stands for, at `size`, without subtitles."""
    if look.card is not None:
        return cards.draw_card(look.card, size)
    if look.picture is None:
        raise RenderError(f"shot {look.number} has neither a picture nor a card")
    try:
        source = cards.open_picture(look.picture, cards.needed_side(size, look.shot_size))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise RenderError(f"cannot read input image {look.picture.name}: {error}") from error
    picture = cards.frame_picture(source, size, look.shot_size)
    cards.draw_badge(picture, look.number)
    return picture


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
            self.report(ENCODE_SHARE * done / self._total)


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
    `camera_angle`, `camera_movement`, `text`, `lettering`, `picture` ($file or None),
    `dialogue`: [{`speaker`, `text`, `voice_over`, ...}], ...}].

    Nothing is ever half-written at the output paths: files are written under temporary names
    and moved into place at the end; on RenderError, RenderCanceled or any other failure the
    temporary files are removed and earlier outputs are left as they were.
    """
    layout = plan(request, inputs_dir)
    pacer = Pacer(progress, cancelled, layout.frames)
    pacer.check()
    pacer.report(0.0)
    output.parent.mkdir(parents=True, exist_ok=True)
    poster = output.with_name(POSTER_NAME)
    thumbnails = [output.with_name(THUMBNAIL_NAME.format(number=n)) for n in layout.shot_numbers]
    temporary: dict[Path, Path] = {}  # final path -> its temporary file
    try:
        temporary[output] = _temporary(output, ".mp4.part")
        # Silence for now; speech will be mixed into this array.
        soundtrack = silence(layout.frames / layout.fps) if layout.audio else None
        stills: dict[Path, Image.Image] = {}
        with Mp4Writer(
            temporary[output], layout.width, layout.height, layout.fps, soundtrack
        ) as writer:
            _encode(layout, writer, pacer, poster, thumbnails, stills)
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
        thumbnails=thumbnails,
    )


def _encode(
    layout: Plan,
    writer: Mp4Writer,
    pacer: Pacer,
    poster: Path,
    thumbnails: list[Path],
    stills: dict[Path, Image.Image],
) -> None:
    """Write every segment's frames; collect the poster and thumbnails into `stills`."""
    first_shot_frames = sum(s.frames for s in layout.segments if s.shot == 0)
    poster_frame = first_shot_frames // 2
    looks: dict[Look, Image.Image] = {}  # the current shot's composed looks
    current_shot = -1
    done = 0
    for segment in layout.segments:
        if segment.shot != current_shot:
            looks.clear()  # looks are per shot (they carry its number): free the last ones
            current_shot = segment.shot
        if segment.look not in looks:
            looks[segment.look] = compose(segment.look, layout.size)
            if segment.look == layout.shot_looks[segment.shot]:
                stills[thumbnails[segment.shot]] = _thumbnail(looks[segment.look])
        picture = looks[segment.look]
        if segment.subtitle is not None:
            picture = picture.copy()
            cards.draw_subtitle(picture, segment.subtitle.speaker, segment.subtitle.text)
        if segment.shot == 0 and done <= poster_frame < done + segment.frames:
            stills[poster] = picture.copy()
        frame = writer.frame(picture)
        for _ in range(segment.frames):
            writer.write(frame)
            done += 1
            pacer.frames_done(done)
