"""`complete` (script/mentions.py): what the `@` autocomplete offers, best first.

Pure Python, no database.
"""

import random
import time
from collections import namedtuple
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script.mentions import complete, fold

pytestmark = pytest.mark.filterwarnings("error")


@dataclass(frozen=True)
class Element:
    handle: str


LIBRARY = [
    "Male lead",
    "Female lead",
    "Male",
    "Mara",
    "María",
    "老周",
    "小雨",
    "老李",
    "Japanese boy",
    "Japanese",
    "kling lipstick",
    "김 선생",
    "さくら",
    "Lead singer",
]
ELEMENTS = [Element(handle) for handle in LIBRARY]


def offered(query: str, handles=None, limit: int = 10) -> list[str]:
    elements = ELEMENTS if handles is None else [Element(handle) for handle in handles]
    return [element.handle for element in complete(query, elements, limit)]


def test_the_tiers_are_exact_prefix_later_word_substring_then_fuzzy():
    handles = ["Avon", "Alan", "Dan", "Lee Ann", "Ann", "an", "Bob"]

    assert offered("an", handles) == ["an", "Ann", "Lee Ann", "Dan", "Alan", "Avon"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("male", ["Male", "Male lead", "Female lead"]),
        ("MALE", ["Male", "Male lead", "Female lead"]),
        ("lead", ["Lead singer", "Male lead", "Female lead"]),
        ("mlead", ["Male lead", "Female lead"]),
        ("lip", ["kling lipstick"]),
        ("ing", ["Lead singer", "kling lipstick"]),
        ("jb", ["Japanese boy"]),
        ("japanese", ["Japanese", "Japanese boy"]),
        ("zzz", []),
    ],
)
def test_latin_queries_rank_prefix_before_fuzzy(query, expected):
    assert offered(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mara", ["Mara", "María"]),
        ("maria", ["María"]),  # typed without the accent: found in order
        ("MARÍA", ["María"]),
        ("mari\u0301a", ["María"]),
        ("ｍａｒａ", ["Mara", "María"]),  # full-width
    ],
)
def test_accents_and_full_width_queries_find_their_handles(query, expected):
    assert offered(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("老", ["老周", "老李"]),
        ("周", ["老周"]),
        ("小雨", ["小雨"]),
        ("さ", ["さくら"]),
        ("くら", ["さくら"]),
        ("김", ["김 선생"]),
        ("선생", ["김 선생"]),
        ("기", ["김 선생"]),  # a syllable still being composed by the input method
        ("ㄱ", ["김 선생"]),  # a bare consonant
    ],
)
def test_chinese_japanese_and_korean_queries_find_their_handles(query, expected):
    assert offered(query) == expected


def test_a_leading_sign_in_the_query_is_ignored():
    assert offered("@mar") == offered("mar") == offered("＠mar") == ["Mara", "María"]


def test_ties_go_to_the_shorter_handle_then_alphabetically():
    assert offered("o", ["Otto", "Oslo", "Omar", "Oz", "O'Brien"]) == [
        "Oz",
        "Omar",
        "Oslo",
        "Otto",
        "O'Brien",
    ]


def test_an_empty_query_lists_the_first_handles_alphabetically():
    assert offered("", limit=3) == ["Female lead", "Japanese", "Japanese boy"]
    assert offered("", ["b", "C", "a"]) == ["a", "b", "C"]


@pytest.mark.parametrize(("limit", "count"), [(0, 0), (-1, 0), (1, 1), (2, 2), (10, 3)])
def test_no_more_than_limit_candidates_are_offered(limit, count):
    assert len(offered("male", limit=limit)) == count


def test_the_candidates_themselves_are_returned_whatever_their_type():
    Row = namedtuple("Row", "handle pk")
    candidates = [Row("Mara", 1), SimpleNamespace(handle="María", pk=2), Element("Ana")]

    found = complete("ma", candidates)

    assert [id(item) for item in found] == [id(candidates[0]), id(candidates[1])]


def test_a_thousand_candidates_are_ranked_well_under_five_milliseconds():
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz老周小雨김선생さくら"
    handles = {
        " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(2))
        for _ in range(1000)
    }
    candidates = [Element(handle) for handle in sorted(handles)]

    for query in ("", "a", "ab", "mlead", "老", "김"):
        best = min(_seconds(lambda q=query: complete(q, candidates)) for _ in range(5))
        assert best < 0.005, query


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# Properties

QUERY_CHARS = "aeiMmlrd老周김ㄱさ@ "

candidates_strategy = st.lists(
    st.builds(Element, st.text(st.one_of(st.sampled_from(QUERY_CHARS), st.characters()))),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(
    candidates=candidates_strategy,
    query=st.text(st.one_of(st.sampled_from(QUERY_CHARS), st.characters()), max_size=4),
    limit=st.integers(-2, 15),
)
def test_completion_offers_at_most_limit_candidates_all_from_the_list(candidates, query, limit):
    found = complete(query, candidates, limit)

    assert len(found) <= max(limit, 0)
    assert len({id(item) for item in found}) == len(found)
    assert all(any(item is candidate for candidate in candidates) for item in found)


@settings(max_examples=200, deadline=None)
@given(
    candidates=candidates_strategy,
    query=st.text(st.sampled_from(QUERY_CHARS), min_size=1, max_size=3),
    limit=st.integers(1, 10),
)
def test_a_smaller_limit_offers_the_head_of_a_larger_one(candidates, query, limit):
    everything = complete(query, candidates, len(candidates) + 1)

    assert complete(query, candidates, limit) == everything[:limit]
    wanted = fold(query).lstrip("@")
    if wanted:
        prefixed = [c for c in candidates if fold(c.handle).startswith(wanted)]
        assert everything[: len(prefixed)] == sorted(
            prefixed,
            key=lambda c: (fold(c.handle) != wanted, len(c.handle), fold(c.handle), c.handle),
        )
