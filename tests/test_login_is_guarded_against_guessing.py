"""Logins are guarded: five failures within a quarter hour lock an account (with a message
saying so and for how long), thirty from one address lock it out of every account; the page and
the API's token endpoint count the same failures. The quarter hour slides: each failure stops
counting fifteen minutes after it was made, so a burst across the edge of a clock's quarter
hour is locked all the same. Passwords are hashed with Argon2."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

import config.settings as configured
from plumbing import attempts
from plumbing.attempts import LOGIN_FAILURES_PER_ACCOUNT
from tests.conftest import PASSWORD

LOCKED = "Too many failed logins for this account: try again in"
WINDOW = LOGIN_FAILURES_PER_ACCOUNT.window_seconds


def log_in(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def test_five_failures_lock_the_account_even_against_the_right_password(cast) -> None:
    for _ in range(5):
        response = log_in("editor", "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = log_in("editor", PASSWORD)
    assert not logged_in(response)
    assert LOCKED in response.content.decode()
    # For the rest of the quarter hour: minutes, or seconds at its very end.
    assert re.search(r"try again in (\d+ minutes?|\d+ s)\.", response.content.decode())
    # Other accounts are not locked by it, nor from another address.
    assert logged_in(log_in("viewer", PASSWORD))
    assert not logged_in(log_in("editor", PASSWORD, address="10.0.0.2"))


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """The limits' clock, pinned 10 s before the end of a quarter hour of the wall clock (the
    edge a fixed window would reset at); move it with `clock.now`."""
    pinned = SimpleNamespace(now=1_800_000_000 // WINDOW * WINDOW + WINDOW - 10.0)
    monkeypatch.setattr(attempts, "time", SimpleNamespace(time=lambda: pinned.now))
    return pinned


def locked_for(response) -> str | None:
    found = re.search(rf"{LOCKED} ([^.]+)\.", response.content.decode())
    return found and found.group(1)


def test_a_burst_across_the_edge_of_a_quarter_hour_does_not_double_the_allowance(
    cast, clock
) -> None:
    for _ in range(5):
        log_in("editor", "wrong-password")
    clock.now += 20  # 10 s into the next quarter hour of the clock

    response = log_in("editor", PASSWORD)

    assert not logged_in(response)
    assert locked_for(response) == "15 minutes"  # 880 s: the first failure is 20 s old


def test_failures_stop_counting_one_by_one_as_they_age(cast, clock) -> None:
    start = clock.now
    for minute in range(5):  # a failure a minute
        clock.now = start + 60 * minute
        log_in("editor", "wrong-password")

    assert locked_for(log_in("editor", PASSWORD)) == "11 minutes"  # 660 s

    clock.now = start + WINDOW  # the first failure no longer counts: one more try
    assert locked_for(log_in("editor", "wrong-password")) is None
    assert locked_for(log_in("editor", PASSWORD)) == "60 s"  # until the second one ages

    clock.now = start + WINDOW + 15
    assert locked_for(log_in("editor", PASSWORD)) == "45 s"

    clock.now = start + WINDOW + 60  # the second failure aged: the right password works
    assert logged_in(log_in("editor", PASSWORD))


def test_a_success_starts_the_count_again(cast) -> None:
    for _ in range(4):
        log_in("Editor", "wrong-password")  # usernames count whatever their case
    assert logged_in(log_in("editor", PASSWORD))
    for _ in range(4):
        log_in("editor", "wrong-password")
    assert logged_in(log_in("editor", PASSWORD))


def test_thirty_failures_from_one_address_lock_it_out_of_every_account(cast) -> None:
    for i in range(30):
        log_in(f"nobody{i}", "wrong-password", address="10.9.9.9")
    assert not logged_in(log_in("viewer", PASSWORD, address="10.9.9.9"))
    assert logged_in(log_in("viewer", PASSWORD, address="10.9.9.8"))


def test_the_token_endpoint_counts_the_same_failures(cast) -> None:
    client = APIClient(REMOTE_ADDR="10.0.0.3")
    url = reverse("api-token")
    for _ in range(3):
        assert client.post(url, {"username": "editor", "password": "x"}).status_code == 400
    for _ in range(2):
        assert not logged_in(log_in("editor", "wrong-password", address="10.0.0.3"))
    refused = client.post(url, {"username": "editor", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(LOCKED)
    assert 0 < int(refused["Retry-After"]) <= 900


def test_the_token_endpoint_answers_a_token_and_clear_errors(cast) -> None:
    client = APIClient()
    url = reverse("api-token")
    answer = client.post(url, {"username": "editor", "password": PASSWORD})
    assert answer.status_code == 200
    assert len(answer.json()["token"]) == 40
    wrong = client.post(url, {"username": "editor", "password": "nope"})
    assert wrong.json() == {"non_field_errors": ["Wrong username or password."]}
    assert client.post(url, {"username": "editor"}).json() == {
        "password": ["This field is required."]
    }


def test_new_passwords_are_hashed_with_argon2_and_old_ones_upgraded(db, settings) -> None:
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user = User.objects.create_user("newcomer", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    older = User.objects.create_user("older")
    older.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # from before Argon2
    older.save()
    assert logged_in(log_in("older", PASSWORD))
    older.refresh_from_db()
    assert older.password.startswith("argon2$")
