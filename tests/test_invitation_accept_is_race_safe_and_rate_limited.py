"""Accepting an invitation link is race-safe and rate limited.

On PostgreSQL, with real concurrent requests (one thread and one connection each, released at
a barrier): of two people taking the last use of a link at the same moment exactly one joins,
and one person accepting from two tabs at once gets one membership and spends one use.

Tokens that open nothing count, in a sliding window of the shared cache (Redis here), under the
caller's account, under its address with the token's first characters, and under its address
alone with a larger budget: the 21st is refused (429 with a Retry-After, whatever its token, and
spends nothing), while others behind the same address still join with their real links. The
clock of the limit is pinned.
"""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from plumbing import attempts
from sharing.models import Invitation, InvitationUse
from sharing.token_guard import INVITATION_GUESSES
from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.concurrency_helpers import at_once
from tests.conftest import Cast, make_user, needs_postgresql
from tests.sharing_helpers import accept_url, invite

USED_UP = "This invitation link has been used as many times as it allows."
ROUNDS = 5  # races per test: each a new link, so each a new chance to interleave badly
LIMIT = INVITATION_GUESSES.narrow.attempts
WINDOW = INVITATION_GUESSES.narrow.window_seconds
UNKNOWN_TOKEN = "an-unknown-token-of-43-characters-xxxxxx"  # and three digits


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
    """The limits' clock, pinned (move it with `clock.now`)."""
    pinned = SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(attempts, "time", SimpleNamespace(time=lambda: pinned.now))
    return pinned


def guess(client: APIClient, n: int, prefix: str = UNKNOWN_TOKEN):
    return client.post(accept_url(f"{prefix}{n:03}"))


def test_the_21st_unknown_token_gets_429_with_when_to_come_back(cast: Cast, clock):
    guesser = client_of(cast.outsider, "203.0.113.21")

    allowed = [guess(guesser, n) for n in range(LIMIT)]
    refused = guesser.post(accept_url(UNKNOWN_TOKEN))

    assert LIMIT == 20
    assert {answer.status_code for answer in allowed} == {404}
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many attempts: try again in 10 minutes."}
    assert refused["Retry-After"] == str(WINDOW)


def test_a_refused_attempt_spends_nothing_even_with_a_good_token(cast: Cast, clock, db_rows):
    invitation, token = invite(cast, "editor", max_uses=1)
    guesser = client_of(cast.outsider, "203.0.113.22")
    for n in range(LIMIT):
        guess(guesser, n)
    before = db_rows()

    response = guesser.post(accept_url(token))

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many attempts")
    assert db_rows() == before
    assert uses_of(invitation) == (0, 0)


def test_real_links_never_count(cast: Cast, clock):
    person = client_of(cast.outsider, "203.0.113.26")
    for _ in range(LIMIT + 5):
        _, token = invite(cast, "viewer")
        assert person.post(accept_url(token)).status_code == 200


def test_a_guesser_stops_neither_others_behind_the_same_address_nor_their_real_links(
    cast: Cast, clock
):
    _, token = invite(cast, "viewer")
    office = "203.0.113.23"
    guesser = client_of(cast.outsider, office)
    for n in range(LIMIT):
        guess(guesser, n)
    colleague = make_user("colleague")

    assert guess(guesser, 99).status_code == 429  # the guesser is stopped…
    assert guess(client_of(cast.outsider, "192.0.2.1"), 99).status_code == 429  # …anywhere
    # …while a colleague in the same office (one address) joins with a real link,
    assert client_of(colleague, office).post(accept_url(token)).status_code == 200
    assert Membership.objects.filter(project=cast.project, user=colleague).exists()
    # and is told "not valid" for a mistyped one, as anyone would be.
    assert client_of(colleague, office).post(accept_url("b" * 43)).status_code == 404


def test_an_address_guessing_with_every_prefix_is_stopped_by_a_larger_budget(cast: Cast, clock):
    _, token = invite(cast, "viewer")
    office = "203.0.113.27"
    budget = INVITATION_GUESSES.wide.attempts
    guessers = [make_user(f"guesser{n}") for n in range(budget // LIMIT + 1)]
    for n in range(budget):  # each token a new prefix, each account under its own limit
        prefix = f"{n:06}"
        answer = guess(client_of(guessers[n // LIMIT], office), n, prefix=prefix + "x" * 34)
        assert answer.status_code == 404, n

    latecomer = make_user("latecomer")
    assert budget > LIMIT
    assert client_of(latecomer, office).post(accept_url(token)).status_code == 429
    assert client_of(latecomer, "192.0.2.9").post(accept_url(token)).status_code == 200


def test_unknown_tokens_stop_counting_a_window_after_they_were_tried(cast: Cast, clock):
    _, token = invite(cast, "viewer")
    guesser = client_of(cast.outsider, "203.0.113.24")
    for n in range(LIMIT):
        guess(guesser, n)
        clock.now += 10
    assert guesser.post(accept_url(token)).status_code == 429

    clock.now += WINDOW - LIMIT * 10  # the first guess aged out: one more lookup
    assert guess(guesser, 100).status_code == 404
    assert guesser.post(accept_url(token)).status_code == 429

    clock.now += WINDOW
    assert guesser.post(accept_url(token)).status_code == 200


def test_a_short_wait_is_told_in_seconds(cast: Cast, clock):
    guesser = client_of(cast.outsider, "203.0.113.25")
    for n in range(LIMIT):
        guess(guesser, n)
    clock.now += WINDOW - 45  # 45 s before the guesses age out

    refused = guesser.post(accept_url(UNKNOWN_TOKEN))

    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many attempts: try again in 45 s."}
    assert refused["Retry-After"] == "45"
