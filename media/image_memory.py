"""What checking one uploaded picture may cost in memory, and decoding it within that budget.

Pillow keeps a colour pixel in 4 bytes, so a 170 KB PNG of 6,320 × 6,315 mostly empty pixels
decodes to 160 MB, and decoders hold buffers of their own besides (libjpeg every DCT
coefficient of a progressive JPEG, libwebp two canvases, libheif a YUV and an RGB picture).
Every check stays under `MEMORY_BUDGET_BYTES`, planned from the header before any pixel is
decoded (`plan_decode`):

- a JPEG too big to decode whole is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg's scaled
  decoding, `Image.draft`); every coefficient is still entropy-decoded, so a broken file is
  still caught;
- a PNG, WebP or HEIF picture can only be decoded whole: it is refused when that alone would not
  fit (a JPEG of the same size is not);
- the stored copy (8-bit RGB or RGBA, upright, sRGB) is built strip by strip from the decoded
  picture (`normalised`), reduced by a whole factor (`Image.reduce`) when a full-size copy would
  not fit, so the decoded picture and one copy are all that is ever held.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageCms

# Peak memory one check may add to the process, whatever the file (measured as the rise of the
# peak RSS by bench/upload_memory.py and tests/test_image_uploads_keep_memory_bounded.py).
MEMORY_BUDGET_BYTES = 64 * 2**20
# What is not pixels: strips in flight, the codecs' row buffers, colour transforms, Python.
OVERHEAD_BYTES = 4 * 2**20
STRIP_BYTES = 2**20  # rows converted at a time while the stored copy is built

# Bytes per pixel of the decoders' own buffers beside Pillow's picture (per pixel of the full
# picture; measured with bench/upload_memory.py): libwebp's two canvases and the frame it hands
# to Pillow, freed only with the file (`AFTER`); libheif's YUV picture while it converts to RGB.
DECODER_BYTES_PER_PIXEL = {"WEBP": 12, "HEIF": 2}
DECODER_BYTES_PER_PIXEL_AFTER = {"WEBP": 8}
HEIF_BYTES_PER_PIXEL = {"RGB": 3, "RGBA": 4}  # libheif's interleaved picture, read in strips
JPEG_COEFFICIENT_BYTES = 128  # a block of 64 16-bit coefficients
JPEG_DRAFT_SCALES = (1, 2, 4, 8)
MAX_REDUCE = 8
# The re-encoded file, per stored pixel at worst (noise: ~1 B for JPEG at quality 92, raw size
# for PNG), and never more than a few times the upload (re-encoding a low-quality JPEG at 92).
OUTPUT_BYTES_PER_PIXEL = {"RGB": 1.0, "RGBA": 4.0}
OUTPUT_TO_INPUT_RATIO = 4

SIXTEEN_BIT_GREY_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
ICC_SOURCE_MODE = {"LA": "RGBA", "PA": "RGBA", "P": "RGBA", "La": "RGBA", "RGBa": "RGBA"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# EXIF orientation → the transposition that makes the picture upright (as ImageOps.exif_transpose)
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Header:
    """What the header says about a picture, before any pixel is decoded."""

    kind: str  # Pillow's format name
    size: tuple[int, int]
    mode: str  # the decoded picture's mode
    target_mode: str  # the stored copy's: "RGB" or "RGBA"
    orientation: int = 1  # EXIF orientation, 1 when upright or unknown
    has_icc: bool = False
    input_bytes: int = 0
    coefficient_bytes: int = 0  # a progressive JPEG's coefficients, held by libjpeg


@dataclass(frozen=True)
class Plan:
    draft: int  # JPEG decoded at 1/draft of its size
    reduce: int  # the stored copy at 1/reduce of the decoded size
    peak_bytes: int


def bytes_per_pixel(mode: str) -> int:
    """Bytes per pixel of a Pillow picture of `mode` (RGB takes 4, as RGBX)."""
    if mode in {"1", "L", "P"}:
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def coefficient_bytes(size: tuple[int, int], layers: list[tuple]) -> int:
    """What libjpeg holds for a progressive JPEG of `size` with these components (id, h, v, q)."""
    if not layers:
        return 0
    h_max = max(layer[1] for layer in layers)
    v_max = max(layer[2] for layer in layers)
    total = 0
    for _, h, v, _ in layers:
        across = math.ceil(math.ceil(size[0] * h / h_max) / 8)
        down = math.ceil(math.ceil(size[1] * v / v_max) / 8)
        total += across * down * JPEG_COEFFICIENT_BYTES
    return total


def megapixels(pixels: int) -> str:
    """`pixels` for a person: "39.9 megapixels"."""
    return f"{pixels / 1_000_000:.1f} megapixels"


def _scaled(size: tuple[int, int], factor: int) -> tuple[int, int]:
    return math.ceil(size[0] / factor), math.ceil(size[1] / factor)


def needs_copy(header: Header, reduce: int) -> bool:
    """Whether the stored copy differs from the decoded picture (else it is the picture)."""
    return (
        reduce > 1
        or header.orientation in UPRIGHT
        or header.mode != header.target_mode
        or header.kind == "HEIF"  # libheif's RGB buffer is not a Pillow picture
    )


def peak_bytes(header: Header, draft: int, reduce: int) -> int:
    """The most memory checking `header`'s picture holds at once with this plan."""
    width, height = _scaled(header.size, draft)
    full_pixels = header.size[0] * header.size[1]
    if header.kind == "HEIF":
        decoded = width * height * HEIF_BYTES_PER_PIXEL.get(header.mode, 4)
    else:
        decoded = width * height * bytes_per_pixel(header.mode)
    during = header.coefficient_bytes + full_pixels * DECODER_BYTES_PER_PIXEL.get(header.kind, 0)
    after = full_pixels * DECODER_BYTES_PER_PIXEL_AFTER.get(header.kind, 0)
    stored_pixels = math.prod(_scaled((width, height), reduce))
    copy = stored_pixels * 4 if needs_copy(header, reduce) else 0
    written = min(
        stored_pixels * OUTPUT_BYTES_PER_PIXEL[header.target_mode],
        OUTPUT_TO_INPUT_RATIO * header.input_bytes,
    )
    encoding = (copy if copy else decoded + after) + written
    return int(max(during + decoded, after + decoded + copy, encoding)) + OVERHEAD_BYTES


