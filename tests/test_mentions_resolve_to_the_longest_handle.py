"""`find_mentions` (script/mentions.py): which `@` starts a mention and what it resolves to.

Pure Python, no database.
"""

import random
import time
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script.mentions import MENTION_SIGNS, HandleIndex, Mention, find_mentions, fold

pytestmark = pytest.mark.filterwarnings("error")

LIBRARY = [
    "Male lead",
    "老周",
    "kling lipstick",
    "Japanese boy",
    "Japanese",
    "小雨",
    "María",
    "Mara",
    "김 선생",
    "さくら",
    "ハナ",
    "Ana",
]
INDEX = HandleIndex(LIBRARY)


def resolved(text: str) -> list[tuple[str | None, str]]:
    return [(mention.handle, mention.written) for mention in find_mentions(text, INDEX)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Male lead walks in", [("Male lead", "Male lead")]),
        ("@male LEAD walks in", [("Male lead", "male LEAD")]),
        ("close-up of @kling lipstick on the table", [("kling lipstick", "kling lipstick")]),
        ("@Kling Lipstick.", [("kling lipstick", "Kling Lipstick")]),
        ("@Ana", [("Ana", "Ana")]),
        ("INT. DOCK\n@Ana waves", [("Ana", "Ana")]),
    ],
)
def test_a_latin_handle_with_spaces_resolves_case_insensitively(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Japanese boy runs", [("Japanese boy", "Japanese boy")]),
        ("@japanese BOY runs", [("Japanese boy", "japanese BOY")]),
        ("@Japanese girl runs", [("Japanese", "Japanese")]),
        ("@Japanese", [("Japanese", "Japanese")]),
        ("@Japanese, @Japanese boy.", [("Japanese", "Japanese"), ("Japanese boy", "Japanese boy")]),
        # "boy" is glued to "s", so the longer handle fails its boundary and the shorter one wins.
        ("@Japanese boys run", [("Japanese", "Japanese")]),
        ("@Japaneseboy", [(None, "Japaneseboy")]),
    ],
)
def test_handles_sharing_a_prefix_resolve_to_the_longest_that_matches(text, expected):
    assert resolved(text) == expected


def test_the_longest_handle_wins_whatever_order_the_handles_come_in():
    for handles in (["Japanese", "Japanese boy"], ["Japanese boy", "Japanese"]):
        assert [m.handle for m in find_mentions("@Japanese boy", handles)] == ["Japanese boy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@老周站在码头", [("老周", "老周")]),
        ("@老周，你好", [("老周", "老周")]),
        ("码头上@老周和@小雨说话", [("老周", "老周"), ("小雨", "小雨")]),
        ("「@小雨」", [("小雨", "小雨")]),
        ("@さくらが笑う", [("さくら", "さくら")]),
        ("@ハナは走る", [("ハナ", "ハナ")]),
        ("@ﾊﾅ", [("ハナ", "ﾊﾅ")]),  # half-width katakana
    ],
)
def test_a_chinese_or_japanese_handle_needs_no_boundary_after_it(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@김 선생 들어온다", [("김 선생", "김 선생")]),
        ("@김 선생, 안녕하세요", [("김 선생", "김 선생")]),
        # Hangul is spaced like Latin: a syllable glued to the handle breaks it.
        ("@김 선생님", [(None, "김")]),
    ],
)
def test_a_korean_handle_needs_a_boundary_like_latin(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@María sonríe", [("María", "María")]),
        ("@maría", [("María", "maría")]),
        ("@MARÍA", [("María", "MARÍA")]),
        ("@Mari\u0301a", [("María", "Mari\u0301a")]),  # decomposed accent
        ("@Maria", [(None, "Maria")]),  # accents matter
        ("@Mara y @María", [("Mara", "Mara"), ("María", "María")]),
    ],
)
def test_accented_handles_match_composed_or_decomposed_and_accents_matter(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("＠Ｍａｒａ waves", [("Mara", "Ｍａｒａ")]),
        ("＠老周", [("老周", "老周")]),
        ("﹫Mara", [("Mara", "Mara")]),
        ("@Ｍale ｌead", [("Male lead", "Ｍale ｌead")]),
        ("@Male\u00a0lead", [("Male lead", "Male\u00a0lead")]),  # no-break space
        ("@김\u3000선생", [("김 선생", "김\u3000선생")]),  # ideographic space
    ],
)
def test_full_width_and_compatibility_forms_match(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "@Mara, look",
        "@Mara.",
        "@Mara's coat",
        "@Mara’s coat",
        "(@Mara)",
        "«@Mara»",
        "“@Mara”",
        "@Mara!",
        "@Mara—",
        "@Mara\n",
        "@Mara说",  # a CJK character after a Latin handle is a boundary
    ],
)
def test_punctuation_after_a_handle_ends_it(text):
    assert resolved(text) == [("Mara", "Mara")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Maraschino", [(None, "Maraschino")]),
        ("@Mara2", [(None, "Mara2")]),
        ("@Anastasia", [(None, "Anastasia")]),
    ],
)
def test_a_latin_handle_does_not_match_the_start_of_a_longer_word(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "write to ana@example.com",
        "ana@Mara",
        "user123@Mara",
        "maría@Mara",
        "ａｎａ＠Ｍａｒａ",
    ],
)
def test_an_at_sign_inside_an_email_address_is_no_mention(text):
    assert resolved(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Nobody waves", [(None, "Nobody")]),
        ("@nobody's coat", [(None, "nobody")]),
        ("@Zoë, @Ana", [(None, "Zoë"), ("Ana", "Ana")]),
        ("@不存在的人 走", [(None, "不存在的人")]),
        ("@不存在的人，走", [(None, "不存在的人")]),
        ("@박 선생", [(None, "박")]),
        ("@Jap", [(None, "Jap")]),
    ],
)
def test_an_unknown_mention_is_the_word_up_to_whitespace_or_punctuation(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize("text", ["", "no mentions", "@", "@ alone", "trailing @", "@@", "@, x"])
def test_a_lone_at_sign_is_no_mention(text):
    assert resolved(text) == []


def test_a_doubled_sign_mentions_from_the_second():
    assert find_mentions("@@Mara", LIBRARY) == [Mention(1, 6, "Mara", "Mara")]


def test_spans_cover_the_sign_and_the_handle_as_written():
    text = "A: ＠老周站在码头, @male lead waits; ana@x.org and @Nobody."

    mentions = find_mentions(text, LIBRARY)

    assert mentions == [
        Mention(3, 6, "老周", "老周"),
        Mention(12, 22, "Male lead", "male lead"),
        Mention(44, 51, None, "Nobody"),
    ]
    for mention in mentions:
        assert text[mention.start : mention.end] == text[mention.start] + mention.written


def test_a_prepared_index_and_a_plain_list_give_the_same_mentions():
    text = "@Japanese boy meets @老周 and @Nobody at @Ana's"

    assert find_mentions(text, INDEX) == find_mentions(text, LIBRARY)
    assert find_mentions(text, INDEX) == find_mentions(text, iter(LIBRARY))


def test_handles_that_fold_alike_are_one_and_the_first_is_canonical():
    index = HandleIndex(["Mara", "MARA", "Ｍａｒａ"])

    assert len(index) == 1
    assert index.canonical("mara") == "Mara"
    assert [m.handle for m in find_mentions("@mara", index)] == ["Mara"]


def test_a_single_string_is_refused_as_the_handles():
    with pytest.raises(TypeError):
        find_mentions("@Mara", "Mara")


def test_empty_handles_are_ignored():
    index = HandleIndex(["", "  ", "Mara"])

    assert list(index) == ["Mara"]


def _random_library(count: int, seed: int) -> tuple[list[str], str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñü老周小雨김선생さくら"

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(2, 8)))

    handles = sorted({" ".join(word() for _ in range(rng.randint(1, 3))) for _ in range(count)})
    parts: list[str] = []
    while sum(len(part) + 1 for part in parts) < 520:
        parts.append(rng.choice([f"@{rng.choice(handles)}", word(), word(), f"@{word()}"]))
    return handles, " ".join(parts)[:500]


