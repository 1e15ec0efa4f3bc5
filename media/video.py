"""An element's reference video, checked by decoding it with PyAV.

`check_video(path)` refuses what is not an H.264/HEVC video in an MP4 or MOV file (415), or is
too big (413), too short or long, too small or large, of the wrong shape or frame rate (400).
Its length comes from the decoded frames (the last frame's time plus its duration), never from
the container's header. `key_frames(path, count)` picks 3–5 sharp, distinct frames spread over
the clip as reference images; `sound_track(path)` writes the clip's sound to a WAV file for
`audio.check_voice`.

Speed: `check_video` decodes every key frame (I-frame) of the clip and the whole last group of
pictures (see `streams`); `key_frames` decodes only the key frames when every part of the clip
has enough of them (phones write one a second), else every frame. Sharpness is measured on a
small grey copy of each frame.
"""

import os
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

import av
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from media.containers import decoding, open_media
from media.errors import TOO_LARGE, WRONG_TYPE, MediaRejected, too_big
from media.images import CheckedImage, encode_picture
from media.streams import PacketSpan, decoded, decoded_end, demux, readable_packets

EXPECTED_VIDEO = "an MP4 or MOV video"
VIDEO_DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2"  # FFmpeg's one demuxer for MP4 and MOV
VIDEO_CODECS = {"h264": "H.264", "hevc": "H.265 (HEVC)"}  # what phones and cameras record

# Kling's element video (kling_api.md §8.1, §10): MP4 or MOV, 3–8 s, at most 200 MB, 16:9 or 9:16.
MIN_VIDEO_SECONDS = 3.0
MAX_VIDEO_SECONDS = 8.0
DURATION_SLACK = 0.05  # half the 0.1 s we print: a clip shown as "8.0 s" is never too long
CUT_SHORT_SLACK = 0.5  # decoded pictures ending this much before the header's length: cut short
MAX_VIDEO_BYTES = 200 * 1024 * 1024
VIDEO_ASPECTS = {"16:9": 16 / 9, "9:16": 9 / 16}
ASPECT_TOLERANCE = 0.02  # 1920×1088 and 854×480 are 16:9 too
# Sides: from 720p (§10: 720 px is the smallest side of an omni reference video) to 4K UHD
# (§10: 2160 px is the legacy largest side; 3.0 Omni takes up to 4553 px, so 3840 fits).
MIN_VIDEO_SHORT_SIDE = 720
MAX_VIDEO_SHORT_SIDE = 2160
MAX_VIDEO_LONG_SIDE = 3840
# 24–60 fps (§10), with half a frame a second of slack for variable-rate phone clips (29.97…).
MIN_VIDEO_FPS = 23.5
MAX_VIDEO_FPS = 60.5

MIN_KEY_FRAMES = 3
MAX_KEY_FRAMES = 5
# Only key frames (I-frames) are decoded when every segment of the clip holds at least this
# many; otherwise every frame is decoded and measured.
KEY_FRAMES_PER_SEGMENT = 2
SHARPNESS_WIDTH = 480  # sharpness is measured on a grey copy this wide
SAME_PICTURE_DIFFERENCE = 3.0  # mean grey difference (of 255) under which two frames are alike

SOUND_TRACK_RATE = 48_000
MAX_SOUND_TRACK_SECONDS = 60  # bounds the WAV written for a clip that was never checked

