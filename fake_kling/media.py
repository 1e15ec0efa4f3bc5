"""The result videos the fake server hands out: a real small MP4 (H.264 + AAC, yuv420p) of the
task's length, made with PyAV once per length and kept in memory."""

import io
import threading
from fractions import Fraction

import av
import numpy as np

WIDTH, HEIGHT = 320, 180
FPS = 8
SAMPLE_RATE = 48_000
AUDIO_CHUNK = 1024  # samples per AAC frame
TONE_HZ = 220.0
TONE_LEVEL = 0.05

_cache: dict[int, bytes] = {}
_lock = threading.Lock()


def result_video(seconds: int) -> bytes:
    """The MP4 bytes of a `seconds`-long clip (made on first use, then cached)."""
    with _lock:
        if seconds not in _cache:
            _cache[seconds] = _encode(seconds)
        return _cache[seconds]


def _encode(seconds: int) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        audio = container.add_stream("aac", rate=SAMPLE_RATE)
        audio.layout = "mono"
        # A moving gradient, so the frames differ and a player shows something alive.
        ramp = np.linspace(0, 255, WIDTH, dtype=np.float32)[None, :, None]
        for index in range(seconds * FPS):
            shift = (ramp + index * 4) % 256
            picture = np.broadcast_to(shift, (HEIGHT, WIDTH, 3)).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(picture), format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        total = seconds * SAMPLE_RATE
        for start in range(0, total, AUDIO_CHUNK):
            count = min(AUDIO_CHUNK, total - start)
            times = np.arange(start, start + count, dtype=np.float32) / SAMPLE_RATE
            samples = (TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * times)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
            frame.sample_rate, frame.pts = SAMPLE_RATE, start
            frame.time_base = Fraction(1, SAMPLE_RATE)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
    return out.getvalue()
