"""The prompt director makes of the five example prompts what their "Expected" says.

The prompts and their expectations are read from the examples file itself
(tests/data/director_examples.md, the example prompts we were handed, brought into the
repository), so the test follows the file: each number, size, move, speaker and language
asserted below is parsed out of the example's "Expected" paragraph (a changed expectation
changes the assertion, and a paragraph the parser no longer understands fails loudly instead of
passing silently).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from director.direct import Direction, direct

EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "director_examples.md"
# The words of the "Expected" paragraphs, as the storyboard's choice values.
SIZES = {
    "wide": "wide",
    "close-up": "close_up",
    "medium": "medium",
    "macro/extreme close-up": "extreme_close_up",
    "extreme close-up": "extreme_close_up",
}
MOVES = {"push in": "push_in", "pull out": "pull_out", "orbit": "orbit", "tracking": "tracking"}


@dataclass
class Example:
    number: int
    title: str
    prompt: str
    expected: str

    def find(self, pattern: str) -> re.Match[str]:
        """A fact of the "Expected" paragraph; fails if the paragraph no longer states it."""
        found = re.search(pattern, self.expected)
        assert found, f"example {self.number}'s Expected no longer matches {pattern!r}"
        return found

    def shot_count(self) -> int:
        return int(self.find(r"^(\d+) shots?\b").group(1))


def read_examples() -> dict[int, Example]:
    text = EXAMPLES_FILE.read_text(encoding="utf-8")
    examples = {}
    for block in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, body = block.split("\n", 1)
        number, title = re.match(r"(\d+)\.\s*(.+)", heading).groups()
        prompt, expected = body.split("Expected:", 1)
        examples[int(number)] = Example(
            int(number), title.strip(), prompt.strip(), " ".join(expected.split())
        )
    return examples


EXAMPLES = read_examples()


def directed(number: int) -> tuple[Example, Direction]:
    example = EXAMPLES[number]
    return example, direct(example.prompt)


def speakers(direction: Direction) -> list[str]:
    return [line.speaker for shot in direction.shots for line in shot.dialogue]


def test_the_file_holds_the_five_examples():
    assert sorted(EXAMPLES) == [1, 2, 3, 4, 5]
    assert all(example.prompt and example.expected for example in EXAMPLES.values())


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_each_example_fits_one_valid_sequence(number):
    example, direction = directed(number)
    assert direction.messages == []
    assert len(direction.sequences) == 1
    durations = [shot.duration for shot in direction.shots]
    assert len(durations) == example.shot_count()
    assert all(isinstance(seconds, int) and seconds >= 1 for seconds in durations)
    assert 3 <= sum(durations) <= 15


def test_example_1_explicit_markers_two_speakers():
    example, direction = directed(1)
    shots = direction.shots
    sizes = example.find(r"shot sizes ([\w-]+(?:, [\w-]+)*);").group(1).split(", ")
    assert [shot.shot_size for shot in shots] == [SIZES[size] for size in sizes]
    moved, move = example.find(r"shot (\d+) movement ([a-z ]+?);").groups()
    assert shots[int(moved) - 1].camera_movement == MOVES[move]
    # The other shots name no move: they stay static.
    assert [s.camera_movement for i, s in enumerate(shots) if i != int(moved) - 1] == ["static"] * 2
    count = {"two": 2}[example.find(r"(\w+) dialogue lines").group(1)]
    named = list(example.find(r"speakers (@\w+) then (@\w+)").groups())
    assert speakers(direction) == named
    assert sum(len(shot.dialogue) for shot in shots) == count
    language = example.find(r"language (\w\w);").group(1)
    assert {line.language for shot in shots for line in shot.dialogue} == {language}
    empty = int(example.find(r"no dialogue in shot (\d+)").group(1))
    assert shots[empty - 1].dialogue == []
    # Each line sits in its own shot, in order, with its words exactly as quoted.
    quoted = re.findall(r'"([^"]+)"', example.prompt)
    assert [[line.text for line in shot.dialogue] for shot in shots] == [
        [quoted[0]],
        [quoted[1]],
        [],
    ]
    # The markers are gone from the shots' text; the narrative stays.
    assert not any(shot.text.startswith("Shot") for shot in shots)
    assert shots[0].text.startswith("Wide shot of a lighthouse kitchen at dawn")
    assert "kettle whistles" in shots[2].text


def test_example_2_one_continuous_shot_keeps_its_beats():
    example, direction = directed(2)
    assert example.shot_count() == 1
    (shot,) = direction.shots
    marks = [float(n) for n in example.find(r"beats at (\d+) s and (\d+) s").groups()]
    assert [beat.at for beat in shot.beats] == marks
    # The beats stay in the shot's text, with what happens at each mark.
    for mark in marks:
        assert f"at the {mark:g}-second mark" in shot.text
    assert shot.beats[0].text.startswith("she swerves around a fruit stall")
    assert shot.beats[1].text.startswith("she brakes hard at a red light")
    least = int(example.find(r"total duration at least (\d+) s").group(1))
    assert shot.duration >= least
    assert shot.camera_movement == "tracking"
    assert shot.dialogue == []
    assert shot.lettering == ""


def test_example_3_mixed_languages_and_a_cut():
    example, direction = directed(3)
    assert "cut to" in example.expected
    first, second = direction.shots
    languages = example.find(r"dialogue languages ((?:\w\w, )+\w\w), and (\w\w) for the last")
    expected = languages.group(1).split(", ") + [languages.group(2)]
    lines = [line for shot in direction.shots for line in shot.dialogue]
    assert [line.language for line in lines] == expected
    assert [line.text for line in lines] == [
        "いらっしゃい、何にしますか？",
        "Un ramen, por favor.",
        "나도 같은 걸로.",
        "了解!",
    ]
    assert [len(first.dialogue), len(second.dialogue)] == [3, 1]
    # The cut phrase opens the second shot, which is a close-up; the cut words are gone.
    assert second.shot_size == "close_up"
    assert "Cut to" not in first.text + second.text
    # "the accent note kept as delivery on the Spanish line"
    assert "accent note kept as delivery on the Spanish line" in example.expected
    (spanish,) = [line for line in lines if line.language == "es"]
    assert spanish.delivery == "slow, careful accent"
    assert [line.delivery for line in lines if line is not spanish] == [
        "",
        "whispering",
        "laughing",
    ]
    assert [line.speaker for line in lines] == ["Cook", "Tourist", "Friend", "Cook"]
    assert not any(line.voice_over for line in lines)


def test_example_4_voice_over_and_lettering():
    example, direction = directed(4)
    first, second = direction.shots
    size, move = example.find(r"\(([\w/ -]+) with (\w+), then").groups()
    assert (first.shot_size, first.camera_movement) == (SIZES[size], MOVES[move])
    size, move = example.find(r"then (\w+) with ([a-z ]+)\)").groups()
    assert (second.shot_size, second.camera_movement) == (SIZES[size], MOVES[move])
    assert "one voice-over line" in example.expected
    lines = [line for shot in direction.shots for line in shot.dialogue]
    assert len(lines) == 1
    (line,) = lines
    assert line.voice_over
    assert line.text == "Made for the hours that matter."
    assert line.language == example.find(r"language (\w\w),").group(1)
    assert line.delivery == example.find(r'delivery "([^"]+)"').group(1)
    lettering = example.find(r'quoted lettering "(\w+)" is kept as on-screen text').group(1)
    assert first.lettering == lettering
    assert lettering in first.text
    assert all(lettering not in spoken.text for spoken in lines)
    assert second.dialogue == []
    assert second.lettering == ""


def test_example_5_chinese_dialogue_with_handles():
    example, direction = directed(5)
    first, second = direction.shots
    opener, size = example.find(r"\((\S+) = ([\w-]+) starts a new shot\)").groups()
    assert second.text.startswith(opener)
    assert second.shot_size == SIZES[size]
    named = list(example.find(r"speakers (@\S+) then (@\S+);").groups())
    assert speakers(direction) == named
    language = example.find(r"language (\w\w)\.").group(1)
    assert [line.language for shot in direction.shots for line in shot.dialogue] == [language] * 2
    assert [line.text for line in first.dialogue + second.dialogue] == [
        "明天就要出海了。",
        "一路平安。",
    ]
    assert second.dialogue[0].delivery == "低声"
    # The same prompt with the project's handles reads the same speakers.
    with_handles = direct(example.prompt, handles=["老周", "小雨"])
    assert speakers(with_handles) == named
