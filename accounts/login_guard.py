"""Logins guarded against guessing, for the login page and the API's token endpoint alike:
too many failures for one account (or from one address) lock it out for a while, with a
message that says so and for how long."""

import hashlib

from django.contrib.auth import authenticate

from moderation.access import suspension_reason
from plumbing.attempts import (
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ADDRESS,
    address_key,
    wait_message,
)


class LockedOut(Exception):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.message = wait_message(seconds, "Too many failed logins for this account")
        super().__init__(self.message)


class Suspended(Exception):
    def __init__(self, reason: str) -> None:
        self.message = f"This account is suspended by the moderators: {reason}"
        super().__init__(self.message)


def _account_key(username: str) -> str:
    # Hashed: a username may hold any character, a cache key may not.
    return f"account:{hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]}"


def guarded_authenticate(request, username: str, password: str):
    """The user, or None for wrong credentials; LockedOut before trying once locked,
    Suspended for the right password of a suspended account."""
    account, address = _account_key(username), address_key(request)
    wait = max(LOGIN_FAILURES_PER_ACCOUNT.wait(account), LOGIN_FAILURES_PER_ADDRESS.wait(address))
    if wait:
        raise LockedOut(wait)
    user = authenticate(request, username=username, password=password)
    if user is None and (reason := suspension_reason(username, password)) is not None:
        raise Suspended(reason)
    if user is None:
        LOGIN_FAILURES_PER_ACCOUNT.record(account)
        LOGIN_FAILURES_PER_ADDRESS.record(address)
    else:
        LOGIN_FAILURES_PER_ACCOUNT.clear(account)
    return user
