"""`rename_mentions` (script/mentions.py): only mentions of the renamed handle change.

Pure Python, no database.
"""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from script.mentions import HandleIndex, find_mentions, fold, rename_mentions

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
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Japanese and @Japanese boy", "@Nihon and @Japanese boy"),
        ("@Japanese girl", "@Nihon girl"),
        ("@japanese, @JAPANESE.", "@Nihon, @Nihon."),
        ("＠Ｊａｐａｎｅｓｅ waves", "＠Nihon waves"),
        ("@Japanese's hat", "@Nihon's hat"),
        ("@Japanese boys", "@Nihon boys"),
        ("@Japanesey and @Japanese boy", "@Japanesey and @Japanese boy"),
        ("mail ana@Japanese.com", "mail ana@Japanese.com"),
        ("Japanese without a sign", "Japanese without a sign"),
    ],
)
def test_renaming_a_shorter_handle_leaves_the_longer_one_alone(text, expected):
    assert rename_mentions(text, "Japanese", "Nihon", LIBRARY) == expected


def test_renaming_the_longer_handle_leaves_the_shorter_one_alone():
    text = "@Japanese boy and @Japanese girl"

    assert rename_mentions(text, "Japanese boy", "Kenji", LIBRARY) == "@Kenji and @Japanese girl"


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        ("@老周站在码头", "老周", "老李", "@老李站在码头"),
        ("码头上@老周和@小雨说话", "小雨", "阿雨", "码头上@老周和@阿雨说话"),
        ("@김 선생 들어온다", "김 선생", "박 선생", "@박 선생 들어온다"),
        ("@さくらが笑う", "さくら", "はな", "@はなが笑う"),
        ("@María sonríe, @Mara no", "María", "Marina", "@Marina sonríe, @Mara no"),
        ("@Mara sonríe, @María no", "Mara", "Marta", "@Marta sonríe, @María no"),
        ("@Male lead walks", "Male lead", "Female lead", "@Female lead walks"),
        ("@kling lipstick.", "kling lipstick", "red lipstick", "@red lipstick."),
    ],
)
def test_mentions_are_renamed_in_any_script(text, old, new, expected):
    assert rename_mentions(text, old, new, LIBRARY) == expected


def test_everything_around_the_mentions_stays_byte_identical():
    text = "  @Mara,\n\t@Mara's  coat\r\n「@Mara」 ana@Mara.org @Maraschino  "

    renamed = rename_mentions(text, "Mara", "Marah", LIBRARY)

    assert renamed == "  @Marah,\n\t@Marah's  coat\r\n「@Marah」 ana@Mara.org @Maraschino  "


def test_a_text_without_mentions_of_the_old_handle_is_returned_unchanged():
    text = "@Japanese boy and @老周 at the dock"

    assert rename_mentions(text, "Mara", "Marah", LIBRARY) is text


def test_the_old_handle_is_renamed_even_if_the_library_no_longer_lists_it():
    assert rename_mentions("@Mara waves", "Mara", "Marah", ["Marah", "Ana"]) == "@Marah waves"


def test_the_old_handle_may_be_given_in_any_case():
    assert rename_mentions("@Mara waves", "MARA", "Marah", LIBRARY) == "@Marah waves"


def test_a_prepared_index_works_like_a_list():
    text = "@Japanese girl meets @Japanese boy"

    assert rename_mentions(text, "Japanese", "Nihon", HandleIndex(LIBRARY)) == rename_mentions(
        text, "Japanese", "Nihon", LIBRARY
    )


def test_renaming_to_an_empty_handle_is_refused():
    with pytest.raises(ValueError, match="empty"):
        rename_mentions("@Mara", "Mara", " ", LIBRARY)


# Property: old → new → old restores the text when new conflicts with no other handle.

HANDLE_CHARS = "abcdeéñABC1老周小雨さくら김선생"  # no "q": renamed handles start with it
FILLER_CHARS = "xyzXYZ的了ね다"
SEPARATORS = [" ", ", ", "\n", "。", "'s ", " (", ") "]

handles_strategy = st.lists(
    st.lists(st.text(HANDLE_CHARS, min_size=1, max_size=5), min_size=1, max_size=3).map(" ".join),
    min_size=1,
    max_size=10,
    unique_by=fold,
)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    handles=handles_strategy,
    new=st.text(HANDLE_CHARS + " ", max_size=6).map(lambda tail: ("Qq" + tail).strip()),
)
def test_renaming_there_and_back_restores_the_text(data, handles, new):
    old = data.draw(st.sampled_from(handles))
    pieces = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(handles).map(lambda handle: "@" + handle),
                st.text(FILLER_CHARS, min_size=1, max_size=4),
            ),
            max_size=10,
        )
    )
    text = ""
    for piece in pieces:
        text += (data.draw(st.sampled_from(SEPARATORS)) if text else "") + piece
    assume("  " not in new)
    renamed_library = [new if handle == old else handle for handle in handles]

    renamed = rename_mentions(text, old, new, handles)
    restored = rename_mentions(renamed, new, old, renamed_library)

    assert restored == text
    mentions_of_old = [m for m in find_mentions(text, handles) if m.handle == old]
    mentions_of_new = [m for m in find_mentions(renamed, renamed_library) if m.handle == new]
    assert len(mentions_of_new) == len(mentions_of_old)
