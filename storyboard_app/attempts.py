"""Rate limits: attempts counted per key in fixed windows, in the cache every process shares.

`spend(*keys)` counts an attempt that is always made (opening an invitation link); `wait` and
`record` split it for attempts that count only when they fail (a login): check first, count
the failure after.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class AttemptLimit:
    name: str
    attempts: int
    window_seconds: int

    def _names(self, keys: tuple[str, ...]) -> tuple[list[str], float]:
        now = time.time()
        window = int(now // self.window_seconds)
        return [f"attempts:{self.name}:{key}:{window}" for key in keys], now

    def _left(self, now: float) -> int:
        return math.ceil(self.window_seconds - now % self.window_seconds)

    def wait(self, *keys: str) -> int:
        """0 if another attempt is allowed under every key, else the seconds until it is."""
        names, now = self._names(keys)
        counts = cache.get_many(names)
        return self._left(now) if any(c >= self.attempts for c in counts.values()) else 0

    def record(self, *keys: str) -> None:
        names, _ = self._names(keys)
        for name in names:
            if not cache.add(name, 1, self.window_seconds):
                try:
                    cache.incr(name)
                except ValueError:  # expired in between
                    cache.set(name, 1, self.window_seconds)

    def spend(self, *keys: str) -> int:
        """Count an attempt: 0 if it is allowed, else the seconds until one is (not counted)."""
        wait = self.wait(*keys)
        if not wait:
            self.record(*keys)
        return wait

    def clear(self, *keys: str) -> None:
        names, _ = self._names(keys)
        cache.delete_many(names)


def address_key(request) -> str:
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def client_keys(request) -> tuple[str, ...]:
    """The keys a request's attempts count under: its address and its user (if any)."""
    keys = [address_key(request)]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return tuple(keys)


def wait_message(seconds: int, what: str = "Too many attempts") -> str:
    minutes = math.ceil(seconds / 60)
    later = f"{minutes} minute{'s' if minutes != 1 else ''}" if seconds > 60 else f"{seconds} s"
    return f"{what}: try again in {later}."


# Invitation tokens are 256 bits, so guessing cannot work; this keeps anyone from trying.
INVITATION_ACCEPTS = AttemptLimit("invitation-accept", attempts=20, window_seconds=600)
# Failed logins: 5 per account, then it is locked for the rest of the 15 minutes; 30 from one
# address over all accounts (password spraying).
LOGIN_FAILURES_PER_ACCOUNT = AttemptLimit("login-account", attempts=5, window_seconds=900)
LOGIN_FAILURES_PER_ADDRESS = AttemptLimit("login-address", attempts=30, window_seconds=900)
