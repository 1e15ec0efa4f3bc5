"""Rate limits: attempts counted per key in fixed windows, in the cache every process shares.

`INVITATION_ACCEPTS.spend(user_key, ip_key)` counts one attempt under each key and says how
long to wait when any of them is over its limit.
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

    def _key(self, key: str, window: int) -> str:
        return f"attempts:{self.name}:{key}:{window}"

    def spend(self, *keys: str) -> int:
        """Count an attempt under each key: 0 if allowed, else the seconds until it is."""
        now = time.time()
        window = int(now // self.window_seconds)
        over = False
        for key in keys:
            name = self._key(key, window)
            cache.add(name, 0, self.window_seconds)
            try:
                count = cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.set(name, 1, self.window_seconds)
                count = 1
            over = over or count > self.attempts
        return math.ceil((window + 1) * self.window_seconds - now) if over else 0


def client_keys(request) -> tuple[str, ...]:
    """The keys a request's attempts count under: its user (if any) and its address."""
    keys = [f"ip:{request.META.get('REMOTE_ADDR', '')}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return tuple(keys)


def wait_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    later = f"{minutes} minute{'s' if minutes != 1 else ''}" if seconds > 60 else f"{seconds} s"
    return f"Too many attempts: try again in {later}."


# Invitation tokens are 256 bits, so guessing cannot work; this keeps anyone from trying.
INVITATION_ACCEPTS = AttemptLimit("invitation-accept", attempts=20, window_seconds=600)
