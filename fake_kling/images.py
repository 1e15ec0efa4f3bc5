"""The check of an image field (frames, omni references, element pictures): a URL, or raw base64
without a `data:` prefix of a real JPEG/PNG within the contract's limits (kling_api.md §4, §10)."""

import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

from fake_kling.errors import invalid

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MIN_IMAGE_SIDE = 300
MAX_ASPECT = 2.5  # width/height within 1:2.5 .. 2.5:1
IMAGE_FORMATS = ("JPEG", "PNG")
URL_PREFIXES = ("http://", "https://")


def check_image(value: object, field: str) -> None:
    """Raise a 1201 naming `field` unless `value` is an acceptable image."""
    if not isinstance(value, str) or not value:
        raise invalid(field, "must be an image URL or raw base64 string")
    if value.startswith(URL_PREFIXES):
        # The fake never fetches URLs: the adapter sends files as base64, URLs are the caller's.
        return
    if value.startswith("data:"):
        raise invalid(field, "base64 images must not carry a data: prefix")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise invalid(field, "is not valid base64") from error
    if len(raw) > MAX_IMAGE_BYTES:
        raise invalid(field, "image is larger than 10 MB")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise invalid(field, "is not a readable JPEG or PNG image") from error
    if kind not in IMAGE_FORMATS:
        raise invalid(field, f"image format {kind} is not supported; use JPEG or PNG")
    if min(width, height) < MIN_IMAGE_SIDE:
        raise invalid(field, f"image is {width}x{height}; each side must be at least 300 px")
    if width / height > MAX_ASPECT or height / width > MAX_ASPECT:
        raise invalid(field, f"image is {width}x{height}; the ratio must be 1:2.5 to 2.5:1")
