"""Password reset links are throttled: five requests an hour per e-mail address typed and twenty
an hour per client address; over a limit the form says how long to wait (429) and no e-mail is
sent. The answers are the same whether the address has an account or not. The clock of the
limits is pinned (and moved) by the tests."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.password_reset import RESETS_PER_ADDRESS, RESETS_PER_EMAIL
from plumbing import attempts
from tests.conftest import Cast

TOO_MANY = "Too many password reset requests: try again in"
HOUR = RESETS_PER_EMAIL.window_seconds


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    pinned = SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(attempts, "time", SimpleNamespace(time=lambda: pinned.now))
    return pinned


def ask_reset(email: str, address: str = "198.51.100.1"):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def refused(response) -> bool:
    return response.status_code == 429 and TOO_MANY in response.content.decode()


def test_the_sixth_request_in_an_hour_for_one_account_sends_nothing(cast: Cast, clock):
    answers = [ask_reset("editor@example.com") for _ in range(RESETS_PER_EMAIL.attempts)]

    sixth = ask_reset("Editor@Example.com")  # the same address, however it is typed

    assert RESETS_PER_EMAIL.attempts == 5
    assert [answer.status_code for answer in answers] == [302] * 5
    assert len(mail.outbox) == 5
    assert refused(sixth)
    assert f"{TOO_MANY} 60 minutes." in sixth.content.decode()
    assert len(mail.outbox) == 5
    # Other accounts are not held up by it.
    assert ask_reset("viewer@example.com").status_code == 302
    assert len(mail.outbox) == 6


def test_the_limit_of_an_account_holds_from_every_address(cast: Cast, clock):
    for n in range(RESETS_PER_EMAIL.attempts):
        ask_reset("editor@example.com", address=f"198.51.100.{10 + n}")

    assert refused(ask_reset("editor@example.com", address="192.0.2.77"))
    assert len(mail.outbox) == 5


def test_the_answers_do_not_tell_whether_an_address_has_an_account(cast: Cast, clock):
    def answers(email: str) -> list[tuple[int, str]]:
        sent = [ask_reset(email, address="198.51.100.2") for _ in range(6)]
        return [(a.status_code, a.get("Location", "")) for a in sent[:5]] + [
            (sent[5].status_code, sent[5].context["form"].errors["email"][0])
        ]

    known = answers("owner@example.com")
    unknown = answers("nobody-here@example.com")

    assert known == unknown
    assert known[-1] == (429, f"{TOO_MANY} 60 minutes.")
    assert [message.to for message in mail.outbox] == [["owner@example.com"]] * 5


def test_twenty_requests_from_one_address_stop_it_for_every_account(cast: Cast, clock):
    for n in range(RESETS_PER_ADDRESS.attempts):
        assert ask_reset(f"someone{n}@example.com", address="203.0.113.5").status_code == 302

    assert RESETS_PER_ADDRESS.attempts == 20
    assert refused(ask_reset("viewer@example.com", address="203.0.113.5"))
    assert mail.outbox == []
    assert ask_reset("viewer@example.com", address="203.0.113.6").status_code == 302
    assert len(mail.outbox) == 1


def test_requests_stop_counting_an_hour_after_they_were_made(cast: Cast, clock):
    start = clock.now
    for minute in range(RESETS_PER_EMAIL.attempts):
        clock.now = start + 10 * 60 * minute
        ask_reset("editor@example.com")
    assert f"{TOO_MANY} 20 minutes." in ask_reset("editor@example.com").content.decode()

    clock.now = start + HOUR  # the first request aged out: one more e-mail
    assert ask_reset("editor@example.com").status_code == 302
    assert refused(ask_reset("editor@example.com"))
    assert len(mail.outbox) == 6
