"""The animatic shows and speaks the storyboard: decoded, the video lasts its shots to the frame,
cuts where shots change, moves its camera, blends its transitions, speaks each line where it sits
and subtitles it while it is spoken.

Pure: no database. Frames and sound are read back from the MP4 with PyAV.
"""

import itertools

import av
import numpy as np
import pytest
from PIL import Image

from animatic import render
from script.voices import LINE_LEAD_SECONDS
from tests.animatic_helpers import (
    BLUE,
    FPS,
    GREEN,
    RED,
    frames_of,
    line,
    loudness_per_frame,
    picture,
    request,
    share_of,
    shot,
    stripe_position,
    striped_picture,
    target_picture,
    textured_picture,
)

# RMS levels: speech is far above SPOKEN, AAC's rounding noise in silence far below SILENT.
SPOKEN = 0.02
SILENT = 0.002
ALL_MOVEMENTS = (
    "static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down", "orbit",
    "tracking", "crane_up", "crane_down", "handheld", "zoom_in", "zoom_out",
)  # fmt: skip


def test_the_video_lasts_its_shots_to_the_frame_at_the_asked_rate_and_size(inputs, output):
    texture = textured_picture(inputs)
    shots = [
        shot(1, 2, picture=texture, camera_movement="push_in", transition="fade"),
        shot(2, 1, camera_movement="pan_left", transition="dissolve"),
        shot(3, 3, picture=texture, camera_movement="handheld", transition="wipe",
             dialogue=[line("We should not be here.")]),
    ]  # fmt: skip

    result = render(request(shots, 320, 180), inputs, output)

    with av.open(str(output)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.average_rate == FPS
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        frames = sum(1 for _ in container.decode(video))
        assert frames == 6 * FPS
        assert abs(float(video.duration * video.time_base) - 6) < 1 / FPS
        assert abs(float(audio.duration * audio.time_base) - 6) < 1 / FPS
    assert result.duration == 6


def test_there_is_speech_where_a_shot_has_dialogue_and_silence_where_it_has_none(inputs, output):
    shots = [shot(1, 2, dialogue=[line("Hold the rope.")]), shot(2, 2)]

    render(request(shots), inputs, output)
    loudness = loudness_per_frame(output)

    assert loudness[: 2 * FPS].max() > 5 * SPOKEN
    assert loudness[2 * FPS + 2 :].max() < SILENT  # after the AAC frame that straddles the cut


def test_a_cut_shows_as_a_jump_in_the_picture_at_each_shot_boundary(inputs, output):
    shots = [
        shot(1, 2, picture=textured_picture(inputs, "a.png", seed=1), camera_movement="push_in"),
        shot(2, 3, picture=textured_picture(inputs, "b.png", seed=2), camera_movement="pan_right"),
        shot(3, 2, camera_movement="handheld"),  # a card
        shot(4, 1, picture=picture(inputs, "red.png", RED), camera_movement="orbit"),
    ]

    render(request(shots), inputs, output)
    frames = np.array(frames_of(output), dtype=np.float32)
    change = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3))  # change[i]: frame i -> i + 1

    for boundary in [2 * FPS - 1, 5 * FPS - 1, 7 * FPS - 1]:
        around = np.r_[change[boundary - 6 : boundary], change[boundary + 1 : boundary + 7]]
        assert change[boundary] > 3 * around.max()


