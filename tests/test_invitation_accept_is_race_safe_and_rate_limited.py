"""Accepting an invitation link is race-safe and rate limited.

On PostgreSQL, with real concurrent requests (one thread and one connection each, released at
a barrier): of two people taking the last use of a link at the same moment exactly one joins,
and one person accepting from two tabs at once gets one membership and spends one use.

Every attempt counts, under the caller's address and account, in fixed windows of the shared
cache (Redis here): the 21st attempt of a window gets 429 with a Retry-After, whatever its token,
and spends nothing. The clock of the limit is pinned so that no test straddles two windows.
"""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from sharing.models import Invitation, InvitationUse
from storyboard_app import attempts
from storyboard_app.attempts import INVITATION_ACCEPTS
from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.concurrency_helpers import at_once
from tests.conftest import Cast, make_user, needs_postgresql
from tests.sharing_helpers import accept_url, invite

USED_UP = "This invitation link has been used as many times as it allows."
ROUNDS = 5  # races per test: each a new link, so each a new chance to interleave badly
LIMIT = INVITATION_ACCEPTS.attempts
WINDOW = INVITATION_ACCEPTS.window_seconds
UNKNOWN_TOKEN = "an-unknown-token-of-43-characters-xxxxxxxx"


def client_of(user, address: str = "127.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.force_authenticate(user)
    return client


def accepting(client: APIClient, token: str):
    return lambda: client.post(accept_url(token))


def uses_of(invitation: Invitation) -> tuple[int, int]:
    invitation.refresh_from_db()
    return invitation.uses, InvitationUse.objects.filter(invitation=invitation).count()


# Races


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_two_people_taking_the_last_use_at_once_exactly_one_joins(cast: Cast):
    for round_ in range(ROUNDS):
        invitation, token = invite(cast, "editor", max_uses=1)
        people = [make_user(f"first{round_}"), make_user(f"second{round_}")]
        clients = [
            client_of(person, f"198.51.100.{10 * round_ + n}") for n, person in enumerate(people)
        ]

        answers = at_once(*(accepting(client, token) for client in clients))

        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 410], [answer.content for answer in answers]
        refused = next(answer for answer in answers if answer.status_code == 410)
        assert refused.json() == {"detail": USED_UP}
        joined = Membership.objects.filter(project=cast.project, user__in=people)
        assert [(m.role, m.user_id) for m in joined] == [
            (Role.EDITOR, next(a for a in answers if a.status_code == 200).json()["user"])
        ]
        assert uses_of(invitation) == (1, 1)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_person_accepting_from_two_tabs_at_once_joins_once_and_spends_one_use(cast: Cast):
    for round_ in range(ROUNDS):
        invitation, token = invite(cast, "commenter", max_uses=1)
        person = make_user(f"twotabs{round_}")
        tabs = [client_of(person, "198.51.100.200"), client_of(person, "198.51.100.200")]

        answers = at_once(*(accepting(tab, token) for tab in tabs))

        assert [answer.status_code for answer in answers] == [200, 200], [
            answer.content for answer in answers
        ]
        assert answers[0].json() == answers[1].json()
        assert answers[0].json()["role"] == "commenter"
        memberships = Membership.objects.filter(project=cast.project, user=person)
        assert [membership.role for membership in memberships] == [Role.COMMENTER]
        assert uses_of(invitation) == (1, 1)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_people_racing_for_three_uses_leave_exactly_three_members(cast: Cast):
    invitation, token = invite(cast, "viewer", max_uses=3)
    people = [make_user(f"racer{number}") for number in range(8)]
    clients = [client_of(person, f"198.51.100.{100 + n}") for n, person in enumerate(people)]

    answers = at_once(*(accepting(client, token) for client in clients))

    assert sorted(answer.status_code for answer in answers) == [200] * 3 + [410] * 5
    assert Membership.objects.filter(project=cast.project, user__in=people).count() == 3
    assert uses_of(invitation) == (3, 3)


# Rate limit


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """The limit's clock, pinned 100 s into a window (move it with `clock.now`)."""
    pinned = SimpleNamespace(now=1_800_000_000 // WINDOW * WINDOW + 100.0)
    monkeypatch.setattr(attempts, "time", SimpleNamespace(time=lambda: pinned.now))
    return pinned


def test_the_21st_attempt_in_a_window_gets_429_with_when_to_come_back(cast: Cast, clock):
    guesser = client_of(cast.outsider, "203.0.113.21")

    allowed = [guesser.post(accept_url(f"{UNKNOWN_TOKEN}{n:02}")) for n in range(LIMIT)]
    refused = guesser.post(accept_url(UNKNOWN_TOKEN))

    assert LIMIT == 20
    assert {answer.status_code for answer in allowed} == {404}
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many attempts: try again in 9 minutes."}
    assert refused["Retry-After"] == str(WINDOW - 100)


def test_a_refused_attempt_spends_nothing_even_with_a_good_token(cast: Cast, clock, db_rows):
    invitation, token = invite(cast, "editor", max_uses=1)
    guesser = client_of(cast.outsider, "203.0.113.22")
    for n in range(LIMIT):
        guesser.post(accept_url(f"{UNKNOWN_TOKEN}{n:02}"))
    before = db_rows()

    response = guesser.post(accept_url(token))

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many attempts")
    assert db_rows() == before
    assert uses_of(invitation) == (0, 0)


def test_the_limit_counts_per_address_and_per_account(cast: Cast, clock):
    _, token = invite(cast, "viewer")
    for n in range(LIMIT):
        client_of(cast.outsider, "203.0.113.23").post(accept_url(f"{UNKNOWN_TOKEN}{n:02}"))
    stranger = make_user("stranger")

    same_account_elsewhere = client_of(cast.outsider, "192.0.2.1").post(accept_url(token))
    same_address_other_account = client_of(stranger, "203.0.113.23").post(accept_url(token))
    someone_else = client_of(stranger, "192.0.2.2").post(accept_url(token))

    assert same_account_elsewhere.status_code == 429
    assert same_address_other_account.status_code == 429
    assert someone_else.status_code == 200
    assert Membership.objects.filter(project=cast.project, user=stranger).exists()


def test_the_next_window_lets_the_caller_try_again(cast: Cast, clock):
    _, token = invite(cast, "viewer")
    guesser = client_of(cast.outsider, "203.0.113.24")
    for n in range(LIMIT + 5):
        guesser.post(accept_url(f"{UNKNOWN_TOKEN}{n:02}"))
    assert guesser.post(accept_url(token)).status_code == 429

    clock.now += WINDOW - 100  # the first second of the next window

    assert guesser.post(accept_url(token)).status_code == 200


def test_a_short_wait_is_told_in_seconds(cast: Cast, clock):
    clock.now += WINDOW - 100 - 45  # 45 s before the window ends
    guesser = client_of(cast.outsider, "203.0.113.25")
    for n in range(LIMIT):
        guesser.post(accept_url(f"{UNKNOWN_TOKEN}{n:02}"))

    refused = guesser.post(accept_url(UNKNOWN_TOKEN))

    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many attempts: try again in 45 s."}
    assert refused["Retry-After"] == "45"
