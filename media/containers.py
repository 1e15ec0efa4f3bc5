"""Opening an uploaded audio or video file with PyAV, by its content only.

`open_media(path, demuxers, expected)` hands FFmpeg an unnamed reader, so that it probes the
bytes and never the file name's extension, and allows only the listed demuxers: no playlists
(HLS), concat lists or image sequences that would make FFmpeg read other files or URLs. What
FFmpeg cannot open becomes a 415 naming what the file looks like ("This is a PNG image, not an
MP4 or MOV video."); `decoding(expected)` turns a failure while decoding into a 400.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import av
from av.container import InputContainer

from media.errors import BAD_CONTENT, WRONG_TYPE, MediaRejected
from media.sniff import HEAD_BYTES, describe

IO_BUFFER_BYTES = 256 * 1024  # PyAV reads through Python; fewer, larger reads are cheaper
# What `describe` may call a file that is of the right family yet did not open: such a file
# is "not a readable MP4 or MOV video" rather than "an MP4 file, not an MP4 or MOV video".
MEDIA_LOOKS = {
    "an MP4 file",
    "a MOV video",
    "an M4A audio file",
    "an MP3 audio file",
    "an Ogg audio file",
    "a WAV audio file",
    "a WebM or Matroska file",
    "a FLAC audio file",
}


class _Unnamed(io.RawIOBase):
    """A read-only view of an open file without a `name`, so FFmpeg cannot guess from it."""

    def __init__(self, file: BinaryIO):
        super().__init__()
        self._file = file

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        return self._file.readinto(buffer)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


@contextmanager
def open_media(path: str, demuxers: str, expected: str) -> Iterator[InputContainer]:
    """The opened container of `path`, restricted to `demuxers` (FFmpeg names, comma-separated)."""
    with open(path, "rb") as file:
        head = file.read(HEAD_BYTES)
        file.seek(0)
        try:
            container = av.open(
                _Unnamed(file),
                options={"format_whitelist": demuxers},
                buffer_size=IO_BUFFER_BYTES,
                metadata_errors="ignore",
            )
        except Exception:
            raise not_expected(head, expected) from None
        with container:
            yield container


def not_expected(head: bytes, expected: str) -> MediaRejected:
    """The 415 for a file that is not `expected` ("an MP4 or MOV video")."""
    looks = describe(head)
    if looks == "an empty file":
        return MediaRejected(f"The file is empty; upload {expected}.", WRONG_TYPE)
    if looks is None or looks in MEDIA_LOOKS:
        return MediaRejected(f"The file is not {_readable(expected)}.", WRONG_TYPE)
    return MediaRejected(f"This is {looks}, not {expected}.", WRONG_TYPE)


def _readable(expected: str) -> str:
    """ "an MP4 or MOV video" → "a readable MP4 or MOV video"."""
    return "a readable " + expected.split(" ", 1)[1]


@contextmanager
def decoding(expected: str) -> Iterator[None]:
    """Turn any failure of FFmpeg (or of PyAV on its output) while decoding into a 400."""
    try:
        yield
    except MediaRejected:
        raise
    except Exception:
        raise MediaRejected(
            f"The file could not be decoded as {expected}; it may be damaged or cut short.",
            BAD_CONTENT,
        ) from None