def plan_decode(header: Header) -> Plan | None:
    """The least reduction that checks the picture within the budget; None if none does."""
    drafts = JPEG_DRAFT_SCALES if header.kind in {"JPEG", "MPO"} else (1,)
    plans = sorted(
        ((draft * reduce, -draft, draft, reduce) for draft in drafts for reduce in range(1, 5)),
    )
    for _, _, draft, reduce in plans:
        peak = peak_bytes(header, draft, reduce)
        if peak <= MEMORY_BUDGET_BYTES:
            return Plan(draft, reduce, peak)
    return None


def smallest_reduce(header: Header, draft: int) -> int:
    """Once decoded: the least reduction of the stored copy that fits what remains."""
    for reduce in range(1, MAX_REDUCE + 1):
        if peak_bytes(header, draft, reduce) <= MEMORY_BUDGET_BYTES:
            return reduce
    return MAX_REDUCE


# Building the stored copy

Rows = Callable[[int, int], Image.Image]  # rows top..bottom of the decoded picture


def normalised(
    rows: Rows,
    size: tuple[int, int],
    mode: str,
    target_mode: str,
    icc: bytes | None,
    orientation: int,
    reduce: int,
) -> Image.Image:
    """The stored copy, built strip by strip: 8-bit `target_mode` in sRGB, upright, 1/`reduce`."""
    transform = _srgb_transform(icc, _prepared_mode(mode), target_mode)
    width, height = _scaled(size, reduce)
    method = UPRIGHT.get(orientation)
    turned = method in {
        Image.Transpose.TRANSPOSE,
        Image.Transpose.TRANSVERSE,
        Image.Transpose.ROTATE_90,
        Image.Transpose.ROTATE_270,
    }
    out = Image.new(target_mode, (height, width) if turned else (width, height))
    step = max(1, STRIP_BYTES // (size[0] * 4 * reduce)) * reduce
    for top in range(0, size[1], step):
        bottom = min(size[1], top + step)
        strip = _converted(rows(top, bottom), target_mode, transform)
        if reduce > 1:
            strip = strip.reduce(reduce)
        first, last = top // reduce, top // reduce + strip.height
        if method is not None:
            strip = strip.transpose(method)
        out.paste(strip, _place(method, first, last, height))
    return out


def in_place_srgb(picture: Image.Image, icc: bytes | None) -> None:
    """Convert an RGB or RGBA `picture` from its colour profile to sRGB without a copy."""
    transform = _srgb_transform(icc, picture.mode, picture.mode)
    if transform is not None:
        transform.apply_in_place(picture)


def _place(method, first: int, last: int, height: int) -> tuple[int, int]:
    """Where rows first..last (of `height`) of the picture land once transposed by `method`."""
    if method in {None, Image.Transpose.FLIP_LEFT_RIGHT}:
        return 0, first
    if method in {Image.Transpose.ROTATE_180, Image.Transpose.FLIP_TOP_BOTTOM}:
        return 0, height - last
    if method in {Image.Transpose.TRANSPOSE, Image.Transpose.ROTATE_90}:
        return first, 0
    return height - last, 0  # ROTATE_270, TRANSVERSE


def _prepared_mode(mode: str) -> str:
    mode = "L" if mode in SIXTEEN_BIT_GREY_MODES else mode
    return ICC_SOURCE_MODE.get(mode, mode)


def _srgb_transform(icc: bytes | None, mode: str, target_mode: str):
    if not icc:
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.buildTransform(source, SRGB, mode, target_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken or mismatched profile: Pillow's plain conversion instead


def _converted(strip: Image.Image, target_mode: str, transform) -> Image.Image:
    if strip.mode in SIXTEEN_BIT_GREY_MODES:
        strip = grey_to_8_bit(strip)
    if transform is not None:
        prepared = strip.convert(_prepared_mode(strip.mode))
        try:
            return transform.apply(prepared)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return strip if strip.mode == target_mode else strip.convert(target_mode)


def grey_to_8_bit(picture: Image.Image) -> Image.Image:
    """16-bit grey to 8-bit by its top byte (Pillow's own conversion clips at 255)."""
    values = np.asarray(picture)
    return Image.fromarray((np.clip(values, 0, 65535) >> 8).astype(np.uint8))
