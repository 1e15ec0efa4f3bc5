"""Two moderators deciding one case at the same moment: exactly one decision is done (one
audit row, one state, one notice at most), the other is told it no longer applies.
"""

import threading

import pytest
from django.db import connections

from jobs.models import Take
from moderation.choices import CaseState
from moderation.models import (
    AuditEntry,
    Notice,
)
from moderation_desk import actions, takedown
from tests.conftest import Cast
from tests.moderation_desk_helpers import (
    Desk,
    decide_url,
    make_desk,
    shown_messages,
    take_case,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decisions", [("take_down", "take_down"), ("take_down", "dismiss")])
def test_two_moderators_deciding_one_case_at_once_exactly_one_wins(
    cast: Cast, desk: Desk, media_root, monkeypatch, decisions
):
    case = take_case(cast)
    clients = [desk.client("moderator"), desk.client("second")]
    # Both reach the case's lock together; the first to get it holds it a while.
    together = threading.Barrier(2)
    check = actions._check

    def check_then_wait(by) -> None:
        check(by)
        together.wait(timeout=10)

    remove = takedown.remove

    def slow_remove(*args):
        threading.Event().wait(0.3)
        return remove(*args)

    monkeypatch.setattr(actions, "_check", check_then_wait)
    monkeypatch.setattr(takedown, "remove", slow_remove)
    answers: list = [None, None]

    def decide(index: int) -> None:
        try:
            answers[index] = clients[index].post(
                decide_url(case),
                {"decision": decisions[index], "reason": f"By {index}"},
                follow=True,
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    said = [shown_messages(answer) for answer in answers]
    won = [i for i, messages in enumerate(said) if any("done" in m for m in messages)]
    lost = [i for i, messages in enumerate(said) if any("does not apply" in m for m in messages)]
    assert len(won) == 1, said
    assert len(lost) == 1, said
    [winner] = won
    entries = AuditEntry.objects.filter(case=case)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == [desk.moderator, desk.second][winner]
    assert entry.reason == f"By {winner}"
    case.refresh_from_db()
    expected = {"take_down": CaseState.REMOVED, "dismiss": CaseState.DISMISSED}
    assert case.state == expected[decisions[winner]]
    assert case.decided_by == entry.actor
    take = Take.objects.get(pk=case.take_id)
    assert (take.removed_at is not None) == (decisions[winner] == "take_down")
    assert Notice.objects.filter(case=case).count() == (decisions[winner] == "take_down")
