"""Checks of uploaded media by their content, never their name: pure Python (Pillow), no Django.

`check_image` decodes the bytes with Pillow, refuses what is not a real JPEG/PNG/WebP image, is
too small, too large, of an extreme shape or a decompression bomb, and returns the picture
re-encoded with no metadata (EXIF, GPS, ICC comments), orientation applied.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

# Kling's reference-image rules (shared/kling_api.md §10), our own ceiling on pixels.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MIN_IMAGE_SIDE = 300
MAX_IMAGE_PIXELS = 40_000_000
MAX_ASPECT = 2.5
ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 92


class MediaRejected(Exception):
    """The upload is not acceptable; `status` is the HTTP status that says why (400/413/415)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


def check_image(data: bytes) -> CheckedImage:
    if len(data) > MAX_IMAGE_BYTES:
        raise MediaRejected(
            f"The image is {len(data) / 1e6:.1f} MB; the limit is {MAX_IMAGE_BYTES // 2**20} MB.",
            413,
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ACCEPTED_IMAGE_FORMATS:
                raise MediaRejected(
                    f"This is a {kind or 'unknown'} file; upload a JPEG, PNG or WebP image.", 415
                )
            if width * height > MAX_IMAGE_PIXELS:
                raise MediaRejected(
                    f"The image is {width}×{height} pixels; the limit is "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
                    413,
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            picture = ImageOps.exif_transpose(picture)
    except MediaRejected:
        raise
    except Image.DecompressionBombError:
        raise MediaRejected("The image is too large to decode safely.", 413) from None
    except Exception:
        raise MediaRejected("The file is not a readable JPEG, PNG or WebP image.", 415) from None
    width, height = picture.size
    if min(width, height) < MIN_IMAGE_SIDE:
        raise MediaRejected(
            f"The image is {width}×{height} pixels; each side must be at least {MIN_IMAGE_SIDE} px."
        )
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise MediaRejected(
            f"The image is {width}×{height} pixels; its sides may differ by at most {MAX_ASPECT}:1."
        )
    return _reencode(picture, keep_alpha=kind != "JPEG")


def _reencode(picture: Image.Image, keep_alpha: bool) -> CheckedImage:
    out = io.BytesIO()
    if keep_alpha and picture.mode in {"RGBA", "LA", "P"}:
        picture.convert("RGBA").save(out, "PNG", optimize=True)
        extension = "png"
    else:
        picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return CheckedImage(out.getvalue(), extension, picture.width, picture.height)
