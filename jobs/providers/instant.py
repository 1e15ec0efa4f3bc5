"""The `instant` provider: a stock clip at once, to measure the pipeline alone (bench/).

Pure: no Django. The clip is made once per process and length with PyAV and copied per job.
"""

import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

CLIP_WIDTH = 160
CLIP_HEIGHT = 90
CLIP_FPS = 4
_clips: dict[int, Path] = {}


def _make_clip(seconds: int, path: Path) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=CLIP_FPS)
        stream.width, stream.height, stream.pix_fmt = CLIP_WIDTH, CLIP_HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, CLIP_FPS)
        picture = np.full((CLIP_HEIGHT, CLIP_WIDTH, 3), 96, dtype=np.uint8)
        for index in range(seconds * CLIP_FPS):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def write_clip(seconds: int, destination: Path) -> None:
    """Put a stock clip of `seconds` at `destination`."""
    if seconds not in _clips:
        path = Path(tempfile.mkdtemp(prefix="instant-clip-")) / f"{seconds}.mp4"
        _make_clip(seconds, path)
        _clips[seconds] = path
    shutil.copyfile(_clips[seconds], destination)