# A frame's display rotation (degrees counterclockwise, FFmpeg's sign) → the turn that shows it.
UPRIGHT = {
    90: Image.Transpose.ROTATE_90,
    -270: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    -180: Image.Transpose.ROTATE_180,
    -90: Image.Transpose.ROTATE_270,
    270: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class CheckedVideo:
    duration: float  # seconds, from the decoded frames
    width: int  # as displayed (a portrait phone clip is taller than wide)
    height: int
    fps: float
    codec: str  # "h264" or "hevc"
    has_audio: bool


def check_video(path: str) -> CheckedVideo:
    """The facts of the video at `path`, decoded; MediaRejected (400/413/415) if refused."""
    _check_size(path)
    with open_media(path, VIDEO_DEMUXERS, EXPECTED_VIDEO) as container, decoding(EXPECTED_VIDEO):
        stream = _video_stream(container)
        span = demux(container, stream, decode_keys=True)
        end = decoded_end(container, stream, span)
        has_audio = bool(container.streams.audio)
    if span.first is None or end is None or span.start is None:
        raise MediaRejected(f"No picture could be decoded from the file; upload {EXPECTED_VIDEO}.")
    duration = float((end - span.start) * stream.time_base)
    promised = float(stream.duration * stream.time_base) if stream.duration else 0.0
    if span.damaged or promised - duration > CUT_SHORT_SLACK:
        raise MediaRejected(
            f"The video is damaged or cut short: only {duration:.1f} s of its "
            f"{promised:.1f} s decode; upload the whole file."
        )
    _check_duration(duration)
    width, height = _displayed_size(span.first)
    _check_sides(width, height)
    fps = span.frames / duration
    if not MIN_VIDEO_FPS <= fps <= MAX_VIDEO_FPS:
        raise MediaRejected(
            f"The video runs at {fps:.1f} frames a second; a reference video must have "
            f"{round(MIN_VIDEO_FPS)} to {round(MAX_VIDEO_FPS)}."
        )
    codec = stream.codec_context.name
    return CheckedVideo(round(duration, 3), width, height, round(fps, 3), codec, has_audio)


def _check_size(path: str) -> None:
    size = os.path.getsize(path)
    if size > MAX_VIDEO_BYTES:
        raise MediaRejected(too_big(size, MAX_VIDEO_BYTES, "video"), TOO_LARGE)


def _video_stream(container: InputContainer) -> VideoStream:
    if not container.streams.video:
        raise MediaRejected(f"The file has no picture in it; upload {EXPECTED_VIDEO}.", WRONG_TYPE)
    stream = container.streams.video[0]
    codec = stream.codec_context.name
    if codec not in VIDEO_CODECS:
        raise MediaRejected(
            f"The video is encoded as {codec}; upload an H.264 or HEVC video (as phones record).",
            WRONG_TYPE,
        )
    stream.thread_type = "AUTO"
    return stream


def _check_duration(duration: float) -> None:
    if MIN_VIDEO_SECONDS - DURATION_SLACK <= duration < MAX_VIDEO_SECONDS + DURATION_SLACK:
        return
    raise MediaRejected(
        f"The video is {duration:.1f} s long; a reference video must be "
        f"{MIN_VIDEO_SECONDS:g} to {MAX_VIDEO_SECONDS:g} s."
    )


def _displayed_size(frame: VideoFrame) -> tuple[int, int]:
    if round(frame.rotation) % 180 == 90:
        return frame.height, frame.width
    return frame.width, frame.height


def _check_sides(width: int, height: int) -> None:
    short, long = min(width, height), max(width, height)
    if short < MIN_VIDEO_SHORT_SIDE:
        raise MediaRejected(
            f"The video is {width}×{height}; a reference video must be at least "
            f"{MIN_VIDEO_SHORT_SIDE}p ({MIN_VIDEO_SHORT_SIDE} px on its short side)."
        )
    if short > MAX_VIDEO_SHORT_SIDE or long > MAX_VIDEO_LONG_SIDE:
        raise MediaRejected(
            f"The video is {width}×{height}; a reference video may be at most 4K "
            f"({MAX_VIDEO_LONG_SIDE}×{MAX_VIDEO_SHORT_SIDE}).",
            TOO_LARGE,
        )
    aspect = width / height
    if not any(abs(aspect / shape - 1) <= ASPECT_TOLERANCE for shape in VIDEO_ASPECTS.values()):
        raise MediaRejected(
            f"The video is {width}×{height}; a reference video must be landscape 16:9 "
            "or portrait 9:16."
        )


# Key frames


def key_frames(path: str, count: int = 4) -> list[CheckedImage]:
    """`count` (3–5) sharp, distinct frames, one from each part of the clip, as JPEG images.

    Fewer come back only when frames are alike (a still shot), never fewer than 3.
    """
    if not MIN_KEY_FRAMES <= count <= MAX_KEY_FRAMES:
        raise ValueError(f"count must be {MIN_KEY_FRAMES} to {MAX_KEY_FRAMES}")
    _check_size(path)
    with open_media(path, VIDEO_DEMUXERS, EXPECTED_VIDEO) as container, decoding(EXPECTED_VIDEO):
        stream = _video_stream(container)
        span = demux(container, stream, decode_keys=False)
        if span.start is None or not span.end or span.end <= span.start:
            raise MediaRejected(
                f"No picture could be decoded from the file; upload {EXPECTED_VIDEO}."
            )
        step = Fraction(span.end - span.start, count)

        def segment(pts: int) -> int:
            return min(count - 1, max(0, int((pts - span.start) / step)))

        keys_in = np.bincount([segment(pts) for pts in span.keys], minlength=count)
        only_keys = bool((keys_in >= KEY_FRAMES_PER_SEGMENT).all())
        best = _sharpest(container, stream, segment, count, only_keys)
    if not best:
        raise MediaRejected(f"No picture could be decoded from the file; upload {EXPECTED_VIDEO}.")
    return [encode_picture(_upright(frame)) for frame in _distinct(best)]


@dataclass
class _Candidate:
    sharpness: float
    frame: VideoFrame
    grey: np.ndarray


def _sharpest(
    container: InputContainer,
    stream: VideoStream,
    segment: Callable[[int], int],
    count: int,
    only_keys: bool,
) -> list[_Candidate]:
    """The sharpest decoded frame of each segment, in time order."""
    stream.codec_context.skip_frame = "NONKEY" if only_keys else "DEFAULT"
    container.seek(0, backward=True)
    best: list[_Candidate | None] = [None] * count
    span = PacketSpan()
    for packet in readable_packets(container, stream, span):
        for frame in decoded(packet, span):
            if frame.pts is None:
                continue
            grey = _grey(frame)
            score = _sharpness(grey)
            part = segment(frame.pts)
            if best[part] is None or score > best[part].sharpness:
                best[part] = _Candidate(score, frame, grey)
    return [candidate for candidate in best if candidate is not None]


def _grey(frame: VideoFrame) -> np.ndarray:
    height = max(2, round(frame.height * SHARPNESS_WIDTH / frame.width))
    small = frame.reformat(
        width=SHARPNESS_WIDTH, height=height, format="gray", interpolation="AREA"
    )
    return small.to_ndarray().astype(np.float32)


def _sharpness(grey: np.ndarray) -> float:
    """The variance of the Laplacian: high where edges are crisp, low when blurred."""
    laplacian = (
        4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:]
    )
    return float(laplacian.var())