def test_subtitles_show_in_the_lower_third_while_each_line_is_spoken(inputs, output):
    lines = [line("We should not be here."), line("Then why did you come?", speaker="Leo", voice=1)]
    shots = [shot(1, 5, picture=picture(inputs, "red.png", RED), dialogue=lines)]

    render(request(shots), inputs, output)
    frames = frames_of(output)
    loudness = loudness_per_frame(output)
    subtitled = np.array([share_of(frame[120:], RED) < 0.97 for frame in frames])
    speaking = loudness > SPOKEN

    lead = round(LINE_LEAD_SECONDS * FPS)
    assert not subtitled[: lead - 1].any()
    assert not speaking[: lead - 1].any()
    # While a line is heard its subtitle is up (one frame of slack for the AAC delay).
    heard = np.flatnonzero(speaking)
    assert subtitled[heard[(heard > lead) & (heard < len(frames) - 1)]].all()
    assert all(share_of(frame[:100], RED) > 0.9 for frame in frames)  # only the lower third
    # Two lines, two subtitles: the text changes between the middle of each line.
    # The pauses between words are short, the one between lines (LINE_GAP_SECONDS) is not.
    in_line = np.convolve(speaking, np.ones(5), "same") > 0
    runs = [list(run) for _, run in itertools.groupby(range(len(frames)), in_line.__getitem__)]
    spoken = [run for run in runs if in_line[run[0]]]
    assert len(spoken) == 2
    first, second = (frames[run[len(run) // 2]] for run in spoken)
    assert not np.array_equal(first[120:], second[120:])


@pytest.mark.parametrize(
    ("movement", "grows"), [("push_in", True), ("zoom_in", True), ("pull_out", False)]
)
def test_a_push_in_grows_the_subject_and_a_pull_out_shrinks_it(inputs, output, movement, grows):
    shots = [shot(1, 2, picture=target_picture(inputs), camera_movement=movement)]

    render(request(shots), inputs, output)
    blue = [share_of(frame, BLUE) for frame in frames_of(output)]

    steps = np.diff(blue) if grows else -np.diff(blue)
    assert (steps > -0.01).all()  # steadily, never back
    assert (blue[-1] - blue[0] if grows else blue[0] - blue[-1]) > 0.15


@pytest.mark.parametrize(
    ("movement", "vertical", "direction"),
    [
        ("pan_left", True, 1),
        ("pan_right", True, -1),
        ("tilt_up", False, 1),
        ("tilt_down", False, -1),
    ],
)
def test_a_pan_moves_the_picture_sideways_and_a_tilt_up_and_down(
    inputs, output, movement, vertical, direction
):
    """Turning the camera left moves what it sees to the right of the frame, and so on."""
    shots = [
        shot(1, 2, picture=striped_picture(inputs, vertical=vertical), camera_movement=movement)
    ]

    render(request(shots), inputs, output)
    positions = [stripe_position(frame, vertical) for frame in frames_of(output)]

    assert direction * (positions[-1] - positions[0]) > 30
    assert (direction * np.diff(positions) >= -3).all()  # steadily (give or take rounding)


def test_each_camera_movement_moves_the_picture_its_own_way(inputs, output):
    texture = textured_picture(inputs)
    shots = [
        shot(number, 1, picture=texture, camera_movement=movement)
        for number, movement in enumerate(ALL_MOVEMENTS, start=1)
    ]

    render(request(shots, 160, 90), inputs, output)
    frames = np.array(frames_of(output), dtype=np.float32)
    clips = {movement: frames[i * FPS : (i + 1) * FPS] for i, movement in enumerate(ALL_MOVEMENTS)}
    # What each move does to the picture from its first frame on, without the shot badge.
    motion = {name: (clip - clip[0])[:, 20:, 30:] for name, clip in clips.items()}

    assert np.abs(motion["static"]).mean() < 0.5  # (x264 may refine a still picture a little)
    for one, other in itertools.combinations(ALL_MOVEMENTS, 2):
        assert np.abs(motion[one] - motion[other]).mean() > 2, (one, other)


@pytest.mark.parametrize("transition", ["dissolve", "fade", "wipe"])
def test_a_transition_blends_the_shot_in_where_a_cut_would_jump(inputs, output, transition):
    shots = [
        shot(1, 1, picture=picture(inputs, "red.png", RED)),
        shot(2, 1, picture=picture(inputs, "blue.png", BLUE), transition=transition),
    ]

    render(request(shots), inputs, output)
    middle = frames_of(output)[FPS + 5]  # about halfway through the 12-frame transition

    if transition == "dissolve":
        assert share_of(middle, RED) < 0.1
        assert share_of(middle, BLUE) < 0.1
        assert share_of(middle, ((RED[0] + BLUE[0]) // 2, 30, (RED[2] + BLUE[2]) // 2)) > 0.8
    elif transition == "fade":
        assert middle.mean() < 20  # through black
    else:
        assert share_of(middle[:, :120], BLUE) > 0.9
        assert share_of(middle[:, 200:], RED) > 0.9


def test_a_shot_opens_on_its_transition_and_the_shot_before_ends_untouched(inputs, output):
    shots = [
        shot(1, 1, picture=picture(inputs, "red.png", RED)),
        shot(2, 1, picture=picture(inputs, "blue.png", BLUE), transition="dissolve"),
    ]

    render(request(shots), inputs, output)
    frames = frames_of(output)

    assert share_of(frames[FPS - 1], RED) > 0.9
    blue_before, blue_first = frames[FPS - 1][..., 2].mean(), frames[FPS][..., 2].mean()
    assert blue_before + 5 < blue_first < BLUE[2] / 2  # the first frame has begun to dissolve
    assert share_of(frames[-1], BLUE) > 0.9


def test_a_subject_stands_in_front_of_its_scene(inputs, output):
    subject = picture(inputs, "hero.png", BLUE, size=(300, 600))
    scene = picture(inputs, "street.png", GREEN, size=(1600, 900))

    render(request([shot(1, 1, picture=subject, scene=scene)]), inputs, output)
    frame = frames_of(output)[FPS // 2]

    assert share_of(frame[60:, 150:170], BLUE) > 0.9  # the figure in the middle
    assert share_of(frame[:, :60], GREEN) > 0.9  # the place on either side
    assert share_of(frame[:, -60:], GREEN) > 0.9


def test_a_portrait_alone_is_shown_whole_over_a_backdrop_not_cropped_to_a_strip(inputs, output):
    portrait = Image.new("RGB", (300, 600), GREEN)
    portrait.paste(RED, (0, 0, 300, 150))  # a head on a body
    portrait.save(inputs / "portrait.png")

    render(request([shot(1, 1, picture={"$file": "portrait.png"})]), inputs, output)
    frame = frames_of(output)[FPS // 2]

    assert share_of(frame[:, 130:190], RED) > 0.1  # the head is in the frame
    assert share_of(frame[:, 130:190], GREEN) > 0.4  # and so is the body


@pytest.mark.parametrize("lettering", ["OPEN 24 HOURS", "東京ラーメン", "서울 커피", "¡Oferta!"])
def test_a_shots_lettering_is_drawn_near_the_top_of_its_picture(inputs, output, lettering):
    red = picture(inputs, "red.png", RED)
    shots = [shot(1, 1, picture=red), shot(2, 1, picture=red, lettering=lettering)]

    render(request(shots), inputs, output)
    frames = frames_of(output)
    plain, lettered = frames[FPS // 2], frames[FPS + FPS // 2]

    sign = lettered[10:50]
    assert share_of(plain[10:50], RED) > 0.95
    assert share_of(sign, (250, 248, 240), tolerance=45) > 0.05  # a light plate
    assert share_of(sign, (24, 24, 28), tolerance=60) > 0.01  # with dark letters on it
    assert share_of(lettered[120:], RED) > 0.95  # the lower third is left to subtitles


def test_a_line_in_each_of_the_five_languages_is_heard_in_its_own_shot(inputs, output):
    said = {
        "en": "Hold the rope.",
        "es": "Sujeta la cuerda.",
        "zh": "抓住绳子。",
        "ja": "ロープを持って。",
        "ko": "밧줄을 잡아.",
    }
    shots = [
        shot(number, 2, dialogue=[line(text, language, speaker=language, voice=number - 1)])
        for number, (language, text) in enumerate(said.items(), start=1)
    ]

    render(request(shots), inputs, output)
    loudness = loudness_per_frame(output)

    for position, language in enumerate(said):
        heard = loudness[position * 2 * FPS : (position + 1) * 2 * FPS]
        assert heard.max() > 5 * SPOKEN, language
