"""Video frames of the animatic, made in YUV 4:2:0 with libswscale and NumPy.

A shot's still is converted from RGB once (`Planes.of`); each frame is a crop of it scaled to
the output size by libswscale (`crop_scale`), which costs a fraction of what encoding the frame
does, where composing it with Pillow would cost several times more. Subtitles and signs are
drawn once as RGBA layers, converted to `Patch`es and blended in where they show; transitions
blend a frame with the last frame of the shot before.

Pure: no Django.
"""

from dataclasses import dataclass

import av
import numpy as np
from av.video.reformatter import ColorRange, Colorspace, Interpolation
from PIL import Image

from animatic.camera import Box

PIXEL_FORMAT = "yuv420p"
# Black in limited-range YUV: what a fade passes through.
BLACK_LUMA = 16
NEUTRAL_CHROMA = 128
TRANSITIONS = ("dissolve", "fade", "wipe")


@dataclass(frozen=True)
class Planes:
    """A picture as its three planes: luma at full size, chroma at half width and height."""

    y: np.ndarray
    u: np.ndarray
    v: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        return (self.y.shape[1], self.y.shape[0])

    @classmethod
    def of(cls, picture: Image.Image) -> "Planes":
        """`picture` (RGB, even sides) in BT.709 limited range, as HD video is coded."""
        frame = av.VideoFrame.from_image(picture).reformat(
            format=PIXEL_FORMAT,
            src_colorspace=Colorspace.ITU709,
            dst_colorspace=Colorspace.ITU709,
            src_color_range=ColorRange.JPEG,
            dst_color_range=ColorRange.MPEG,
        )
        return cls(*(view.copy() for view in views(frame)))

    @classmethod
    def black(cls, size: tuple[int, int]) -> "Planes":
        width, height = size
        chroma = (height // 2, width // 2)
        return cls(
            np.full((height, width), BLACK_LUMA, np.uint8),
            np.full(chroma, NEUTRAL_CHROMA, np.uint8),
            np.full(chroma, NEUTRAL_CHROMA, np.uint8),
        )

    @classmethod
    def copy_of(cls, frame: av.VideoFrame) -> "Planes":
        return cls(*(view.copy() for view in views(frame)))

    def frame(self) -> av.VideoFrame:
        """A new frame holding a copy of these planes."""
        width, height = self.size
        frame = av.VideoFrame(width, height, PIXEL_FORMAT)
        for view, plane in zip(views(frame), (self.y, self.u, self.v), strict=True):
            view[...] = plane
        return frame


def views(frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Writable NumPy views of a yuv420p frame's planes (without the row padding)."""
    return tuple(
        np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]
        for plane in frame.planes
    )


def to_image(frame: av.VideoFrame) -> Image.Image:
    """A frame back as an RGB picture (for the poster and thumbnails)."""
    return frame.reformat(
        format="rgb24",
        src_colorspace=Colorspace.ITU709,
        dst_colorspace=Colorspace.ITU709,
        src_color_range=ColorRange.MPEG,
        dst_color_range=ColorRange.JPEG,
    ).to_image()


def crop_scale(canvas: Planes, box: Box, size: tuple[int, int]) -> av.VideoFrame:
    """The part of `canvas` inside `box` (even position and sides), scaled to `size`."""
    if (box.x, box.y, box.width, box.height) == (0, 0, *canvas.size) and canvas.size == size:
        return canvas.frame()
    crop = av.VideoFrame(box.width, box.height, PIXEL_FORMAT)
    y, u, v = views(crop)
    x0, y0 = box.x, box.y
    y[...] = canvas.y[y0 : y0 + box.height, x0 : x0 + box.width]
    half = (slice(y0 // 2, (y0 + box.height) // 2), slice(x0 // 2, (x0 + box.width) // 2))
    u[...] = canvas.u[half]
    v[...] = canvas.v[half]
    return crop.reformat(width=size[0], height=size[1], interpolation=Interpolation.BILINEAR)


@dataclass(frozen=True)
class Patch:
    """A drawn layer (subtitle, sign) cut to where it is not transparent, in YUV, with its
    coverage per plane (0–255) to blend by."""

    left: int
    top: int
    planes: Planes
    alpha: np.ndarray  # luma resolution
    chroma_alpha: np.ndarray  # half resolution

    @classmethod
    def of(cls, layer: Image.Image) -> "Patch | None":
        """The visible part of `layer` (RGBA, the frame's size), or None if nothing shows."""
        box = layer.getchannel("A").getbbox()
        if box is None:
            return None
        # Even edges, so the patch lines up with the chroma planes.
        left, top = box[0] // 2 * 2, box[1] // 2 * 2
        right = min(layer.width, (box[2] + 1) // 2 * 2)
        bottom = min(layer.height, (box[3] + 1) // 2 * 2)
        piece = layer.crop((left, top, right, bottom))
        alpha = np.asarray(piece.getchannel("A"), dtype=np.uint16)
        chroma_alpha = alpha.reshape(alpha.shape[0] // 2, 2, alpha.shape[1] // 2, 2).mean(
            axis=(1, 3), dtype=np.float32
        )
        return cls(
            left, top, Planes.of(piece.convert("RGB")), alpha, chroma_alpha.astype(np.uint16)
        )

    def apply(self, frame: av.VideoFrame) -> None:
        """Blend the patch into `frame`, in place."""
        for index, (view, plane) in enumerate(
            zip(views(frame), (self.planes.y, self.planes.u, self.planes.v), strict=True)
        ):
            scale = 1 if index == 0 else 2
            alpha = self.alpha if index == 0 else self.chroma_alpha
            rows = slice(self.top // scale, self.top // scale + plane.shape[0])
            cols = slice(self.left // scale, self.left // scale + plane.shape[1])
            under = view[rows, cols].astype(np.uint16)
            view[rows, cols] = (under * (255 - alpha) + plane * alpha + 127) // 255


def blend_in(frame: av.VideoFrame, before: Planes, transition: str, progress: float) -> None:
    """Make `frame` the moment `progress` (0–1) of a `transition` from the picture `before`
    to it, in place: a dissolve mixes the two, a fade goes down to black and up again, a wipe
    uncovers the new picture from the left."""
    targets = (BLACK_LUMA, NEUTRAL_CHROMA, NEUTRAL_CHROMA)
    for index, (view, old) in enumerate(
        zip(views(frame), (before.y, before.u, before.v), strict=True)
    ):
        if transition == "wipe":
            edge = round(progress * view.shape[1])
            view[:, edge:] = old[:, edge:]
        elif transition == "fade":
            # Down to black over the first half, up from black over the second.
            source = old if progress < 0.5 else view
            level = abs(1.0 - 2.0 * progress)
            view[...] = targets[index] + (source.astype(np.float32) - targets[index]) * level
        else:  # dissolve
            view[...] = old + (view.astype(np.float32) - old) * progress
