"""Random bytes, and real files with bytes changed or cut off, never make a media check fail
with anything but MediaRejected (status 400, 413 or 415).

Hypothesis draws either plain random bytes or a small real file (made here) with a few bytes
overwritten (mostly in its headers, where parsers decide what to do) and perhaps cut short.
"""

import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media import (
    MediaRejected,
    check_image,
    check_video,
    check_voice,
    key_frames,
    sound_track,
    thumbnail,
)
from tests import media_samples as samples

EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADER_BYTES = 512  # most changes land here


@cache
def seeds(kind: str) -> tuple[bytes, ...]:
    """Small valid files of `kind` to damage."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        if kind == "image":
            return tuple(samples.photo((400, 300), f) for f in ("JPEG", "PNG", "WEBP", "HEIF"))
        speech = samples.speech_wav(here / "speech.wav", "One, two, three, four, five, six.")
        if kind == "video":
            clip = samples.video(here / "clip.mp4", 1, size=(320, 180), sound=speech, gop=8)
            return (clip.read_bytes(),)
        mp3 = samples.encode_audio(speech, here / "speech.mp3", "libmp3lame", "mp3")
        ogg = samples.encode_audio(speech, here / "speech.ogg", "libopus", "ogg")
        return speech.read_bytes(), mp3.read_bytes(), ogg.read_bytes()


def damaged(kind: str) -> st.SearchStrategy[bytes]:
    edits = st.lists(
        st.tuples(
            st.one_of(st.integers(0, HEADER_BYTES), st.integers(0, 10**7)), st.integers(0, 255)
        ),
        min_size=1,
        max_size=8,
    )
    return st.builds(
        _damage,
        st.sampled_from(range(len(seeds(kind)))).map(lambda n: seeds(kind)[n]),
        edits,
        st.one_of(st.none(), st.floats(0, 1)),
    )


def _damage(data: bytes, edits: list[tuple[int, int]], keep: float | None) -> bytes:
    changed = bytearray(data)
    for position, value in edits:
        changed[position % len(changed)] = value
    return bytes(changed[: int(len(changed) * keep)] if keep is not None else changed)


def anything(kind: str) -> st.SearchStrategy[bytes]:
    """Random bytes or a damaged real file (made when first drawn, not when collected)."""
    return st.deferred(lambda: st.one_of(st.binary(max_size=4096), damaged(kind)))


def refuses_cleanly(call: Callable[[], object]) -> object:
    """Run `call`; a refusal must be a MediaRejected with a message and a 4xx status."""
    try:
        return call()
    except MediaRejected as caught:
        rejected = caught
    assert rejected.status in {400, 413, 415}
    assert rejected.message
    return None


def as_file(data: bytes) -> str:
    handle, path = tempfile.mkstemp(prefix="hypothesis-media-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return path


@EXAMPLES
@given(data=anything("image"))
def test_check_image_and_thumbnail_refuse_cleanly(data):
    checked = refuses_cleanly(lambda: check_image(data))
    refuses_cleanly(lambda: thumbnail(data, 128))
    if checked is not None:
        assert thumbnail(checked.content, 128)


@EXAMPLES
@given(data=anything("video"))
def test_check_video_key_frames_and_sound_track_refuse_cleanly(data):
    path = as_file(data)
    try:
        refuses_cleanly(lambda: check_video(path))
        refuses_cleanly(lambda: key_frames(path, 3))
        track = refuses_cleanly(lambda: sound_track(path))
        if track is not None:
            refuses_cleanly(lambda: check_voice(track))
            os.unlink(track)
    finally:
        os.unlink(path)


@EXAMPLES
@given(data=anything("audio"))
def test_check_voice_refuses_cleanly(data):
    path = as_file(data)
    try:
        refuses_cleanly(lambda: check_voice(path))
    finally:
        os.unlink(path)
