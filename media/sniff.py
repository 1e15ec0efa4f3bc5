"""What a file looks like from its first bytes, to name it in a refusal ("This is a PNG image").

Only for messages: the checks themselves always decode. `describe(head)` returns a phrase such
as "a PNG image" or "a text file", or None when the bytes say nothing recognisable.
"""

HEAD_BYTES = 512  # how much of a file `describe` looks at

SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1aE\xdf\xa3", "a WebM or Matroska file"),
    (b"BM", "a BMP image"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
]
FTYP_BRANDS = {
    b"heic": "a HEIC image",
    b"heix": "a HEIC image",
    b"mif1": "a HEIF image",
    b"avif": "an AVIF image",
    b"M4A ": "an M4A audio file",
    b"qt  ": "a MOV video",
}
TEXT_MARKERS = [(b"<svg", "an SVG drawing"), (b"<html", "an HTML page"), (b"<?xml", "an XML file")]


def describe(head: bytes) -> str | None:
    """A phrase naming what `head` (the start of a file) looks like, or None."""
    head = head[:HEAD_BYTES]
    if not head:
        return "an empty file"
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[
            head[8:12]
        ]
    if head[4:8] == b"ftyp":
        return FTYP_BRANDS.get(head[8:12], "an MP4 file")
    if _looks_like_text(head):
        lowered = head.lower()
        for marker, name in TEXT_MARKERS:
            if marker in lowered:
                return name
        return "a text file"
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as cut:  # a multi-byte character cut at the end is still text
        if cut.start < len(head) - 3:
            return False
        text = head[: cut.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * max(len(text), 1)
