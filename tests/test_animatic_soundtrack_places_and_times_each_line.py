"""Where the animatic's lines fall: one after another in their shot, after a short lead, each
subtitled while it is spoken, cut off at the end of a shot too short for it, each speaker in
their own voice. Pure: the soundtrack is checked before any video is made."""

from pathlib import Path

import numpy as np
import pytest

from animatic.encode import SAMPLE_RATE
from animatic.plan import plan
from animatic.soundtrack import SUBTITLE_HOLD_SECONDS, speak
from script.voices import LINE_GAP_SECONDS, LINE_LEAD_SECONDS
from tests.animatic_helpers import FPS, line, request, shot


def soundtrack_of(shots: list[dict], inputs: Path, **fields):
    return speak(plan(request(shots, **fields), inputs))


def speech_spans(samples: np.ndarray, gap_seconds: float = 0.2) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch of sound, pauses shorter than `gap` ignored."""
    loud = np.flatnonzero(np.abs(samples[0]) > 1e-3)
    spans, start, last = [], loud[0], loud[0]
    for index in loud[1:]:
        if index - last > gap_seconds * SAMPLE_RATE:
            spans.append((start / SAMPLE_RATE, last / SAMPLE_RATE))
            start = index
        last = index
    spans.append((start / SAMPLE_RATE, last / SAMPLE_RATE))
    return spans


def test_lines_follow_one_another_after_a_lead_and_a_gap(inputs):
    lines = [line("We should not be here."), line("Then why did you come?", speaker="Leo")]

    sound = soundtrack_of([shot(1, 6, dialogue=lines)], inputs)
    (first_start, first_end), (second_start, second_end) = speech_spans(sound.samples)

    assert first_start == pytest.approx(LINE_LEAD_SECONDS, abs=0.01)
    assert second_start == pytest.approx(first_end + LINE_GAP_SECONDS, abs=0.01)
    assert second_end < 6


def test_each_subtitle_is_up_from_its_line_start_until_just_after_it_ends(inputs):
    lines = [line("We should not be here."), line("Then why did you come?", speaker="Leo")]

    sound = soundtrack_of([shot(1, 6, dialogue=lines)], inputs)
    spans = speech_spans(sound.samples)

    assert [(cue.speaker, cue.text) for cue in sound.cues] == [
        ("Mara", "We should not be here."),
        ("Leo", "Then why did you come?"),
    ]
    for cue, (start, end) in zip(sound.cues, spans, strict=True):
        assert cue.start == round(start * FPS)
        assert end * FPS <= cue.stop <= (end + SUBTITLE_HOLD_SECONDS) * FPS + 1
    assert sound.cues[0].stop <= sound.cues[1].start


def test_lines_start_in_their_own_shot(inputs):
    shots = [
        shot(1, 2, dialogue=[line("Hold the rope.")]),
        shot(2, 3),
        shot(3, 2, dialogue=[line("Now!")]),
    ]

    sound = soundtrack_of(shots, inputs)

    assert [cue.shot for cue in sound.cues] == [0, 2]
    assert sound.cues[1].start == 5 * FPS + round(LINE_LEAD_SECONDS * FPS)
    assert np.abs(sound.samples[:, 2 * SAMPLE_RATE : 5 * SAMPLE_RATE]).max() == 0


def test_a_line_too_long_for_its_shot_is_cut_at_the_cut_and_the_next_is_not_spoken(inputs):
    long_line = line("This is a very long line that cannot possibly be said in one second flat.")
    shots = [shot(1, 1, dialogue=[long_line, line("Unheard.")]), shot(2, 1)]

    sound = soundtrack_of(shots, inputs)

    assert len(sound.cues) == 1
    assert sound.cues[0].stop == FPS
    assert np.abs(sound.samples[:, SAMPLE_RATE:]).max() == 0  # nothing spills into shot 2


def test_a_voice_over_is_subtitled_with_its_mark(inputs):
    lines = [line("It began in the rain.", speaker="Narrator", voice_over=True),
             line("And it ended there.", speaker="", voice_over=True)]  # fmt: skip

    sound = soundtrack_of([shot(1, 6, dialogue=lines)], inputs)

    assert [cue.speaker for cue in sound.cues] == ["Narrator (V.O.)", "(V.O.)"]


def test_two_speakers_saying_the_same_words_sound_different(inputs):
    same = "I was never here."
    shots = [shot(1, 3, dialogue=[line(same, voice=0)]), shot(2, 3, dialogue=[line(same, voice=1)])]

    samples = soundtrack_of(shots, inputs).samples[0]
    first, second = samples[: 3 * SAMPLE_RATE], samples[3 * SAMPLE_RATE :]

    def pitch_band(part: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(part))
        frequencies = np.fft.rfftfreq(part.size, 1 / SAMPLE_RATE)
        return float((spectrum * frequencies).sum() / spectrum.sum())

    assert abs(pitch_band(first) - pitch_band(second)) > 100  # Hz of spectral centroid


def test_without_audio_the_subtitles_are_still_timed_by_the_speech(inputs):
    sound = soundtrack_of([shot(1, 3, dialogue=[line("Hold the rope.")])], inputs, audio=False)

    assert sound.samples is None
    assert sound.cues[0].start == round(LINE_LEAD_SECONDS * FPS)
    assert sound.cues[0].stop < 3 * FPS
