"""A moderator sees the matched terms highlighted in the text as the user wrote it, evasions
and all (screening.screen.highlight_spans), and each hit is reported at the field path it
was found in: every text a generation sends has one (storyboard_texts), screened field by
field (screen_fields)."""

import pytest

from screening.screen import Screen, Term, highlight_spans, screen_fields, storyboard_texts

SCREEN = Screen(
    [
        Term("bad", "violence", "block", "en"),
        Term("filthy", "sexual", "review", "en"),
        Term("strasse", "other", "review", ""),
        Term("prohibido total", "illegal", "block", "es"),
        Term("炸弹", "violence", "block", "zh"),
        Term("シャブ", "illegal", "block", "ja"),
        Term("마약", "illegal", "block", "ko"),
    ]
)


def marked(text: str) -> list[str]:
    """The stretches of `text` a moderator's view marks, for every term found in it."""
    return [
        text[start:end]
        for match in SCREEN.matches(text)
        for start, end in highlight_spans(text, match.found)
    ]


@pytest.mark.parametrize(
    ("text", "stretches"),
    [
        ("a bad idea", ["bad"]),
        ("a b.a.d idea", ["b.a.d"]),
        ("a b a d idea", ["b a d"]),
        ("ＢＡＤ day", ["ＢＡＤ"]),  # full-width
        ("so b\u200ba\u200dd", ["b\u200ba\u200dd"]),  # zero-width inside
        ("b4d luck", ["b4d"]),  # substitution
        ("bád news", ["bád"]),  # accent, composed
        ("ba\u0301d news", ["ba\u0301d"]),  # accent, decomposed
        ("a ﬁlthy room", ["ﬁlthy"]),  # a ligature folds to two letters
        ("Hauptstraße 5", []),  # whole words: "strasse" is inside a word here
        ("die Straße", ["Straße"]),  # ß folds to "ss"
        ("Es PROHIBIDO   total.", ["PROHIBIDO   total"]),
        ("他手里有炸 弹。", ["炸 弹"]),
        ("ｼｬﾌﾞを売る男", ["ｼｬﾌﾞ"]),  # half-width kana with a separate voicing mark
        ("シャブを売る", ["シャブ"]),
        ("그는 마\u200b약을 팔았다", ["마\u200b약"]),
        ("그는 \u1106\u1161\u110b\u1163\u11a8을", ["\u1106\u1161\u110b\u1163\u11a8"]),  # jamo
    ],
)
def test_the_highlight_marks_the_stretch_as_written(text: str, stretches: list[str]) -> None:
    assert marked(text) == stretches


def test_every_occurrence_is_marked_and_innocent_words_are_not() -> None:
    text = "badminton is bad, really BAD; badly"

    spans = highlight_spans(text, "bad")

    assert [text[start:end] for start, end in spans] == ["bad", "BAD"]


def test_a_highlight_in_unspaced_scripts_needs_no_word_boundary() -> None:
    text = "这是炸弹品和炸弹"

    assert [text[a:b] for a, b in highlight_spans(text, "炸弹")] == ["炸弹", "炸弹"]


@pytest.mark.parametrize(
    "text",
    [
        "Nothing bad, only b a d and ＢＡＤ and b\u200bad",
        "Es prohibido total y PROHIBIDO TOTAL",
        "炸弹 and 炸 弹 and ｼｬﾌﾞ, 마약, 마 약",
        "a ﬁlthy Straße",
    ],
)
def test_each_marked_stretch_is_found_again_when_screened_alone(text: str) -> None:
    for match in SCREEN.matches(text):
        spans = highlight_spans(text, match.found)
        assert spans, match
        for start, end in spans:
            assert match.term in {m.term for m in SCREEN.matches(text[start:end])}


