"""Rate limits: attempts counted per key over a sliding window, in the cache every process shares.

Each key keeps the times of its attempts (in Redis, a sorted set scored by time). An attempt is
allowed while fewer than `attempts` of them are younger than the window; they stop counting one
by one as they age, and the wait told is until the next one does. (A fixed window let a burst at
the end of one window and another at the start of the next through: twice the allowance.)

`spend(*keys)` counts an attempt that is always made (a report to the moderators); `wait` and
`record` split it for attempts that count only when they fail (a login): check first, count
the failure after.
"""

import math
import secrets
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

# One round trip, atomic over all the keys: drop what aged out, find the wait, maybe add.
# KEYS: the sets; ARGV: now, window, attempts, mode ("check", "spend", "record"), a member.
SLIDING_WINDOW_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if ARGV[4] ~= 'record' then
    local count = redis.call('ZCARD', key)
    if count >= limit then
      local freed = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
      wait = math.max(wait, tonumber(freed[2]) + window - now)
    end
  end
end
if ARGV[4] == 'check' or wait > 0 then
  return tostring(wait)
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[5])
  redis.call('EXPIRE', key, math.ceil(window))
end
return '0'
"""


@dataclass(frozen=True)
class AttemptLimit:
    name: str
    attempts: int
    window_seconds: int

    def wait(self, *keys: str) -> int:
        """0 if another attempt is allowed under every key, else the seconds until it is."""
        return self._run(keys, "check")

    def record(self, *keys: str) -> None:
        self._run(keys, "record")

    def spend(self, *keys: str) -> int:
        """Count an attempt: 0 if it is allowed, else the seconds until one is (not counted)."""
        return self._run(keys, "spend")

    def clear(self, *keys: str) -> None:
        caches["default"].delete_many(self._names(keys))

    def _names(self, keys: tuple[str, ...]) -> list[str]:
        return [f"attempts:{self.name}:{key}" for key in keys]

    def _run(self, keys: tuple[str, ...], mode: str) -> int:
        now, cache = time.time(), caches["default"]
        if not isinstance(cache, RedisCache):
            return self._run_in_process(cache, keys, mode, now)
        names = [cache.make_key(name) for name in self._names(keys)]
        client = cache._cache.get_client(names[0], write=True)  # Django's own Redis client
        member = f"{now}:{secrets.token_hex(6)}"  # two attempts in one instant are two
        args = [now, self.window_seconds, self.attempts, mode, member]
        return math.ceil(float(client.register_script(SLIDING_WINDOW_SCRIPT)(names, args)))

    def _run_in_process(self, cache, keys: tuple[str, ...], mode: str, now: float) -> int:
        """The same rule on a cache without sorted sets (the in-memory one of a checkout
        without Redis): the times as a list, not atomic (one process, so good enough)."""
        names = self._names(keys)
        times = {
            name: [t for t in cache.get(name, []) if t > now - self.window_seconds]
            for name in names
        }
        wait = 0.0
        if mode != "record":
            for kept in times.values():
                if len(kept) >= self.attempts:
                    freed = sorted(kept)[len(kept) - self.attempts]
                    wait = max(wait, freed + self.window_seconds - now)
        if mode != "check" and not wait:
            for name, kept in times.items():
                cache.set(name, [*kept, now], self.window_seconds)
        return math.ceil(wait)


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


# Failed logins: 5 per account, then it is locked for the rest of the 15 minutes; 30 from one
# address over all accounts (password spraying).
LOGIN_FAILURES_PER_ACCOUNT = AttemptLimit("login-account", attempts=5, window_seconds=900)
LOGIN_FAILURES_PER_ADDRESS = AttemptLimit("login-address", attempts=30, window_seconds=900)
