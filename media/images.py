"""Still images checked by their content with Pillow (and pillow-heif for phones' HEIC photos).

`check_image(data)` decodes the bytes and refuses what is not a still JPEG, PNG, WebP or HEIC
picture of a usable size and shape, what is a decompression bomb, and what carries another
file after the picture (a polyglot). It returns the picture re-encoded without any metadata
(EXIF, GPS, XMP, text chunks, colour profile), its EXIF orientation applied and its colours
converted to sRGB: a JPEG, or a PNG where an alpha channel must be kept. Decoding and the copy
stay within `image_memory.MEMORY_BUDGET_BYTES` (a picture too big for it is decoded or stored
reduced, or refused when it cannot be: see `image_memory`).

`thumbnail(content, max_side)` makes a small JPEG (WebP where there is transparency) of a
checked image; `encode_picture(picture)` re-encodes a decoded picture (e.g. a video frame) the
way `check_image` does.
"""

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pillow_heif
from PIL import Image, ImageCms, ImageOps

from media import image_memory
from media.errors import BAD_CONTENT, TOO_LARGE, WRONG_TYPE, MediaRejected, too_big
from media.image_ends import trailing_bytes
from media.image_memory import Header, megapixels
from media.sniff import describe

pillow_heif.register_heif_opener()
pillow_heif.options.THUMBNAILS = False  # we only ever want the primary picture of a HEIC file
pillow_heif.options.DEPTH_IMAGES = False
pillow_heif.options.AUX_IMAGES = False

# Kling's reference-image rules (kling_api.md §8.1 and §10): at most 10 MB, at least 300 px on
# the short side, sides between 1:2.5 and 2.5:1.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MIN_IMAGE_SIDE = 300
MAX_ASPECT = 2.5
# Our own ceiling on pixels, read from the header before anything is decoded. Under it, what a
# picture may cost to check is image_memory.MEMORY_BUDGET_BYTES: a big JPEG is decoded reduced,
# a PNG, WebP or HEIC too big to decode within it is refused. Pillow refuses outright
# (DecompressionBombError) what claims more than twice its own MAX_IMAGE_PIXELS (~179 MP).
MAX_IMAGE_PIXELS = 40_000_000

# Bytes a camera may pad a file with after the picture: they cannot hide a second file.
PADDING = b"\x00\xff"
ACCEPTED_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}  # MPO: a phone's multi-picture JPEG
ANIMATABLE_FORMATS = {"PNG", "WEBP"}  # APNG and animated WebP; HEIF "frames" are a collection
UPLOAD_INSTEAD = "upload a JPEG, PNG or WebP image (a phone's HEIC photo works too)"

JPEG_QUALITY = 92
# Huffman-table optimisation saves ~4 % of a JPEG but triples the encoding time of a 12 MP
# photo; PNG's `optimize` is slower still. Only pictures up to this size get it.
OPTIMIZE_MAX_PIXELS = 4_000_000
SIXTEEN_BIT_GREY_MODES = image_memory.SIXTEEN_BIT_GREY_MODES
ALPHA_MODES = {"RGBA", "LA", "PA", "La", "RGBa", "P"}
SRGB = image_memory.SRGB
KIND_NAMES = {"MPO": "JPEG", "WEBP": "WebP", "HEIF": "HEIC"}

THUMBNAIL_MIN_SIDE = 16
THUMBNAIL_MAX_SIDE = 2048
THUMBNAIL_QUALITY = 85
THUMBNAIL_REDUCING_GAP = 3.0  # resize by whole factors first, then LANCZOS the last ≤ 3×


@dataclass(frozen=True)
class CheckedImage:
    content: bytes = field(repr=False)
    extension: str  # "jpg" or "png"
    width: int
    height: int


def check_image(data: bytes) -> CheckedImage:
    """The picture in `data`, checked and re-encoded; MediaRejected (400/413/415) if refused."""
    if len(data) > MAX_IMAGE_BYTES:
        raise MediaRejected(too_big(len(data), MAX_IMAGE_BYTES, "image"), TOO_LARGE)
    if not data:
        raise MediaRejected(f"The file is empty; {UPLOAD_INSTEAD}.", WRONG_TYPE)
    header = _probe(data)
    _refuse_extra_data(data, header.kind)
    plan = image_memory.plan_decode(header)
    if plan is None:
        raise _too_big_to_check(header)
    with _refused_unless_readable(data):
        picture = _decoded_copy(data, header, plan.draft)
    return _saved(picture, with_alpha=picture.mode == "RGBA")


BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@contextmanager
def _refused_unless_readable(data: bytes) -> Iterator[None]:
    """Turn whatever Pillow raises while reading `data` into the refusal the user reads."""
    try:
        yield
    except MediaRejected:
        raise
    except BOMB:
        raise _bomb() from None
    except Exception:
        raise _unreadable(data) from None


