"""What a finished video holds, read with PyAV, and its poster image. Pure: no Django.

A provider's download is decoded before it becomes a take, so a truncated or foreign file is a
clear failure, never a take that does not play.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

POSTER_AT_FRACTION = 0.3
POSTER_MAX_WIDTH = 1280
POSTER_JPEG_QUALITY = 85
CHECKSUM_CHUNK_BYTES = 1 << 20


class UnreadableVideo(Exception):
    pass


@dataclass(frozen=True)
class VideoInfo:
    duration: float
    width: int
    height: int
    has_audio: bool
    size_bytes: int
    checksum: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHECKSUM_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def probe_video(path: Path) -> VideoInfo:
    """The video's duration, size and audio, after decoding its first frame."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise UnreadableVideo("The file holds no video stream.")
            stream = container.streams.video[0]
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            else:
                raise UnreadableVideo("The video has no duration.")
            next(container.decode(stream))
            info = (stream.codec_context.width, stream.codec_context.height)
            has_audio = bool(container.streams.audio)
    except (av.FFmpegError, StopIteration, OSError) as error:
        raise UnreadableVideo(f"The video cannot be read: {error}") from error
    return VideoInfo(
        duration=round(duration, 3),
        width=info[0],
        height=info[1],
        has_audio=has_audio,
        size_bytes=path.stat().st_size,
        checksum=sha256_of(path),
    )


def write_poster(video: Path, poster: Path) -> None:
    """A JPEG of the frame at POSTER_AT_FRACTION of the video, written atomically."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
        if duration > 0:
            container.seek(int(duration * POSTER_AT_FRACTION / stream.time_base), stream=stream)
        frame = next(container.decode(stream))
        image: Image.Image = frame.to_image()
    if image.width > POSTER_MAX_WIDTH:
        image.thumbnail((POSTER_MAX_WIDTH, POSTER_MAX_WIDTH))
    partial = poster.with_name(poster.name + ".part")
    image.convert("RGB").save(partial, "JPEG", quality=POSTER_JPEG_QUALITY)
    os.replace(partial, poster)
