"""check_video, key_frames and sound_track on real clips made here with PyAV and espeak-ng.

Pure: no database. Clips are made once per module (small where the rule allows it, 720p where
the picture must pass) in a temporary directory.
"""

import io
import wave
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from media import (
    CheckedVideo,
    MediaRejected,
    check_video,
    check_voice,
    key_frames,
    sound_track,
)
from media import video as media_video
from tests import media_samples as samples

SPEECH = "Hello, my name is Mara. I keep the lighthouse on the northern cape."
SMALL = (320, 180)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Callable[..., Path]:
    """`clip(name, seconds, **options)`: a video made once per module and options."""
    folder = tmp_path_factory.mktemp("clips")
    made: dict[str, Path] = {}

    def make(name: str, seconds: float = 3, **options) -> Path:
        if name not in made:
            made[name] = samples.video(folder / f"{name}.mp4", seconds, **options)
        return made[name]

    return make


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    return samples.speech_wav(tmp_path_factory.mktemp("speech") / "en.wav", SPEECH)


@pytest.fixture(scope="module")
def talking(clip, speech) -> Path:
    """5 s of 720p H.264 with English speech as AAC: the good case."""
    return clip("talking", 5, sound=speech)


def refused(path: Path) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        check_video(str(path))
    return caught.value


def sharpness(picture: Image.Image | np.ndarray) -> float:
    grey = np.asarray(
        picture.convert("L") if isinstance(picture, Image.Image) else picture, np.float32
    )
    laplacian = (
        4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:]
    )
    return float(laplacian.var())


def decoded(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content)).convert("RGB")


# The good case


def test_a_5_s_720p_clip_with_speech_is_measured_from_its_frames(talking):
    assert check_video(str(talking)) == CheckedVideo(5.0, 1280, 720, 30.0, "h264", True)


@pytest.mark.parametrize("count", [3, 4, 5])
def test_key_frames_are_count_distinct_jpegs_of_the_clip(talking, count):
    frames = key_frames(str(talking), count)

    assert len(frames) == count
    assert {(f.extension, f.width, f.height) for f in frames} == {("jpg", 1280, 720)}
    greys = [np.asarray(decoded(f.content).convert("L"), np.float32) for f in frames]
    for earlier, later in zip(greys, greys[1:], strict=False):
        assert np.abs(earlier - later).mean() > media_video.SAME_PICTURE_DIFFERENCE


def test_the_sound_track_is_a_wav_that_passes_as_a_voice(talking):
    path = sound_track(str(talking))
    try:
        with wave.open(path) as wav:
            assert (wav.getnchannels(), wav.getframerate()) == (1, media_video.SOUND_TRACK_RATE)
        voice = check_voice(path)
    finally:
        Path(path).unlink()

    assert voice.speech_seconds >= 1.5
    assert 3 < voice.duration < 5.5


def test_a_clip_without_sound_has_no_sound_track(talking, tmp_path):
    mute = samples.without_sound(talking, tmp_path / "mute.mp4")

    assert check_video(str(mute)).has_audio is False
    assert sound_track(str(mute)) is None


def test_the_file_name_plays_no_part(talking, tmp_path):
    renamed = tmp_path / "holiday.png"
    renamed.write_bytes(talking.read_bytes())

    assert check_video(str(renamed)).duration == 5.0


def test_a_portrait_phone_clip_is_accepted_upright(clip):
    assert check_video(str(clip("portrait", size=(720, 1280)))).height == 1280


def test_a_clip_turned_by_its_display_matrix_is_measured_and_framed_upright(talking, tmp_path):
    turned = tmp_path / "turned.mp4"
    turned.write_bytes(samples.rotate_display(talking.read_bytes(), 90))

    checked = check_video(str(turned))
    upright = key_frames(str(turned), 3)
    lying = key_frames(str(talking), 3)

    assert (checked.width, checked.height) == (720, 1280)
    for stood, lay in zip(upright, lying, strict=True):
        assert (stood.width, stood.height) == (720, 1280)
        turned_by_hand = decoded(lay.content).transpose(Image.Transpose.ROTATE_270)
        difference = np.abs(
            np.asarray(decoded(stood.content), np.float32) - np.asarray(turned_by_hand, np.float32)
        )
        assert difference.mean() < 3


def test_a_header_claiming_a_minute_does_not_change_the_decoded_length(talking, tmp_path):
    liar = tmp_path / "liar.mp4"
    liar.write_bytes(samples.claim_duration(talking.read_bytes(), 60.0))

    assert check_video(str(liar)).duration == 5.0


# Key frames