def _probe(data: bytes) -> Header:
    """What the picture is, checked from its header only (no pixel decoded)."""
    with _refused_unless_readable(data), Image.open(io.BytesIO(data)) as probe:
        kind = probe.format or "unknown"
        width, height = probe.size
        if kind not in ACCEPTED_IMAGE_FORMATS:
            if kind == "GIF" and getattr(probe, "is_animated", False):
                raise MediaRejected(
                    "This is an animated GIF; a reference image must be a still "
                    "JPEG, PNG or WebP image.",
                    WRONG_TYPE,
                )
            raise MediaRejected(f"This is {_article(kind)} file; {UPLOAD_INSTEAD}.", WRONG_TYPE)
        _check_pixels(width, height)
        _check_shape(width, height)
        if kind in ANIMATABLE_FORMATS and getattr(probe, "is_animated", False):
            raise MediaRejected(
                f"The image is animated ({probe.n_frames} frames); a reference image must "
                "be a still.",
                BAD_CONTENT,
            )
        header = _header(probe, kind, len(data))
        probe.verify()  # PNG: every chunk's CRC
    return header


def _header(probe: Image.Image, kind: str, input_bytes: int) -> Header:
    keep_alpha = kind not in {"JPEG", "MPO"}
    with_alpha = keep_alpha and (probe.mode in ALPHA_MODES or "transparency" in probe.info)
    progressive = kind in {"JPEG", "MPO"} and (
        probe.info.get("progressive") or probe.info.get("progression")
    )
    # PNG reads an eXIf chunk after the pixels only when it decodes them: checked again then
    orientation = 1
    if kind in {"JPEG", "MPO", "WEBP"} or "exif" in probe.info:
        orientation = _orientation(probe)
    return Header(
        kind=kind,
        size=probe.size,
        mode=probe.mode,
        target_mode="RGBA" if with_alpha else "RGB",
        orientation=1 if kind == "HEIF" else orientation,  # libheif turns it itself
        has_icc=bool(probe.info.get("icc_profile")),
        input_bytes=input_bytes,
        coefficient_bytes=(
            image_memory.coefficient_bytes(probe.size, getattr(probe, "layer", []))
            if progressive
            else 0
        ),
    )


def _orientation(picture: Image.Image) -> int:
    orientation = picture.getexif().get(0x0112, 1)
    return orientation if orientation in image_memory.UPRIGHT else 1


def _too_big_to_check(header: Header) -> MediaRejected:
    width, height = header.size
    advice = (
        "save it as a standard (not progressive) JPEG or make it smaller"
        if header.kind in {"JPEG", "MPO"}
        else "save it as a JPEG or make it smaller"
    )
    return MediaRejected(
        f"The image is {width}×{height} pixels ({megapixels(width * height)}); "
        f"{_article(KIND_NAMES.get(header.kind, header.kind))} this large cannot be checked "
        f"within the memory one upload may use; {advice}.",
        TOO_LARGE,
    )


def _bomb() -> MediaRejected:
    return MediaRejected(
        "The image is too large to decode safely; the limit is "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
        TOO_LARGE,
    )


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise MediaRejected(
            f"The image is {width}×{height} pixels; the limit is "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
            TOO_LARGE,
        )


def _check_shape(width: int, height: int) -> None:
    if min(width, height) < MIN_IMAGE_SIDE:
        raise MediaRejected(
            f"The image is {width}×{height} pixels; each side must be at least {MIN_IMAGE_SIDE} px."
        )
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise MediaRejected(
            f"The image is {width}×{height} pixels; its sides may differ by at most {MAX_ASPECT}:1."
        )


def _refuse_extra_data(data: bytes, kind: str) -> None:
    try:
        extra = trailing_bytes(data, kind)
    except ValueError:
        raise _unreadable(data) from None
    if extra > 0 and data[-extra:].strip(PADDING):
        raise MediaRejected(
            f"The file has extra data after the image ({extra} bytes, "
            f"{describe(data[len(data) - extra :]) or 'of an unknown kind'}); save the picture "
            "on its own as a plain JPEG, PNG or WebP and upload it again.",
            BAD_CONTENT,
        )


