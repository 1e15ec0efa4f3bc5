"""A moderator's decision without a reason, with a reason over the limit, unknown, no longer
applying to its case (decided already), suspending twice, lifting no suspension or
suspending oneself is refused with a message on the page and changes nothing.
"""

import pytest

from tests.conftest import Cast
from tests.moderation_desk_helpers import (
    Desk,
    decide_url,
    held_case,
    make_desk,
    moderation_rows,
    shown_messages,
    take_case,
    user_decide_url,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_decision_without_a_reason_is_refused_with_a_message(
    cast: Cast, desk: Desk, media_root, reason: str
):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(decide_url(case), {"decision": "take_down", "reason": reason}, follow=True)
    assert answer.status_code == 200
    assert any("Give a reason" in message for message in shown_messages(answer))
    assert moderation_rows() == before
    # The same for a decision about the person.
    answer = client.post(user_decide_url(cast.owner), {"decision": "suspend"}, follow=True)
    assert any("Give a reason" in message for message in shown_messages(answer))
    assert moderation_rows() == before


def test_a_reason_over_the_limit_is_refused(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(
        decide_url(case), {"decision": "take_down", "reason": "x" * 1001}, follow=True
    )
    assert any("at most 1000" in message for message in shown_messages(answer))
    assert moderation_rows() == before


def test_an_unknown_decision_is_refused(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(decide_url(case), {"decision": "delete", "reason": "x"}, follow=True)
    assert any("Choose one of the decisions" in m for m in shown_messages(answer))
    assert moderation_rows() == before


@pytest.mark.parametrize(
    ("make", "first", "then"),
    [
        (take_case, "take_down", "take_down"),
        (take_case, "dismiss", "take_down"),
        (take_case, "take_down", "dismiss"),
        (held_case, "reject", "approve"),
        (held_case, "approve", "reject"),
        (held_case, "approve", "approve"),
        (take_case, "dismiss", "restore"),
        (take_case, "dismiss", "approve"),  # approving is for held generations only
    ],
)
def test_a_decision_that_no_longer_applies_shows_an_error_and_changes_nothing(
    cast: Cast, desk: Desk, media_root, make, first: str, then: str
):
    case = make(cast)
    client = desk.client("moderator")
    answer = client.post(decide_url(case), {"decision": first, "reason": "First"}, follow=True)
    assert any("done" in message for message in shown_messages(answer))
    before = moderation_rows()

    answer = client.post(decide_url(case), {"decision": then, "reason": "Second"}, follow=True)

    assert answer.status_code == 200
    [message] = shown_messages(answer)
    assert "does not apply" in message
    assert moderation_rows() == before


def test_suspending_twice_or_lifting_no_suspension_is_refused(cast: Cast, desk: Desk):
    client = desk.client("moderator")
    url = user_decide_url(cast.editor)
    before = moderation_rows()
    answer = client.post(url, {"decision": "lift", "reason": "x"}, follow=True)
    assert any("is not suspended" in m for m in shown_messages(answer))
    assert moderation_rows() == before
    client.post(url, {"decision": "suspend", "reason": "x"})
    before = moderation_rows()
    answer = client.post(url, {"decision": "suspend", "reason": "again"}, follow=True)
    assert any("already suspended" in m for m in shown_messages(answer))
    assert moderation_rows() == before


def test_a_moderator_cannot_suspend_themselves(desk: Desk):
    client = desk.client("moderator")
    before = moderation_rows()
    answer = client.post(
        user_decide_url(desk.moderator), {"decision": "suspend", "reason": "x"}, follow=True
    )
    assert any("cannot suspend yourself" in m for m in shown_messages(answer))
    assert moderation_rows() == before
