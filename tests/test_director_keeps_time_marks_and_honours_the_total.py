"""The prompt director keeps time marks written in each language as beats in the shot's text,
honours the user's total duration when it can (and says why when it cannot: a total too
short for the dialogue, outside 3 to 15 seconds, more than six shots, a shot too long for
any sequence), and has nothing to direct in an empty prompt.
"""

import pytest

from director.direct import direct
from script.rules import MAX_SEQUENCE_SECONDS, MAX_SHOTS, MIN_SEQUENCE_SECONDS

# --- time marks in each language ---


@pytest.mark.parametrize(
    ("prompt", "beats", "least"),
    [
        (
            "A child at the window; at 2 seconds she waves; at the 5-second mark the bus leaves.",
            [(2.0, "she waves"), (5.0, "the bus leaves")],
            6,
        ),
        (
            "Una mujer camina por la playa; a los 4 segundos se detiene; en el segundo 6 sonríe.",
            [(4.0, "se detiene"), (6.0, "sonríe")],
            7,
        ),
        (
            "一个女人在海边散步，第3秒她停下脚步，5秒时她回头。",
            [(3.0, "她停下脚步"), (5.0, "她回头")],
            6,
        ),
        (
            "女性が海辺を歩く。3秒目に立ち止まり、6秒後に振り返る。",
            [(3.0, "立ち止まり"), (6.0, "振り返る")],
            7,
        ),
        (
            "여자가 해변을 걷는다. 3초에 멈추고 6초쯤 뒤돌아본다.",
            [(3.0, "멈추고"), (6.0, "뒤돌아본다")],
            7,
        ),
        (
            "A slow pan across the valley; at 0:04 a hawk dives; in the final 3 seconds the sun "
            "breaks through.",
            [(4.0, "a hawk dives")],
            7,
        ),
    ],
    ids=["en", "es", "zh", "ja", "ko", "en-clock-and-final-seconds"],
)
def test_time_marks_are_beats_kept_in_the_text(prompt, beats, least):
    direction = direct(prompt)
    (shot,) = direction.shots
    assert [(beat.at, beat.text) for beat in shot.beats] == beats
    assert shot.text == prompt  # the marks stay in the narrative
    assert shot.duration >= least


# --- durations: the user's total, when it can be honoured ---

TWO_SHOTS = (
    "Shot 1: Wide shot of the harbour, gulls over the water. "
    'Shot 2: Close-up of @Mara, who says, "The ferry won\'t run."'
)


@pytest.mark.parametrize("total", [3, 5, 8, 12, 15])
def test_a_feasible_total_is_honoured(total):
    direction = direct(TWO_SHOTS, total=total)
    durations = [shot.duration for shot in direction.shots]
    assert sum(durations) == total
    assert direction.messages == []
    assert all(isinstance(d, int) and d >= 1 for d in durations)
    # However short the total, the speaking shot keeps the time its line needs (the least
    # it gets, at the shortest total), and a longer total is shared by both shots.
    needed = direct(TWO_SHOTS, total=MIN_SEQUENCE_SECONDS).shots[1].duration
    assert durations[1] >= needed >= 2
    assert total < 8 or min(durations) >= 3


def test_a_total_too_short_for_the_dialogue_gives_a_message():
    prompt = (
        'Shot 1: @Mara says, "I really do not think the ferry will run today, given the storm." '
        'Shot 2: @Tomas says, "Then we stay here and wait for the wind to calm down a little."'
    )
    direction = direct(prompt, total=4)
    seconds = sum(shot.duration for shot in direction.shots)
    assert seconds > 4
    assert seconds <= MAX_SEQUENCE_SECONDS
    assert len(direction.messages) == 1
    assert "more than the 4 s asked for" in direction.messages[0]


@pytest.mark.parametrize(("total", "given"), [(2, 3), (20, 15)])
def test_a_total_outside_3_to_15_seconds_is_brought_inside_with_a_message(total, given):
    direction = direct("Shot 1: Rain on the window. Shot 2: Sun on the sea.", total=total)
    assert sum(shot.duration for shot in direction.shots) == given
    assert direction.messages == [f"A sequence lasts 3 to 15 s: {given} s instead of {total} s."]


def test_more_than_six_shots_make_several_sequences_with_a_message():
    animals = ["A dog runs", "A cat sleeps", "A bird sings", "A fish swims", "A horse jumps"]
    animals += ["A cow eats", "A fox hides", "An owl blinks"]
    prompt = " ".join(f"Shot {n}: {what}." for n, what in enumerate(animals, start=1))
    direction = direct(prompt, total=10)
    assert [len(sequence) for sequence in direction.sequences] == [6, 2]
    assert [shot.text for shot in direction.shots] == [f"{what}." for what in animals]
    for sequence in direction.sequences:
        assert len(sequence) <= MAX_SHOTS
        assert MIN_SEQUENCE_SECONDS <= sum(s.duration for s in sequence) <= MAX_SEQUENCE_SECONDS
    assert "split into 2 sequences" in direction.messages[0]
    assert "10 s asked for is for one sequence" in direction.messages[1]


def test_a_shot_too_long_for_any_sequence_is_capped_with_a_message():
    line = "The sea was calm that morning and nobody thought the storm would come. " * 5
    direction = direct(f'@Mara says: "{line.strip()}"')
    (shot,) = direction.shots
    assert shot.duration == MAX_SEQUENCE_SECONDS
    assert "Shot 1 needs about" in direction.messages[0]


def test_nothing_to_direct():
    for prompt in ("", "   ", "\n\n"):
        direction = direct(prompt)
        assert direction.sequences == []
        assert direction.messages