def _decoded_copy(data: bytes, header: Header, draft: int) -> Image.Image:
    """The stored copy of the picture: decoded (at 1/`draft` for a JPEG), upright, in sRGB."""
    if header.kind == "HEIF":
        return _heif_copy(data, header)
    with Image.open(io.BytesIO(data)) as opened:
        if draft > 1:
            opened.draft(None, (opened.width // draft, opened.height // draft))
        opened.load()
        orientation = _orientation(opened)
        icc = opened.info.get("icc_profile")
        decoded = replace(header, size=opened.size, orientation=orientation)
        reduce = image_memory.smallest_reduce(decoded, 1)
        if not image_memory.needs_copy(decoded, reduce):
            image_memory.in_place_srgb(opened, icc)
            opened.info = {}
            return opened

        def rows(top: int, bottom: int) -> Image.Image:
            return opened.crop((0, top, opened.width, bottom))

        return image_memory.normalised(
            rows, opened.size, opened.mode, header.target_mode, icc, orientation, reduce
        )


def _heif_copy(data: bytes, header: Header) -> Image.Image:
    """HEIF through libheif directly: its RGB buffer is read in strips, never copied whole."""
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    frame = heif[heif.primary_index]
    buffer = memoryview(frame.data)  # decodes; libheif applies the rotation and mirroring
    mode, stride, size = frame.mode, frame.stride, frame.size
    reduce = image_memory.smallest_reduce(replace(header, size=size, mode=mode), 1)

    def rows(top: int, bottom: int) -> Image.Image:
        strip = buffer[top * stride : bottom * stride]
        return Image.frombytes(mode, (size[0], bottom - top), strip, "raw", mode, stride, 1)

    icc = frame.info.get("icc_profile")
    return image_memory.normalised(rows, size, mode, header.target_mode, icc, 1, reduce)


def _unreadable(data: bytes) -> MediaRejected:
    looks_like = describe(data)
    if looks_like in {None, "a JPEG image", "a PNG image", "a WebP image", "a HEIC image"}:
        return MediaRejected(
            f"The file is not a readable JPEG, PNG or WebP image; {UPLOAD_INSTEAD}.", WRONG_TYPE
        )
    return MediaRejected(f"This is {looks_like}, not a picture; {UPLOAD_INSTEAD}.", WRONG_TYPE)


def _article(kind: str) -> str:
    return f"{'an' if kind[:1] in 'AEIOU' else 'a'} {kind}"


# Re-encoding


def encode_picture(picture: Image.Image, keep_alpha: bool = False) -> CheckedImage:
    """`picture` in sRGB without metadata: PNG if it has alpha to keep, else JPEG."""
    with_alpha = keep_alpha and (picture.mode in ALPHA_MODES or "transparency" in picture.info)
    return _saved(to_srgb(picture, "RGBA" if with_alpha else "RGB"), with_alpha)


def _saved(clean: Image.Image, with_alpha: bool) -> CheckedImage:
    clean.info = {}  # Pillow would copy a PNG's colour profile from `info`
    optimize = clean.width * clean.height <= OPTIMIZE_MAX_PIXELS
    out = io.BytesIO()
    if with_alpha:
        clean.save(out, "PNG", optimize=optimize)
        extension = "png"
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=optimize)
        extension = "jpg"
    return CheckedImage(out.getvalue(), extension, clean.width, clean.height)


def to_srgb(picture: Image.Image, mode: str) -> Image.Image:
    """`picture` as 8-bit `mode` ("RGB" or "RGBA") in sRGB, whatever its depth or colour model."""
    if picture.mode in SIXTEEN_BIT_GREY_MODES:
        picture = image_memory.grey_to_8_bit(picture)
    icc = picture.info.get("icc_profile")
    if icc:
        source_mode = {"LA": "RGBA", "PA": "RGBA", "P": "RGBA", "La": "RGBA", "RGBa": "RGBA"}
        try:
            prepared = picture.convert(source_mode.get(picture.mode, picture.mode))
            return ImageCms.profileToProfile(
                prepared, ImageCms.ImageCmsProfile(io.BytesIO(icc)), SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: fall back to Pillow's plain conversion
    return picture if picture.mode == mode else picture.convert(mode)


# Thumbnails


def thumbnail(content: bytes, max_side: int) -> bytes:
    """A JPEG (WebP if transparent) of `content` fitting in `max_side`², without metadata."""
    if not THUMBNAIL_MIN_SIDE <= max_side <= THUMBNAIL_MAX_SIDE:
        raise ValueError(f"max_side must be {THUMBNAIL_MIN_SIDE}–{THUMBNAIL_MAX_SIDE} px")
    with _refused_unless_readable(content), Image.open(io.BytesIO(content)) as opened:
        if opened.format not in ACCEPTED_IMAGE_FORMATS:
            raise MediaRejected(f"This is not a picture; {UPLOAD_INSTEAD}.", WRONG_TYPE)
        width, height = opened.size
        _check_pixels(width, height)
        scale = min(1.0, max_side / max(width, height))
        # JPEG: decode straight at 1/2, 1/4 or 1/8 of the size when that is still big enough
        opened.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        ImageOps.exif_transpose(opened, in_place=True)
        picture = opened
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, THUMBNAIL_REDUCING_GAP)
    transparent = picture.mode in ALPHA_MODES or "transparency" in picture.info
    clean = to_srgb(picture, "RGBA" if transparent else "RGB")
    clean.info = {}
    out = io.BytesIO()
    if transparent:
        clean.save(out, "WEBP", quality=THUMBNAIL_QUALITY)
    else:
        clean.save(out, "JPEG", quality=THUMBNAIL_QUALITY)
    return out.getvalue()
