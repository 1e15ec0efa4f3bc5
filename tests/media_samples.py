"""Media files made on the spot for the media tests and bench/element_media.py (no fixtures).

Pictures with Pillow and numpy, PNGs byte by byte (for sizes and depths Pillow will not write),
videos with PyAV (libx264, AAC), speech with Debian's espeak-ng, tones and noise with numpy.
"""

import io
import shutil
import struct
import subprocess
import wave
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import av
import numpy as np
from PIL import Image

SAMPLE_RATE = 48_000
ESPEAK = "espeak-ng"


def photo(
    size: tuple[int, int] = (1200, 900), fmt: str = "JPEG", seed: int = 1, **save_options
) -> bytes:
    """A photo-like picture: soft colour gradients, blurred blobs and fine grain."""
    width, height = size
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    blobs = rng.integers(0, 256, (max(2, height // 64), max(2, width // 64), 3), dtype=np.uint8)
    soft = np.asarray(Image.fromarray(blobs).resize(size, Image.Resampling.BICUBIC), np.float32)
    base = np.stack([x * 120 + y * 30, y * 110 + x * 20, (1 - x) * 90 + y * 40], axis=2)
    tile = rng.normal(0, 5, (256, 256, 1)).astype(np.float32)
    grain = np.tile(tile, (height // 256 + 1, width // 256 + 1, 1))[:height, :width]
    pixels = np.clip(soft * 0.45 + base + grain, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, fmt, **save_options)
    return out.getvalue()


def png_bytes(
    width: int, height: int, bit_depth: int, colour_type: int, rows: Iterable[bytes]
) -> bytes:
    """A PNG written chunk by chunk: `rows` are the raw scanlines (without filter bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    parts = [compressor.compress(b"\x00" + row) for row in rows]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def huge_black_png(side: int = 30_000) -> bytes:
    """A real, valid 1-bit PNG of side × side pixels (it compresses to about 100 KB)."""
    row = bytes((side + 7) // 8)
    return png_bytes(side, side, 1, 0, (row for _ in range(side)))


def rgb16_png(width: int = 400, height: int = 300) -> bytes:
    """A 16-bit-per-channel RGB PNG: red rising left to right, blue top to bottom."""
    red = np.linspace(0, 65535, width).astype(">u2")
    rows = []
    for line in range(height):
        pixels = np.zeros((width, 3), ">u2")
        pixels[:, 0] = red
        pixels[:, 2] = round(65535 * line / (height - 1))
        rows.append(pixels.tobytes())
    return png_bytes(width, height, 16, 2, rows)


# Sound


def speech_wav(path: Path, text: str, voice: str = "en") -> Path:
    """Real synthetic speech by espeak-ng (22.05 kHz mono WAV)."""
    if shutil.which(ESPEAK) is None:
        raise RuntimeError("espeak-ng is not installed: apt-get install espeak-ng")
    subprocess.run([ESPEAK, "-v", voice, "-w", str(path), text], check=True, timeout=30)
    return path


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """`samples` (floats in -1…1, mono) as a 16-bit WAV file."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return path


def tone(seconds: float, frequency: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return level * np.sin(2 * np.pi * frequency * t)


def white_noise(seconds: float, level: float = 0.2, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, level, int(seconds * SAMPLE_RATE))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE))


def encode_audio(source: Path, path: Path, codec: str, container: str) -> Path:
    """Re-encode a sound file (e.g. espeak's WAV) with PyAV: mp3/aac/vorbis/opus, mono."""
    rate = {"libopus": 48_000, "opus": 48_000}.get(codec, 44_100)
    with av.open(str(source)) as inp, av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(
            format=stream.codec_context.codec.audio_formats[0].name, layout="mono", rate=rate
        )
        for frame in [*inp.decode(audio=0), None]:
            for chunk in resampler.resample(frame):
                chunk.pts = None
                for packet in stream.encode(chunk):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


# Video


def video(
    path: Path,
    seconds: float,
    size: tuple[int, int] = (1280, 720),
    fps: int = 30,
    sound: Path | None = None,
    gop: int | None = None,
    bit_rate: int | None = None,
    preset: str = "ultrafast",
    codec: str = "libx264",
    moving: bool = True,
    blurred: Callable[[int], bool] = lambda index: False,
) -> Path:
    """An H.264 MP4 of a moving, textured scene with a square crossing it; `sound` muxed as AAC.

    `gop` is the distance between key frames (phones: one a second); None leaves x264's default.
    `moving=False` makes every frame the same picture; frames for which `blurred(index)` is true
    are smeared (as by camera shake).
    """
    width, height = size
    frames = round(seconds * fps)
    rng = np.random.default_rng(7)
    span = (width + 4 * frames, height + 2 * frames)
    blobs = rng.integers(0, 256, (max(2, span[1] // 48), max(2, span[0] // 48), 3), np.uint8)
    luma = _plane(blobs[..., 0] // 4 * 3 + 16, span)  # headroom for the grain
    blue, red = (_plane(blobs[..., c] // 2 + 64, (span[0] // 2, span[1] // 2)) for c in (1, 2))
    grain = [rng.integers(0, 12, (height, width), dtype=np.uint8) for _ in range(4)]
    options = {"preset": preset}
    if gop is not None:
        options |= {"g": str(gop), "keyint_min": str(gop), "sc_threshold": "0"}
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream(codec, rate=fps, options=options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if bit_rate:
            stream.bit_rate = bit_rate
        audio = out.add_stream("aac", rate=SAMPLE_RATE, layout="mono") if sound else None
        for index in range(frames):
            at = index if moving else 0
            y = luma[2 * at : 2 * at + height, 4 * at : 4 * at + width] + grain[at % 4]
            u = blue[at : at + height // 2, 2 * at : 2 * at + width // 2].copy()
            v = red[at : at + height // 2, 2 * at : 2 * at + width // 2].copy()
            side = height // 5 // 2 * 2
            top, left = height // 3 // 2 * 2, int((width - side) * at / max(1, frames - 1)) // 2 * 2
            for plane, value, scale in ((y, 210, 1), (u, 16, 2), (v, 146, 2)):  # a yellow square
                plane[
                    top // scale : (top + side) // scale, left // scale : (left + side) // scale
                ] = value
            if blurred(index):
                y, u, v = (_smeared(plane) for plane in (y, u, v))
            planes = np.concatenate([y, u.reshape(-1, width), v.reshape(-1, width)])
            frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
        if audio is not None and sound is not None:
            _mux_sound(out, audio, sound)
    return path


def _plane(values: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(values).resize(size, Image.Resampling.BICUBIC))


def _smeared(plane: np.ndarray) -> np.ndarray:
    small = Image.fromarray(plane).reduce(8)
    return np.asarray(small.resize((plane.shape[1], plane.shape[0]), Image.Resampling.BILINEAR))


def _mux_sound(out: av.container.OutputContainer, stream: av.AudioStream, sound: Path) -> None:
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
    with av.open(str(sound)) as inp:
        for frame in [*inp.decode(audio=0), None]:
            for chunk in resampler.resample(frame):
                chunk.pts = None
                for packet in stream.encode(chunk):
                    out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def claim_duration(data: bytes, seconds: float) -> bytes:
    """An MP4 whose headers (mvhd, tkhd, mdhd) claim `seconds`, its samples left as they are."""
    patched = bytearray(data)
    movie_scale = None
    for box in (b"mvhd", b"tkhd", b"mdhd"):
        start = 0
        while (at := patched.find(box, start)) != -1:
            start = at + 4
            body = at + 4
            version = patched[body]
            if box == b"tkhd":
                scale = movie_scale
                offset = body + (32 if version else 20)
            else:
                offset = body + (24 if version else 16)
                scale = struct.unpack(">I", patched[offset - 4 : offset])[0]
                if box == b"mvhd":
                    movie_scale = scale
            size = 8 if version else 4
            value = round(seconds * scale)
            patched[offset : offset + size] = value.to_bytes(size, "big")
    return bytes(patched)


def without_sound(source: Path, path: Path) -> Path:
    """`source`'s video stream alone, copied into a new MP4 (no re-encoding)."""
    return remux(source, path, audio=False)


def remux(source: Path, path: Path, audio: bool = True, faststart: bool = False) -> Path:
    """`source`'s packets copied into a new MP4, optionally its index (moov) first."""
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(source)) as inp, av.open(str(path), "w", format="mp4", options=options) as out:
        streams = {}
        for stream in [*inp.streams.video, *(inp.streams.audio if audio else [])]:
            streams[stream.index] = out.add_stream_from_template(stream)
        for packet in inp.demux(*[inp.streams[i] for i in streams]):
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)
    return path


def rotate_display(data: bytes, degrees: int) -> bytes:
    """An MP4 whose first track is shown turned by `degrees` (90: clockwise, as phones do)."""
    turns = {
        90: (0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30),
        -90: (0, -65536, 0, 65536, 0, 0, 0, 0, 1 << 30),
        180: (-65536, 0, 0, 0, -65536, 0, 0, 0, 1 << 30),
    }
    patched = bytearray(data)
    at = patched.find(b"tkhd") + 4
    matrix = at + 4 + (32 if patched[at] else 20) + 16
    patched[matrix : matrix + 36] = struct.pack(">9i", *turns[degrees])
    return bytes(patched)