SEQUENCE = {
    "prompt": "Dawn over @Harbour",
    "negative_prompt": "blur",
    "shots": [
        {
            "text": "@Old Sailor waves at @mara.",
            "lettering": "CHAPTER ONE",
            "sound_notes": "gulls",
            "dialogue": [
                {"speaker": "Mara", "text": "Hello", "delivery": "softly", "speaker_element": None},
                {"speaker": "@Voice", "text": "Hi", "delivery": "", "speaker_element": 5},
            ],
        },
        {
            "text": "@老周走进来。",
            "lettering": "",
            "sound_notes": "",
            "dialogue": [],
        },
    ],
}
ELEMENTS = [
    {"id": 1, "handle": "Mara", "description": "A sailor's daughter"},
    {"id": 2, "handle": "Old Sailor", "description": "Her father"},
    {"id": 3, "handle": "Harbour", "description": "A grey harbour"},
    {"id": 4, "handle": "老周", "description": "老渔民"},
    {"id": 5, "handle": "Narrator", "description": "An old voice"},
    {"id": 6, "handle": "Stranger", "description": "Never mentioned"},
]


def test_storyboard_texts_has_a_path_for_every_text_a_generation_sends() -> None:
    fields = storyboard_texts(SEQUENCE, ELEMENTS)

    assert fields == {
        "prompt": "Dawn over @Harbour",
        "negative_prompt": "blur",
        "shots.0.text": "@Old Sailor waves at @mara.",
        "shots.0.lettering": "CHAPTER ONE",
        "shots.0.sound_notes": "gulls",
        "shots.0.dialogue.0.speaker": "Mara",
        "shots.0.dialogue.0.text": "Hello",
        "shots.0.dialogue.0.delivery": "softly",
        "shots.0.dialogue.1.speaker": "@Voice",
        "shots.0.dialogue.1.text": "Hi",
        "shots.0.dialogue.1.delivery": "",
        "shots.1.text": "@老周走进来。",
        "shots.1.lettering": "",
        "shots.1.sound_notes": "",
        # The elements mentioned (any case, with spaces, glued to CJK text) or speaking.
        "elements.@Mara": "Mara\nA sailor's daughter",
        "elements.@Old Sailor": "Old Sailor\nHer father",
        "elements.@Harbour": "Harbour\nA grey harbour",
        "elements.@老周": "老周\n老渔民",
        "elements.@Narrator": "Narrator\nAn old voice",
    }


def test_without_elements_only_the_storyboard_texts_are_screened() -> None:
    fields = storyboard_texts(SEQUENCE)

    assert not [path for path in fields if path.startswith("elements.")]
    assert len(fields) == 14


def test_each_hit_is_reported_at_the_field_it_was_found_in() -> None:
    screen = Screen([Term("gull", "other", "review"), Term("老渔民", "other", "block")])
    sequence = {**SEQUENCE, "shots": [dict(SEQUENCE["shots"][0], sound_notes="a gull")]}
    fields = storyboard_texts(sequence, ELEMENTS)
    fields["shots.0.lettering"] = "GULL"

    verdict = screen_fields(screen, fields)

    assert sorted((hit.field, hit.match.term.text) for hit in verdict.hits) == [
        ("shots.0.lettering", "gull"),
        ("shots.0.sound_notes", "gull"),
    ]
    assert verdict.severity == "review"
    # 老周 is no longer mentioned (its shot is gone): its description is not sent, nor screened.
    assert "elements.@老周" not in fields


def test_a_term_never_spans_two_fields_and_the_worst_verdict_wins() -> None:
    screen = Screen([Term("dark harbour", "other", "block"), Term("gulls", "other", "review")])

    split = screen_fields(screen, {"a": "A dark", "b": "harbour"})
    both = screen_fields(screen, {"a": "gulls", "b": "a dark harbour", "c": ""})

    assert split.severity == "ok"
    assert split.hits == ()
    assert both.severity == "block"
    assert [hit.field for hit in both.deciding] == ["b"]
    assert both.category == "other"
    assert {hit.field for hit in both.hits} == {"a", "b"}