def test_a_thousand_handles_and_a_500_character_text_take_well_under_a_millisecond():
    handles, text = _random_library(1000, seed=7)
    index = HandleIndex(handles)
    calls = 50

    best = min(_seconds_per_call(lambda: find_mentions(text, index), calls) for _ in range(5))

    assert len(handles) >= 990
    assert len(find_mentions(text, index)) > 10
    assert best < 0.001


def _seconds_per_call(call, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls


# Properties

HANDLE_CHARS = "abcdeéñABC1老周小雨さくら김선생"
FILLER_CHARS = "xyzXYZ的了ね다"
SEPARATORS = [" ", ", ", "\n", "。", "'s ", " (", ") "]
ANY_CHARS = HANDLE_CHARS + FILLER_CHARS + MENTION_SIGNS + " ,.'’\n\t-_()「」"

handles_strategy = st.lists(
    st.lists(st.text(HANDLE_CHARS, min_size=1, max_size=5), min_size=1, max_size=3).map(" ".join),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.one_of(st.sampled_from(ANY_CHARS), st.characters()), max_size=80),
    handles=st.lists(
        st.one_of(st.text(ANY_CHARS, max_size=6), st.text(max_size=6)),
        max_size=8,
    ),
)
def test_mentions_never_overlap_and_come_in_order(text, handles):
    mentions = find_mentions(text, handles)

    for before, after in pairwise(mentions):
        assert before.end <= after.start
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start] in MENTION_SIGNS
        assert mention.written == text[mention.start + 1 : mention.end]
        if mention.handle is not None:
            assert mention.handle in handles
            assert fold(mention.written) == fold(mention.handle.strip())


def _written(handle: str, style: str) -> str:
    if style == "upper":
        return handle.upper()
    if style == "lower":
        return handle.lower()
    if style == "full-width":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in handle)
    return handle


@settings(max_examples=200, deadline=None)
@given(data=st.data(), handles=handles_strategy)
def test_every_inserted_mention_is_found_with_its_handle(data, handles):
    pieces = data.draw(
        st.lists(
            st.one_of(
                st.tuples(
                    st.sampled_from(MENTION_SIGNS),
                    st.sampled_from(handles),
                    st.sampled_from(["as given", "upper", "lower", "full-width"]),
                ),
                st.text(FILLER_CHARS, min_size=1, max_size=4),
            ),
            max_size=10,
        )
    )
    text, inserted = "", []
    for piece in pieces:
        text += data.draw(st.sampled_from(SEPARATORS)) if text else ""
        if isinstance(piece, tuple):
            sign, handle, style = piece
            inserted.append((len(text), handle))
            text += sign + _written(handle, style)
        else:
            text += piece

    mentions = find_mentions(text, handles)

    assert [(m.start, fold(m.handle)) for m in mentions] == [
        (start, fold(handle)) for start, handle in inserted
    ]