def _distinct(candidates: list[_Candidate]) -> list[VideoFrame]:
    """Drop a frame alike to the last one kept, as long as at least MIN_KEY_FRAMES remain."""
    kept = [candidates[0]]
    for index, candidate in enumerate(candidates[1:], start=1):
        remaining = len(candidates) - index
        alike = float(np.abs(candidate.grey - kept[-1].grey).mean()) < SAME_PICTURE_DIFFERENCE
        if alike and len(kept) + remaining - 1 >= MIN_KEY_FRAMES:
            continue
        kept.append(candidate)
    return [candidate.frame for candidate in kept]


def _upright(frame: VideoFrame) -> Image.Image:
    picture = frame.to_image()
    turn = UPRIGHT.get(round(frame.rotation))
    return picture.transpose(turn) if turn is not None else picture


# Sound track


def sound_track(path: str) -> str | None:
    """The clip's sound as a temporary 48 kHz mono WAV file, which the caller deletes.

    None when the clip has no sound stream, or its sound does not decode (a damaged sound
    track is no reason to refuse the pictures).
    """
    _check_size(path)
    with open_media(path, VIDEO_DEMUXERS, EXPECTED_VIDEO) as container:
        if not container.streams.audio:
            return None
        handle, wav_path = tempfile.mkstemp(prefix="sound-track-", suffix=".wav")
        try:
            written = _write_wav(container, handle)
        except Exception:  # a damaged sound track: no voice from it, the pictures may still do
            written = 0
        except BaseException:
            os.unlink(wav_path)
            raise
    if written == 0:
        os.unlink(wav_path)
        return None
    return wav_path


def _write_wav(container: InputContainer, handle: int) -> int:
    """Decode the first sound stream into the open file `handle` as 16-bit mono WAV."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SOUND_TRACK_RATE)
    limit = MAX_SOUND_TRACK_SECONDS * SOUND_TRACK_RATE
    written = 0
    with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SOUND_TRACK_RATE)
        for frame in chain(container.decode(container.streams.audio[0]), [None]):
            for out in resampler.resample(frame):
                wav.writeframes(out.to_ndarray().tobytes())
                written += out.samples
            if written >= limit:
                break
    return written
