"""Requests, input pictures and decoded frames for the animatic renderer's tests, and their
`inputs` and `output` fixtures (a pytest plugin: see conftest.py)."""

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

FPS = 24
RED = (220, 20, 20)
BLUE = (20, 40, 220)
GREEN = (20, 200, 40)


def shot(index: int, duration: int = 1, **fields) -> dict:
    return {
        "index": index,
        "start": 0.0,  # not used by the renderer; durations add up
        "duration": duration,
        "shot_size": "wide",
        "camera_angle": "eye_level",
        "camera_movement": "static",
        "text": f"Shot {index}: the detective stops at the door and listens.",
        "lettering": "",
        "transition": "cut",
        "sound_notes": "",
        "picture": None,
        "dialogue": [],
        **fields,
    }


def request(shots: list[dict], width: int = 320, height: int = 180, **fields) -> dict:
    return {
        "provider": "animatic",
        "seconds": sum(s["duration"] for s in shots),
        "cost": 0,
        "width": width,
        "height": height,
        "fps": FPS,
        "audio": True,
        "first_frame": None,
        "end_frame": None,
        "shots": shots,
        **fields,
    }


def picture(inputs: Path, name: str, colour: tuple[int, int, int], size=(400, 300)) -> dict:
    inputs.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(inputs / name)
    return {"$file": name}


def target_picture(inputs: Path) -> dict:
    """Green, with a blue block over the middle: a wide frame shows green corners, a close-up
    (which crops towards the centre and the upper third) shows only blue."""
    inputs.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (800, 450), GREEN)
    image.paste(BLUE, (160, 45, 640, 405))
    image.save(inputs / "target.png")
    return {"$file": "target.png"}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    directory = tmp_path / "inputs"
    directory.mkdir()
    return directory


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "out" / "video.mp4"


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def share_of(frame: np.ndarray, colour: tuple[int, int, int], tolerance: int = 50) -> float:
    """The fraction of pixels within `tolerance` of `colour` on every channel."""
    close = np.abs(frame.astype(int) - np.array(colour)).max(axis=2) <= tolerance
    return float(close.mean())


def line(text: str, language: str = "en", speaker: str = "Mara", voice: int = 0, **fields) -> dict:
    return {
        "speaker": speaker,
        "text": text,
        "language": language,
        "delivery": "",
        "accent": "",
        "voice": voice,
        "voice_over": False,
        **fields,
    }


def audio_of(path: Path) -> tuple[np.ndarray, int]:
    """The soundtrack as mono float samples, and its sample rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray().mean(axis=0) for frame in container.decode(stream)]
        return np.concatenate(chunks).astype(np.float32), stream.rate


def loudness_per_frame(path: Path, fps: int = FPS) -> np.ndarray:
    """The RMS level of the soundtrack during each video frame."""
    samples, rate = audio_of(path)
    per_frame = rate // fps
    count = len(samples) // per_frame
    windows = samples[: count * per_frame].reshape(count, per_frame)
    return np.sqrt((windows**2).mean(axis=1))


def striped_picture(inputs: Path, name: str = "stripe.png", vertical: bool = True) -> dict:
    """White with one black stripe through the middle: where it is tells where the picture is."""
    image = Image.new("RGB", (1600, 900), (255, 255, 255))
    box = (780, 0, 820, 900) if vertical else (0, 430, 1600, 470)
    image.paste((0, 0, 0), box)
    image.save(inputs / name)
    return {"$file": name}


def stripe_position(frame: np.ndarray, vertical: bool = True) -> float:
    """The column (or row) where the dark stripe of `striped_picture` is, in pixels."""
    darkness = 255 - frame.mean(axis=2)
    profile = darkness.mean(axis=0 if vertical else 1)
    return float(np.argmax(profile))


def textured_picture(inputs: Path, name: str = "texture.png", seed: int = 1) -> dict:
    """Random blocks of colour: every camera move shows in it."""
    blocks = np.random.default_rng(seed).integers(0, 256, (9, 16, 3), dtype=np.uint8)
    Image.fromarray(blocks).resize((1600, 900), Image.Resampling.BILINEAR).save(inputs / name)
    return {"$file": name}
