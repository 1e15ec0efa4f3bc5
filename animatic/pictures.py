"""The pictures of an animatic's shots, with Pillow: input images opened, composed (an element
over its scene) and framed to a shot size.

`compose` makes a shot's still: the subject's front image stood in front of the scene's image
when both exist, else whichever exists, cropped to the shot size. The renderer then moves a
camera over it (`camera.py`), so it asks for a still bigger than the frame when the shot moves.
"""

import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

# A subject stood in front of a scene fills this much of the scene's height, feet on the bottom
# edge, and at most this much of its width: a full figure with room around it, so a wide shot
# shows the place and a close-up (which crops high, see SHOT_SIZE_FRAMING) the face.
SUBJECT_HEIGHT = 0.86
SUBJECT_MAX_WIDTH = 0.7
# A subject photo without transparency is faded into the scene over this fraction of its
# shorter side, so it reads as composed rather than pasted.
SUBJECT_FEATHER = 0.08
# A lone subject this close to the frame's shape fills the frame; others stand on a backdrop,
# made small, blurred and enlarged (cheap) and dimmed to 45 % so the subject stands out.
SAME_SHAPE_RATIO = 1.5
BACKDROP_SHRINK = 16


@dataclass(frozen=True)
class Framing:
    """How a shot size crops the picture: `zoom` 1 keeps the whole cover-fitted frame, 2 keeps
    half its width and height; `focus_y` is where the crop centres vertically (0 top, 1 bottom).
    Tighter sizes centre higher because faces sit in the upper third of a well-framed picture."""

    zoom: float
    focus_y: float


WHOLE_FRAME = Framing(zoom=1.0, focus_y=0.5)
SHOT_SIZE_FRAMING: dict[str, Framing] = {
    "extreme_wide": WHOLE_FRAME,
    "wide": WHOLE_FRAME,
    "full": Framing(zoom=1.1, focus_y=0.5),
    "medium_long": Framing(zoom=1.25, focus_y=0.45),
    "medium": Framing(zoom=1.5, focus_y=0.42),
    "medium_close_up": Framing(zoom=1.8, focus_y=0.38),
    "close_up": Framing(zoom=2.2, focus_y=0.35),
    "extreme_close_up": Framing(zoom=3.0, focus_y=0.35),
}


def open_picture(path: Path, needed: int = 0, keep_alpha: bool = False) -> Image.Image:
    """An input image as RGB (RGBA when `keep_alpha` and it has transparency), turned upright
    (EXIF orientation), transparency otherwise on black. A JPEG
    is decoded at a reduced scale when it stays at least `needed` px on both sides (both,
    because the EXIF turn may swap them), which makes big camera photos several times cheaper.
    Raises OSError or ValueError (incl. Pillow's decompression-bomb error) when unreadable."""
    with Image.open(path) as source:
        if needed:
            source.draft("RGB", (needed, needed))
        picture = ImageOps.exif_transpose(source)
        if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
            rgba = picture.convert("RGBA")
            if keep_alpha:
                return rgba
            flat = Image.new("RGB", rgba.size, (0, 0, 0))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return picture.convert("RGB")


def needed_side(size: tuple[int, int], shot_size: str = "") -> int:
    """How many source pixels a side must keep for `frame_picture` not to upscale."""
    return math.ceil(max(size) * SHOT_SIZE_FRAMING.get(shot_size, WHOLE_FRAME).zoom)


