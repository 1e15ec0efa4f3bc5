"""Where an image file's own data ends, to refuse files with something hidden after it.

A polyglot (a valid PNG with a ZIP appended, a JPEG followed by a script) decodes as an image
but carries a second file. `trailing_bytes(data, kind)` walks the format's structure without
decoding pixels (PNG chunks to IEND, JPEG markers to EOI, the RIFF size of WebP, the top-level
boxes of HEIF) and returns how many bytes follow the image: 0 for a clean file. It raises
ValueError when the structure itself is broken.
"""

import re
from collections.abc import Callable

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SOI = b"\xff\xd8"
JPEG_EOI = 0xD9
JPEG_SOS = 0xDA
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0–7 carry no length
# Inside entropy-coded data 0xFF is followed by 0x00 (stuffing) or a restart marker; anything
# else is the next real marker.
NEXT_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
BOX_HEADER = 8  # ISOBMFF (HEIF): 32-bit size, 4-character type


def trailing_bytes(data: bytes, kind: str) -> int:
    """How many bytes follow the end of the `kind` image (a Pillow format name) in `data`."""
    ends: dict[str, Callable[[bytes], int]] = {
        "PNG": _png_end,
        "JPEG": _jpeg_end,
        "MPO": _mpo_end,
        "WEBP": _webp_end,
        "HEIF": _isobmff_end,
    }
    try:
        return len(data) - ends[kind](data)
    except (IndexError, KeyError) as broken:
        raise ValueError(f"cannot find the end of this {kind}") from broken


def _png_end(data: bytes) -> int:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    pos = len(PNG_SIGNATURE)
    while True:
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length  # length, type, data, CRC
        if pos > len(data):
            raise ValueError("a PNG chunk runs past the end of the file")
        if kind == b"IEND":
            return pos


def _jpeg_end(data: bytes, start: int = 0) -> int:
    if data[start : start + 2] != JPEG_SOI:
        raise ValueError("not a JPEG")
    pos = start + 2
    while True:
        if data[pos] != 0xFF:
            raise ValueError("a JPEG segment does not start with a marker")
        while data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == JPEG_EOI:
            return pos
        if marker in JPEG_STANDALONE:
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise ValueError("a JPEG segment runs past the end of the file")
        pos += length
        if marker == JPEG_SOS:
            found = NEXT_JPEG_MARKER.search(data, pos)
            if found is None:
                raise ValueError("the JPEG has no end of image")
            pos = found.start()


def _mpo_end(data: bytes) -> int:
    """A multi-picture JPEG (phones' MPO) is JPEG images back to back: the end of the last one."""
    end = _jpeg_end(data)
    while data[end : end + 2] == JPEG_SOI:
        end = _jpeg_end(data, end)
    return end


def _webp_end(data: bytes) -> int:
    size = int.from_bytes(data[4:8], "little")
    return 8 + size + (size & 1)  # RIFF chunks are padded to an even length


def _isobmff_end(data: bytes) -> int:
    """The end of the last well-formed top-level box; anything after it is extra."""
    pos = 0
    while len(data) - pos >= BOX_HEADER:
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if not all(32 <= byte < 127 for byte in kind):
            break
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        elif size == 0:  # the box runs to the end of the file
            return len(data)
        if size < BOX_HEADER or pos + size > len(data):
            break
        pos += size
    return pos
