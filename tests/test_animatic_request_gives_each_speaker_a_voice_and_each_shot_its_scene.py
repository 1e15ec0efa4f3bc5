"""The animatic's request (compiler/animatic.py): each speaker of the sequence gets a voice
of their own, lines in "auto" language get a real one, an element's accent follows its lines,
and a shot shows its subject in front of the scene it mentions. Pure data: no database."""

import pytest

from compiler.storyboard import compile_request
from tests.test_compiler_refuses_what_the_model_cannot_do import element, shot, storyboard

pytestmark = pytest.mark.filterwarnings("error")


def said(text: str, speaker: str = "", language: str = "en", **fields) -> dict:
    return {
        "speaker": speaker,
        "text": text,
        "language": language,
        "delivery": "",
        "voice_over": False,
        **fields,
    }


def animatic_shots(board: dict) -> list[dict]:
    compiled = compile_request("animatic", board)
    assert compiled.errors == {}
    return compiled.request["shots"]


def test_each_speaker_keeps_one_voice_across_the_sequence_in_order_of_first_line():
    shots = [
        shot(4, dialogue=[said("Hi.", "Skipper"), said("Hello.", "Mate")]),
        shot(
            4, dialogue=[said("Again.", "SKIPPER"), said("Once more.", "@Mara", speaker_element=1)]
        ),
        shot(4, dialogue=[said("It ends.", voice_over=True), said("Ha.", "Mate")]),
    ]

    compiled = animatic_shots(storyboard(shots, [element(1, "Mara")]))

    voices = [[line["voice"] for line in s["dialogue"]] for s in compiled]
    assert voices == [[0, 1], [0, 2], [3, 1]]


def test_an_auto_language_line_is_spoken_in_the_language_it_is_written_in():
    lines = [
        said("¿Dónde está la niña?", "Ana", "auto"),
        said("Where is the girl?", "Ben", "auto"),
        said("女の子はどこ？", "Hana", "auto"),
        said("소녀는 어디 있어?", "Jin", "auto"),
        said("女孩在哪里？", "Wei", "auto"),
    ]

    compiled = animatic_shots(storyboard([shot(15, dialogue=lines)]))

    assert [line["language"] for line in compiled[0]["dialogue"]] == ["es", "en", "ja", "ko", "zh"]


def test_an_elements_voice_language_and_accent_carry_to_its_lines():
    mara = element(1, "Mara", voice_language="es", voice_accent="Mexican")
    lines = [said("Vamos ya.", "@Mara", "auto", speaker_element=1), said("Sí.", "@Mara", "es")]

    compiled = animatic_shots(storyboard([shot(5, dialogue=lines)], [mara]))

    assert [(line["language"], line["accent"]) for line in compiled[0]["dialogue"]] == [
        ("es", "Mexican"),
        ("es", "Mexican"),
    ]


def test_a_shot_shows_its_speaker_in_front_of_the_scene_it_mentions():
    mara = element(1, "Mara")
    harbour = element(2, "Harbour", kind="scene")
    shots = [
        shot(
            3, text="@Mara waits at @Harbour.", dialogue=[said("Late.", "@Mara", speaker_element=1)]
        ),
        shot(3, text="Dawn over @Harbour."),
        shot(3, text="Nobody anywhere."),
    ]

    compiled = animatic_shots(storyboard(shots, [mara, harbour]))

    assert compiled[0]["picture"] == {"$file": "private/Mara/0.jpg"}
    assert compiled[0]["scene"] == {"$file": "private/Harbour/0.jpg"}
    assert compiled[1]["picture"] is None  # the scene alone fills the frame
    assert compiled[1]["scene"] == {"$file": "private/Harbour/0.jpg"}
    assert (compiled[2]["picture"], compiled[2]["scene"]) == (None, None)  # a drawn card


def test_a_voice_over_keeps_its_speakers_name_but_not_their_face():
    mara = element(1, "Mara")
    line = said("I remember.", "@Mara", speaker_element=1, voice_over=True)

    compiled = animatic_shots(storyboard([shot(4, text="An empty room.", dialogue=[line])], [mara]))

    assert compiled[0]["dialogue"][0]["speaker"] == "Mara"
    assert compiled[0]["picture"] is None