def frame_picture(picture: Image.Image, size: tuple[int, int], shot_size: str = "") -> Image.Image:
    """`picture` cover-fitted to `size` (cropped, never letterboxed), then cropped further to
    simulate `shot_size` (see SHOT_SIZE_FRAMING). Crop and scale happen in one resample."""
    framing = SHOT_SIZE_FRAMING.get(shot_size, WHOLE_FRAME)
    width, height = size
    source_width, source_height = picture.size
    aspect = width / height
    if source_width / source_height > aspect:
        crop_height = source_height / framing.zoom
        crop_width = crop_height * aspect
    else:
        crop_width = source_width / framing.zoom
        crop_height = crop_width / aspect
    left = (source_width - crop_width) / 2
    top = framing.focus_y * source_height - crop_height / 2
    top = min(max(top, 0.0), source_height - crop_height)
    box = (left, top, left + crop_width, top + crop_height)
    return picture.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def compose(
    subject: Path | None, scene: Path | None, size: tuple[int, int], shot_size: str = ""
) -> Image.Image:
    """The shot's still at `size`: `subject` in front of `scene` (either may be None, not
    both), framed to `shot_size`. Raises OSError or ValueError when an image is unreadable.

    A subject alone that is shaped like the frame (a still of the scene) fills it; one that is
    not (a portrait of a character, a cut-out) stands in front of a blurred, dimmed copy of
    itself, as a phone video does, rather than being cropped to a strip."""
    if subject is None and scene is None:
        raise ValueError("a composed picture needs a subject or a scene")
    needed = needed_side(size, shot_size)
    if subject is None:
        return frame_picture(open_picture(scene, needed), size, shot_size)
    figure = open_picture(subject, needed, keep_alpha=True)
    if scene is None and figure.mode != "RGBA" and _shaped_like(figure.size, size):
        return frame_picture(figure, size, shot_size)
    # The figure stands on a stage: the whole scene at `size` times the shot size's zoom, which
    # the shot size then crops back to `size` (as frame_picture does). Only that crop is drawn,
    # so a close-up of a moving shot never holds a picture several times the frame in memory.
    framing = SHOT_SIZE_FRAMING.get(shot_size, WHOLE_FRAME)
    stage_width, stage_height = size[0] * framing.zoom, size[1] * framing.zoom
    left = (stage_width - size[0]) / 2
    top = min(max(framing.focus_y * stage_height - size[1] / 2, 0.0), stage_height - size[1])
    if scene is not None:
        picture = frame_picture(open_picture(scene, needed), size, shot_size)
    else:
        picture = _backdrop(figure, size)
    scale = min(
        SUBJECT_HEIGHT * stage_height / figure.height,
        SUBJECT_MAX_WIDTH * stage_width / figure.width,
    )
    fitted = figure.resize(
        (max(1, round(figure.width * scale)), max(1, round(figure.height * scale))),
        Image.Resampling.LANCZOS,
    )
    mask = fitted.getchannel("A") if fitted.mode == "RGBA" else _feathered_mask(fitted.size)
    place = (
        round((stage_width - fitted.width) / 2 - left),
        round(stage_height - fitted.height - top),
    )
    picture.paste(fitted.convert("RGB"), place, mask)
    return picture


def _shaped_like(picture: tuple[int, int], frame: tuple[int, int]) -> bool:
    ratio = (picture[0] / picture[1]) / (frame[0] / frame[1])
    return 1 / SAME_SHAPE_RATIO <= ratio <= SAME_SHAPE_RATIO


def _backdrop(figure: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A blurred, dimmed copy of `figure` filling `size`: a backdrop that matches its colours."""
    small = (max(2, size[0] // BACKDROP_SHRINK), max(2, size[1] // BACKDROP_SHRINK))
    flat = frame_picture(figure.convert("RGB"), small).filter(ImageFilter.GaussianBlur(4))
    return Image.eval(flat.resize(size, Image.Resampling.BILINEAR), lambda v: v * 45 // 100)


def _feathered_mask(size: tuple[int, int]) -> Image.Image:
    """Opaque in the middle, fading to nothing at the edges."""
    feather = max(1, round(SUBJECT_FEATHER * min(size)))
    mask = Image.new("L", size, 0)
    inset = (feather, feather, size[0] - feather - 1, size[1] - 1)
    ImageDraw.Draw(mask).rounded_rectangle(inset, radius=feather * 2, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(feather / 2))
