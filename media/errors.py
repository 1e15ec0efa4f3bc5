"""The one exception of the media checks: an upload we refuse, with the HTTP status that says why.

`status` follows HTTP: 400 the content is of the right kind but unacceptable (too short, too
small, animated, silent …), 413 it is too big (bytes, pixels, a decompression bomb), 415 it is
not the kind of file asked for (not an image, not a video, text renamed .mp3 …). `message` is a
sentence for the person who uploaded the file.
"""

BAD_CONTENT = 400
TOO_LARGE = 413
WRONG_TYPE = 415


class MediaRejected(Exception):
    """The upload is not acceptable; `status` is the HTTP status that says why (400/413/415)."""

    def __init__(self, message: str, status: int = BAD_CONTENT):
        super().__init__(message)
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"MediaRejected({self.message!r}, {self.status})"


def megabytes(size: int) -> str:
    """`size` bytes for a person: "10 MB", "11.3 MB" (1 MB = 2**20 bytes)."""
    value = size / 2**20
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def too_big(size: int, limit: int | None = None, what: str = "file") -> str:
    """The sentence refusing an upload of `size` bytes (over `limit`, when given)."""
    if limit is None:
        return f"The {what} is {megabytes(size)}; that is too large to upload."
    return f"The {what} is {megabytes(size)}; the limit is {megabytes(limit)}."
