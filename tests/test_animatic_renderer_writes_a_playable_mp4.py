"""The built-in animatic renderer writes a real, playable MP4 from a compiled request.

Pure: no database. Input pictures are made here with Pillow; outputs are read back with PyAV.
Sizes are small and sequences a few seconds long so the whole file runs in seconds.
"""

import importlib
import struct
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from animatic import RenderCanceled, RenderError, RenderResult, render
from tests.animatic_helpers import (
    BLUE,
    FPS,
    GREEN,
    RED,
    frames_of,
    picture,
    request,
    share_of,
    shot,
    target_picture,
)

# The module, not the function `animatic.render` that the package exports under its name.
render_module = importlib.import_module("animatic.render")


def top_level_boxes(path: Path) -> list[str]:
    boxes = []
    with path.open("rb") as file:
        while header := file.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:  # a 64-bit size follows the type
                size = struct.unpack(">Q", file.read(8))[0]
                file.seek(size - 16, 1)
            elif size == 0:  # the box runs to the end of the file
                boxes.append(kind.decode())
                break
            else:
                file.seek(size - 8, 1)
            boxes.append(kind.decode())
    return boxes


@pytest.mark.parametrize(("width", "height"), [(320, 180), (180, 320), (240, 240)])
def test_output_is_h264_yuv420p_with_aac_at_the_requested_size(inputs, output, width, height):
    shots = [shot(1, 2), shot(2, 1, picture=picture(inputs, "red.png", RED))]
    result = render(request(shots, width, height), inputs, output)

    with av.open(str(output)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        assert video.codec_context.name == "h264"
        assert video.codec_context.pix_fmt == "yuv420p"
        assert (video.codec_context.width, video.codec_context.height) == (width, height)
        assert video.average_rate == FPS
        assert audio.codec_context.name == "aac"
        assert float(video.duration * video.time_base) == pytest.approx(3.0)
        assert container.duration / av.time_base == pytest.approx(3.0, abs=1 / FPS)
        assert sum(1 for _ in container.decode(video=0)) == 3 * FPS
    assert result == RenderResult(
        duration=3.0,
        width=width,
        height=height,
        has_audio=True,
        poster=output.with_name("poster.jpg"),
        thumbnails=[output.with_name("shot-1.jpg"), output.with_name("shot-2.jpg")],
    )


def test_no_audio_track_is_written_when_audio_is_off(inputs, output):
    result = render(request([shot(1, 1)], audio=False), inputs, output)

    with av.open(str(output)) as container:
        assert not container.streams.audio
    assert result.has_audio is False


def test_frame_count_is_the_sum_of_the_shots_times_the_frame_rate(inputs, output):
    shots = [shot(1, 2), shot(2, 1), shot(3, 2)]

    render(request(shots, audio=False), inputs, output)

    assert len(frames_of(output)) == 5 * FPS


def test_the_index_comes_before_the_media_for_fast_start(inputs, output):
    render(request([shot(1, 1)]), inputs, output)

    boxes = top_level_boxes(output)
    assert boxes[0] == "ftyp"
    assert boxes.index("moov") < boxes.index("mdat")


def test_a_shot_picture_fills_its_shot_and_card_shots_are_not_pictures(inputs, output):
    shots = [shot(1, 1), shot(2, 1, picture=picture(inputs, "red.png", RED)), shot(3, 1)]

    render(request(shots), inputs, output)
    frames = frames_of(output)

    assert share_of(frames[FPS + FPS // 2], RED) > 0.9
    assert share_of(frames[FPS // 2], RED) < 0.05
    assert share_of(frames[2 * FPS + FPS // 2], RED) < 0.05


def test_a_close_up_crops_tighter_than_a_wide_frame(inputs, output):
    target = target_picture(inputs)
    shots = [
        shot(1, 1, picture=target, shot_size="wide"),
        shot(2, 1, picture=target, shot_size="close_up"),
    ]

    render(request(shots, 320, 180), inputs, output)
    frames = frames_of(output)
    wide, close_up = frames[FPS // 2], frames[FPS + FPS // 2]

    assert share_of(wide[-10:, -10:], GREEN) > 0.9  # the corners of the whole picture
    assert share_of(wide, BLUE) < 0.7
    assert share_of(close_up, BLUE) > 0.95


def test_the_first_frame_opens_and_the_end_frame_closes_the_sequence(inputs, output):
    first = picture(inputs, "first.png", RED)
    end = picture(inputs, "end.png", BLUE)

    render(request([shot(1, 1), shot(2, 2)], first_frame=first, end_frame=end), inputs, output)
    frames = frames_of(output)

    assert share_of(frames[0], RED) > 0.9
    assert share_of(frames[FPS + FPS // 2], BLUE) < 0.05  # shot 2 starts on its card
    assert share_of(frames[-1], BLUE) > 0.9


def test_cancelling_raises_and_leaves_no_file(inputs, output, monkeypatch):
    monkeypatch.setattr(render_module, "CANCEL_CHECK_SECONDS", 0.0)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 30  # mid-encode: the sequence has 72 frames

    with pytest.raises(RenderCanceled):
        render(request([shot(1, 3)]), inputs, output, cancelled=cancelled)

    assert len(asked) == 31
    assert list(output.parent.iterdir()) == []


def test_cancel_is_asked_at_most_about_twice_a_second(inputs, output):
    asked: list[int] = []

    render(request([shot(1, 2)]), inputs, output, cancelled=lambda: bool(asked.append(1)))

    assert 1 <= len(asked) <= 3  # a render of well under a second


def test_a_missing_input_raises_render_error_and_leaves_no_file(inputs, output):
    shots = [shot(1, 1), shot(2, 1, picture={"$file": "gone.png"})]

    with pytest.raises(RenderError, match="gone.png"):
        render(request(shots), inputs, output)

    assert not output.exists()
    assert not output.parent.exists() or list(output.parent.iterdir()) == []


def test_an_unreadable_input_raises_render_error_and_keeps_the_earlier_output(inputs, output):
    render(request([shot(1, 1)]), inputs, output)
    before = output.read_bytes()
    (inputs / "broken.png").write_bytes(b"not a picture at all")
    shots = [shot(1, 1), shot(2, 1, picture={"$file": "broken.png"})]

    with pytest.raises(RenderError, match="broken.png"):
        render(request(shots), inputs, output)

    assert output.read_bytes() == before
    assert sorted(path.name for path in output.parent.iterdir()) == [
        "poster.jpg",
        "shot-1.jpg",
        "video.mp4",
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"width": 321},
        {"seconds": 9},
        {"shots": []},
        {"first_frame": {"$file": "../outside.png"}},
    ],
)
def test_a_bad_request_raises_render_error(inputs, output, bad):
    with pytest.raises(RenderError):
        render(request([shot(1, 1)]) | bad, inputs, output)
    assert not output.exists()


def test_progress_rises_to_one(inputs, output):
    reported: list[float] = []

    render(request([shot(1, 2), shot(2, 2)]), inputs, output, progress=reported.append)

    assert reported[0] == 0.0
    assert reported[-1] == 1.0
    assert reported == sorted(set(reported))


def test_poster_and_one_thumbnail_per_shot_are_written_beside_the_video(inputs, output):
    shots = [shot(1, 2), shot(2, 1, picture=picture(inputs, "red.png", RED)), shot(3, 1)]

    result = render(request(shots, 640, 360), inputs, output)

    with Image.open(result.poster) as poster:
        assert (poster.format, poster.size) == ("JPEG", (640, 360))
    assert [path.name for path in result.thumbnails] == ["shot-1.jpg", "shot-2.jpg", "shot-3.jpg"]
    for path in result.thumbnails:
        with Image.open(path) as thumbnail:
            assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 180))
    with Image.open(result.thumbnails[1]) as red:
        assert share_of(np.asarray(red.convert("RGB")), RED) > 0.9
