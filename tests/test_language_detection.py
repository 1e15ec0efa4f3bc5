"""Detecting a line's language (script/languages.py): the script decides Chinese,
Japanese and Korean; lingua tells English from Spanish; undecidable text is English."""

import pytest

from script.languages import LANGUAGES, detect_language, resolve_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("지금 올라갈게.", "ko"),
        ("ありがとう。", "ja"),
        ("ロープを持って、今乗ります。", "ja"),
        ("抓住绳子，我马上上船。", "zh"),
        ("火车又晚点了。", "zh"),
    ],
)
def test_the_script_names_chinese_japanese_and_korean(text, language):
    assert detect_language(text) == language


def test_chinese_characters_with_any_kana_are_japanese():
    assert detect_language("彼女は手紙を持っていた") == "ja"
    assert detect_language("東京タワー") == "ja"


def test_hangul_is_korean_even_beside_chinese_characters():
    assert detect_language("大韓民國 만세") == "ko"


def test_chinese_characters_among_latin_letters_are_chinese():
    assert detect_language("OK，我们走吧") == "zh"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Dónde está?", "es"),
        ("Where is it?", "en"),
        ("Ven aquí.", "es"),
        ("Come here.", "en"),
        ("Tenemos que irnos antes de la tormenta.", "es"),
        ("We have to leave before the storm.", "en"),
        ("Gracias.", "es"),
        ("Thank you.", "en"),
    ],
)
def test_short_spanish_and_english_lines_are_told_apart(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "...", "42", "!?"])
def test_text_with_no_letters_is_english(text):
    assert detect_language(text) == "en"


def test_the_answer_is_always_one_of_the_five_languages():
    for text in ["", "Bonjour tout le monde", "Привет", "Γειά σου", "🙂", "x"]:
        assert detect_language(text) in LANGUAGES


def test_the_candidates_can_be_narrowed():
    assert detect_language("¿Dónde está?", among=("en", "zh")) == "en"
    assert detect_language("지금", among=("en", "es")) == "en"
    assert detect_language("Where is it?", among=("es",)) == "es"
    assert detect_language("", among=("ja", "zh")) == "ja"


def test_no_candidates_is_a_mistake():
    with pytest.raises(ValueError, match="at least one candidate"):
        detect_language("Hello", among=())


def test_a_line_keeps_its_language_unless_it_is_auto():
    assert resolve_language("es", "Where is it?") == "es"
    assert resolve_language("auto", "Where is it?") == "en"
    assert resolve_language("auto", "¿Dónde está?") == "es"
    assert resolve_language("auto", "밧줄을 잡아") == "ko"
