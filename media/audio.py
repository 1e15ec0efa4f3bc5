"""An element's voice clip, checked by decoding it with PyAV and normalised for playback.

`check_voice(path)` decodes MP3, WAV, M4A, OGG (and WebM, what browsers record) by their
content, refuses what is not sound (415), too big (413), shorter than 3 s or longer than 30 s,
silent, or a tone or noise rather than speech (400, see `speech`), and returns the clip
loudness-normalised (EBU R128 `loudnorm`, -16 LUFS, true peak -2 dBTP) as AAC in an M4A file
whose index comes first, so that a browser plays it while it downloads: mono, 48 kHz.
"""

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain

import av
import numpy as np
from av.audio.frame import AudioFrame
from av.container import InputContainer

from media.containers import decoding, open_media
from media.errors import TOO_LARGE, WRONG_TYPE, MediaRejected, too_big
from media.speech import ANALYSIS_RATE, find_speech

EXPECTED_VOICE = "an MP3, WAV, M4A or OGG sound file"
VOICE_DEMUXERS = "mp3,wav,mov,mp4,m4a,3gp,3g2,mj2,ogg,matroska,webm"

MAX_AUDIO_BYTES = 20 * 1024 * 1024  # 30 s of 96 kHz 24-bit stereo WAV is 17 MB
# DESIGN.md: a voice clip of at least 3 s. At most 30 s: Kling makes a custom voice from a
# 5–30 s sample (kling_api.md §8.2, §10), so a longer clip could not be sent as it is, and
# trimming it silently could cut the speech the user meant.
MIN_VOICE_SECONDS = 3.0
MAX_VOICE_SECONDS = 30.0
DURATION_SLACK = 0.05  # half the 0.1 s we print

OUTPUT_RATE = 48_000
OUTPUT_BITRATE = 96_000  # AAC-LC mono: transparent for speech
# The usual loudness of spoken-word streams; the true peak is kept 2 dB under full scale because
# AAC encoding overshoots it by up to about 1 dB.
LOUDNORM = "I=-16:TP=-2:LRA=11"
CHUNK_SAMPLES = 4800  # 0.1 s per frame into the filter graph


@dataclass(frozen=True)
class CheckedVoice:
    content: bytes = field(repr=False)
    extension: str  # "m4a"
    duration: float  # seconds, from the decoded samples
    speech_seconds: float


def check_voice(path: str) -> CheckedVoice:
    """The voice clip at `path`, checked and normalised; MediaRejected (400/413/415) if refused."""
    size = os.path.getsize(path)
    if size > MAX_AUDIO_BYTES:
        raise MediaRejected(too_big(size, MAX_AUDIO_BYTES, "voice clip"), TOO_LARGE)
    with open_media(path, VOICE_DEMUXERS, EXPECTED_VOICE) as container, decoding(EXPECTED_VOICE):
        if not container.streams.audio:
            raise MediaRejected(
                f"The file has no sound in it; upload {EXPECTED_VOICE}.", WRONG_TYPE
            )
        duration, analysis, output = _decode(container)
    if duration == 0:
        raise MediaRejected(f"No sound could be decoded from the file; upload {EXPECTED_VOICE}.")
    if not MIN_VOICE_SECONDS - DURATION_SLACK <= duration < MAX_VOICE_SECONDS + DURATION_SLACK:
        raise MediaRejected(
            f"The voice clip is {duration:.1f} s long; a voice clip must be "
            f"{MIN_VOICE_SECONDS:g} to {MAX_VOICE_SECONDS:g} s."
        )
    speech_seconds = find_speech(analysis)
    content = _encode_m4a(_loudness_normalised(output))
    return CheckedVoice(content, "m4a", round(duration, 3), speech_seconds)


def _decode(container: InputContainer) -> tuple[float, np.ndarray, np.ndarray]:
    """Duration of the first sound stream, and its samples as 16 kHz int16 and 48 kHz float32.

    Past the longest clip allowed the samples are no longer kept, only counted.
    """
    stream = container.streams.audio[0]
    for_analysis = av.AudioResampler(format="s16", layout="mono", rate=ANALYSIS_RATE)
    for_output = av.AudioResampler(format="flt", layout="mono", rate=OUTPUT_RATE)
    analysis: list[np.ndarray] = []
    output: list[np.ndarray] = []
    duration = 0.0
    keep_until = MAX_VOICE_SECONDS + 1
    for frame in chain(container.decode(stream), [None]):
        if frame is not None:
            duration += frame.samples / frame.sample_rate
        if frame is None or duration <= keep_until:
            analysis += [out.to_ndarray().reshape(-1) for out in for_analysis.resample(frame)]
            output += [out.to_ndarray().reshape(-1) for out in for_output.resample(frame)]
    return duration, _joined(analysis, np.int16), _joined(output, np.float32)


def _joined(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.zeros(0, dtype)


def _loudness_normalised(samples: np.ndarray) -> list[AudioFrame]:
    """`samples` (48 kHz mono float) through FFmpeg's EBU R128 `loudnorm`, as 48 kHz frames."""
    graph = av.filter.Graph()
    source = graph.add_abuffer(
        format="flt", sample_rate=OUTPUT_RATE, layout="mono", time_base=Fraction(1, OUTPUT_RATE)
    )
    chain_ends = [
        graph.add("loudnorm", LOUDNORM),
        graph.add("aresample", str(OUTPUT_RATE)),  # loudnorm works at 192 kHz
        graph.add("aformat", f"sample_fmts=fltp:channel_layouts=mono:sample_rates={OUTPUT_RATE}"),
        graph.add("abuffersink"),
    ]
    previous = source
    for node in chain_ends:
        previous.link_to(node)
        previous = node
    graph.configure()
    normalised: list[AudioFrame] = []
    for frame in chain(_frames(samples), [None]):
        graph.push(frame)
        normalised += _pull_all(graph)
    return normalised


def _frames(samples: np.ndarray) -> Iterator[AudioFrame]:
    for start in range(0, samples.size, CHUNK_SAMPLES):
        chunk = np.ascontiguousarray(samples[start : start + CHUNK_SAMPLES]).reshape(1, -1)
        frame = AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate = OUTPUT_RATE
        frame.pts = start
        frame.time_base = Fraction(1, OUTPUT_RATE)
        yield frame


def _pull_all(graph: av.filter.Graph) -> list[AudioFrame]:
    frames = []
    while True:
        try:
            frames.append(graph.pull())
        except (av.BlockingIOError, av.EOFError):
            return frames


def _encode_m4a(frames: list[AudioFrame]) -> bytes:
    """AAC-LC in MP4 with the index (moov) before the data: plays while it downloads."""
    handle, path = tempfile.mkstemp(prefix="voice-", suffix=".m4a")
    os.close(handle)
    try:
        with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
            stream = out.add_stream("aac", rate=OUTPUT_RATE, layout="mono")
            stream.bit_rate = OUTPUT_BITRATE
            for frame in chain(frames, [None]):
                if frame is not None:
                    frame.pts = None
                for packet in stream.encode(frame):
                    out.mux(packet)
        with open(path, "rb") as encoded:
            return encoded.read()
    finally:
        os.unlink(path)
