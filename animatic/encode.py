"""The MP4 writer of the animatic: H.264 video and, when asked, an AAC soundtrack, with PyAV.

Frames come ready in yuv420p (`frames.py` makes them) and one frame may be written any number of
times (`Mp4Writer.write`): x264 codes a repeated picture as nearly free skip blocks, so a static
shot costs little more than its first frame.

The soundtrack is a float32 array of the whole duration (`soundtrack.py` mixes it). It is
encoded in step with the video so the file comes out interleaved, which keeps progressive
playback smooth.
"""

import contextlib
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np
from av.video.reformatter import ColorRange

VIDEO_CODEC = "libx264"
PIXEL_FORMAT = "yuv420p"
# `fast`/`veryfast` trade a little size for speed; CRF 23 is x264's default quality.
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}
# A key frame at least every 2 s keeps seeking in the editor's player snappy.
KEYFRAME_SECONDS = 2
# Colour as HD video is tagged (BT.709, limited range), so players show the card colours right.
BT709 = 1
AUDIO_CODEC = "aac"
SAMPLE_RATE = 48_000
CHANNELS = 2
AUDIO_LAYOUT = "stereo"
AUDIO_BIT_RATE = 128_000
AAC_FRAME_SAMPLES = 1024
# Moves the index (moov) before the media data, so a browser can start playing at once.
MP4_OPTIONS = {"movflags": "+faststart"}


class Mp4Writer:
    """Writes one MP4 file. Use as a context manager: on an exception the container is closed
    without flushing and the caller removes the file."""

    def __init__(
        self, path: Path, width: int, height: int, fps: int, soundtrack: np.ndarray | None
    ) -> None:
        self._fps = fps
        self._written = 0
        self._container = av.open(str(path), mode="w", format="mp4", options=MP4_OPTIONS)
        try:
            self._video = self._add_video(width, height, fps)
            self._soundtrack = soundtrack
            self._audio = self._add_audio() if soundtrack is not None else None
        except BaseException:
            self._container.close()
            raise
        self._audio_sent = 0

    def _add_video(self, width: int, height: int, fps: int) -> av.VideoStream:
        stream = self._container.add_stream(VIDEO_CODEC, rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = PIXEL_FORMAT
        stream.time_base = Fraction(1, fps)
        context = stream.codec_context
        context.time_base = Fraction(1, fps)
        context.gop_size = KEYFRAME_SECONDS * fps
        context.options = dict(X264_OPTIONS)
        context.colorspace = BT709
        context.color_primaries = BT709
        context.color_trc = BT709
        context.color_range = int(ColorRange.MPEG)
        return stream

    def _add_audio(self) -> av.AudioStream:
        stream = self._container.add_stream(AUDIO_CODEC, rate=SAMPLE_RATE)
        stream.layout = AUDIO_LAYOUT
        stream.bit_rate = AUDIO_BIT_RATE
        stream.time_base = Fraction(1, SAMPLE_RATE)
        return stream

    @property
    def has_audio(self) -> bool:
        return self._audio is not None

    def write(self, frame: av.VideoFrame) -> None:
        """Append `frame` as the next video frame (and the audio up to its end)."""
        frame.pts = self._written
        frame.time_base = self._video.codec_context.time_base
        self._container.mux(self._video.encode(frame))
        self._written += 1
        self._send_audio(until=self._written / self._fps)

    def _send_audio(self, until: float | None) -> None:
        """Encode the soundtrack up to `until` seconds (None: all of it) in AAC-sized chunks."""
        if self._audio is None or self._soundtrack is None:
            return
        total = self._soundtrack.shape[1]
        end = total if until is None else min(total, round(until * SAMPLE_RATE))
        while self._audio_sent < end and (
            until is None or end - self._audio_sent >= AAC_FRAME_SAMPLES
        ):
            stop = min(self._audio_sent + AAC_FRAME_SAMPLES, end)
            chunk = np.ascontiguousarray(self._soundtrack[:, self._audio_sent : stop])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=AUDIO_LAYOUT)
            frame.sample_rate = SAMPLE_RATE
            frame.pts = self._audio_sent
            frame.time_base = Fraction(1, SAMPLE_RATE)
            self._container.mux(self._audio.encode(frame))
            self._audio_sent = stop

    def finish(self) -> None:
        """Flush the encoders and write the index; the file is complete after this."""
        self._send_audio(until=None)
        self._container.mux(self._video.encode(None))
        if self._audio is not None:
            self._container.mux(self._audio.encode(None))
        self._container.close()

    def __enter__(self) -> "Mp4Writer":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            # The original error is the one to report, not a failure to close after it.
            with contextlib.suppress(Exception):
                self._container.close()