def test_key_frames_are_the_sharp_ones_when_most_frames_are_shaken(clip):
    sharp_every = 8
    shaken = clip(
        "shaken",
        3,
        fps=24,
        preset="superfast",  # ultrafast leaves out the deblocking filter: blocks look sharp
        bit_rate=8_000_000,
        blurred=lambda index: index % sharp_every != sharp_every // 2,
    )
    with av.open(str(shaken)) as container:
        blurred = [
            sharpness(frame.to_ndarray(format="gray"))
            for index, frame in enumerate(container.decode(video=0))
            if index % sharp_every != sharp_every // 2
        ]

    frames = key_frames(str(shaken), 3)

    assert len(frames) == 3
    for frame in frames:
        assert sharpness(decoded(frame.content)) > 3 * max(blurred)


def test_a_still_shot_gives_only_the_three_frames_asked_at_least(clip):
    still = clip("still", 3, size=(1280, 720), moving=False)

    assert len(key_frames(str(still), 5)) == 3


def test_a_clip_with_a_key_frame_a_second_decodes_only_its_key_frames(clip, monkeypatch):
    phone_like = clip("phone", 6, size=(1280, 720), gop=15)
    modes = []
    sharpest = media_video._sharpest

    def spy(container, stream, segment, count, only_keys):
        modes.append(only_keys)
        return sharpest(container, stream, segment, count, only_keys)

    monkeypatch.setattr(media_video, "_sharpest", spy)

    frames = key_frames(str(phone_like), 3)

    assert modes == [True]
    assert len(frames) == 3


@pytest.mark.parametrize("count", [0, 2, 6])
def test_a_key_frame_count_outside_3_to_5_is_a_programming_error(talking, count):
    with pytest.raises(ValueError, match="count"):
        key_frames(str(talking), count)


# Refused: the test corpus


def test_a_2_s_clip_is_refused_with_its_length(clip):
    rejection = refused(clip("short", 2, size=SMALL))

    assert rejection.status == 400
    assert rejection.message == "The video is 2.0 s long; a reference video must be 3 to 8 s."


def test_a_12_s_clip_is_refused_with_its_length(clip):
    rejection = refused(clip("long", 12, size=SMALL))

    assert rejection.status == 400
    assert rejection.message == "The video is 12.0 s long; a reference video must be 3 to 8 s."


def test_a_clip_cut_short_says_how_much_of_it_decodes(clip, tmp_path):
    whole = samples.remux(clip("whole", 12, size=SMALL, gop=30), tmp_path / "f.mp4", faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.4)])

    rejection = refused(cut)

    assert rejection.status == 400
    assert "damaged or cut short: only " in rejection.message
    assert "of its 12.0 s decode" in rejection.message


def test_a_png_declared_as_mp4_is_not_a_video(tmp_path):
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(samples.photo((640, 360), "PNG"))

    rejection = refused(fake)

    assert rejection.status == 415
    assert rejection.message == "This is a PNG image, not an MP4 or MOV video."


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty; upload an MP4 or MOV video."),
        (b"Just some notes.\n" * 30, "This is a text file, not an MP4 or MOV video."),
        (
            b"#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n",
            "This is a text file, not an MP4 or MOV video.",
        ),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, "The file is not a readable MP4 or MOV"),
    ],
    ids=["zero bytes", "text", "an HLS playlist", "an MP4 header and nothing else"],
)
def test_what_is_not_a_video_is_refused_as_the_wrong_type(tmp_path, content, says):
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)

    rejection = refused(path)

    assert rejection.status == 415
    assert says in rejection.message


def test_a_sound_file_is_not_a_video(speech, tmp_path):
    sound_only = samples.encode_audio(speech, tmp_path / "voice.m4a", "aac", "mp4")

    rejection = refused(sound_only)

    assert rejection.status == 415
    assert "no picture" in rejection.message


def test_a_video_in_an_old_codec_is_refused(clip):
    rejection = refused(clip("mpeg4", 3, size=(1280, 720), codec="mpeg4"))

    assert rejection.status == 415
    assert "encoded as mpeg4; upload an H.264 or HEVC video" in rejection.message


@pytest.mark.parametrize(
    ("name", "options", "says"),
    [
        ("tiny", {"size": (640, 360)}, "The video is 640×360; a reference video must be at least"),
        ("square-ish", {"size": (960, 720)}, "must be landscape 16:9 or portrait 9:16"),
        ("slow", {"size": (1280, 720), "fps": 15}, "runs at 15.0 frames a second"),
    ],
)
def test_a_clip_of_the_wrong_size_shape_or_frame_rate_is_refused(clip, name, options, says):
    rejection = refused(clip(name, 3, **options))

    assert rejection.status == 400
    assert says in rejection.message


def test_a_clip_over_the_byte_limit_is_refused_before_it_is_opened(talking, monkeypatch):
    monkeypatch.setattr(media_video, "MAX_VIDEO_BYTES", 100_000)
    monkeypatch.setattr(media_video, "open_media", lambda *a: pytest.fail("opened"))

    rejection = refused(talking)

    assert rejection.status == 413
    assert "the limit is 0.1 MB" in rejection.message
