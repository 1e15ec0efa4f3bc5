"""Screening (screening/screen.py, pure): every rule with positive and negative examples in
the five languages, evasions included (case, full-width, accents, zero-width, spacing,
substitutions), and no false positive on innocent words that contain a blocked one."""

import pytest

from screening.screen import Screen, Term, fold

TERMS = [
    Term("forbidden", "weapons", "block", "en"),
    Term("ass", "insult", "review", "en"),
    Term("ano", "insult", "review", "es"),
    Term("prohibido total", "weapons", "block", "es"),
    Term("违禁", "weapons", "block", "zh"),
    Term("キンシ", "drugs", "review", "ja"),
    Term("禁止語", "drugs", "block", "ja"),
    Term("금지어", "hate", "block", "ko"),
]
SCREEN = Screen(TERMS)


def found(text: str) -> set[str]:
    return {match.term.text for match in SCREEN.matches(text)}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Something forbidden here", "forbidden"),
        ("SOMETHING FORBIDDEN", "forbidden"),
        ("ｆｏｒｂｉｄｄｅｎ", "forbidden"),  # full-width
        ("f o r b i d d e n", "forbidden"),  # spaced out
        ("f.o.r.b.i.d.d.e.n", "forbidden"),
        ("f-o-r-b-i-d-d-e-n!", "forbidden"),
        ("forb\u200bid\u200ddén", "forbidden"),  # zero-width, accents
        ("f0rb1dd3n", "forbidden"),  # substitutions
        ("you ass.", "ass"),
        ("el ano", "ano"),
        ("EL ÁNO", "ano"),
        ("Es PROHIBIDO   total.", "prohibido total"),
        ("Es ｐｒｏｈｉｂｉｄｏ ｔｏｔａｌ", "prohibido total"),  # full-width
        ("Es p r o h i b i d o total", "prohibido total"),  # spaced out
        ("Es pro\u200bhi\u200cbido total", "prohibido total"),  # zero-width
        ("Es PR0H1B1D0 T0T4L", "prohibido total"),  # substitutions
        ("Es prohibído totál", "prohibido total"),  # accents
        ("A f o r b i d d e n door", "forbidden"),  # a spelled-out word after an article
        ("f o r b i d d e n a", "forbidden"),
        ("这是违禁品", "违禁"),
        ("这是违 禁品", "违禁"),
        ("这是违\u200b禁品", "违禁"),
        ("これは禁止語です", "禁止語"),
        ("ｷﾝｼです", "キンシ"),  # half-width katakana
        ("キ ン シ です", "キンシ"),  # spaced out
        ("これは禁\u200b止語です", "禁止語"),  # zero-width
        ("これは禁 止 語です", "禁止語"),
        ("이것은금지어입니다", "금지어"),
        ("이것은 금 지 어 입니다", "금지어"),
        ("이것은 금\u200b지\u200d어", "금지어"),  # zero-width
        ("이것은 \u1100\u1173\u11b7지어", "금지어"),  # the first syllable in jamo
    ],
)
def test_a_blocked_term_is_found_however_it_is_written(text: str, term: str) -> None:
    assert term in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The class assistant passed the glass.",  # contains "ass" inside words
        "Unforbiddenly",  # inside a word (English matches whole words)
        "el año pasado",  # ñ is not n
        "Un anonimo y un enano",  # Spanish "ano" inside words
        "La bass guitar and the assassin",  # English "ass" inside words
        "a b c d e",  # letters spelled out that spell no term
        "prohibido",  # only half of a two-word term
        "这是违反禁令",  # the characters, not together
        "禁止",  # part of a term
        "금지",
        "A perfectly innocent storyboard of a lighthouse at dawn.",
    ],
)
def test_innocent_text_is_not_flagged(text: str) -> None:
    assert found(text) == set()


def test_the_verdict_is_the_most_severe_match() -> None:
    assert SCREEN.verdict("el ano")[0] == "review"
    verdict, matches = SCREEN.verdict("el ano es forbidden")
    assert verdict == "block"
    assert {m.term.category for m in matches} == {"insult", "weapons"}
    assert SCREEN.verdict("a lighthouse")[0] == "ok"


def test_a_term_is_reported_once_however_often_it_occurs() -> None:
    assert len(SCREEN.matches("forbidden, FORBIDDEN, f o r b i d d e n")) == 1


def test_folding_keeps_what_is_a_letter_of_its_own() -> None:
    assert fold("が") == "が"  # the dakuten is part of the kana
    assert fold("año") == "año"
    assert fold("Crème Brûlée") == "creme brulee"
    assert fold("Scene: A B C, sh!t") == "scene abc shit"
    assert fold("forbidden!") == "forbidden"


def test_an_empty_list_screens_nothing() -> None:
    assert Screen([]).matches("forbidden") == []
