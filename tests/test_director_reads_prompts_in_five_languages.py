"""The prompt director reads prompts written in English, Spanish, Chinese, Japanese and Korean
(and mixes of them) as a careful director would: where each shot starts, its size, angle and
move, each line of dialogue with its speaker, delivery, voice-over and language, the lettering
that is not dialogue (the time marks and how long each shot lasts:
test_director_keeps_time_marks_and_honours_the_total.py).

Each prompt comes with exactly what it must make: `frames` lists the shots as
"size/angle/movement" (an omitted or empty part is the default, eye_level or static), `lines`
every dialogue line in order with the shot it falls in.

The prompts are in tests/director_prompt_cases.py.
"""

import pytest

from director.direct import direct
from script.rules import MAX_SEQUENCE_SECONDS, MIN_SEQUENCE_SECONDS
from tests.director_prompt_cases import CASES
from tests.director_prompt_helpers import framing, lines_of


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_prompt_is_read_as_expected(case):
    direction = direct(case.prompt, handles=case.handles)
    shots = direction.shots
    found = [(shot.shot_size, shot.camera_angle, shot.camera_movement) for shot in shots]
    assert found == [framing(value) for value in case.frames]
    assert lines_of(direction) == case.lines
    assert {n: s.lettering for n, s in enumerate(shots, start=1) if s.lettering} == case.lettering
    if case.starts is not None:
        assert len(case.starts) == len(shots)
        for shot, start in zip(shots, case.starts, strict=True):
            assert shot.text.startswith(start), (shot.text, start)
    # Lettering is never spoken.
    spoken = {line.text for line in lines_of(direction)}
    assert not any(part in spoken for s in shots for part in s.lettering.split(" / ") if part)
    # Every case fits one valid sequence.
    assert len(direction.sequences) == 1
    assert direction.messages == []
    assert MIN_SEQUENCE_SECONDS <= sum(s.duration for s in shots) <= MAX_SEQUENCE_SECONDS


def test_there_are_enough_prompts_in_every_language():
    assert len(CASES) >= 24
    for prefix in ("en-", "es-", "zh-", "ja-", "ko-", "mixed-"):
        assert sum(case.id.startswith(prefix) for case in CASES) >= 1
    for prefix in ("es-", "zh-", "ja-", "ko-"):
        assert sum(case.id.startswith(prefix) for case in CASES) >= 5


def test_without_handles_a_handle_ends_at_the_space():
    direction = direct('@Old Sailor looks at the sea and says, "Storm\'s coming."')
    assert [line.speaker for line in lines_of(direction)] == ["@Old"]
