"""How many project sockets one user may hold open at once, across every ASGI process.

Each open socket takes a slot: a connection id in two sorted sets in Redis, one per user and one
per user and project, scored with the time it was last confirmed. A socket refreshes its slot
whenever its client pings (live.js pings every 20 s) and gives it back when it closes; a slot
left by a process that died is not confirmed any more and stops counting after
`SLOT_TTL_SECONDS`, and the keys themselves expire, so a crash cannot use slots up for good.
Without Redis (the in-memory channel layer, one process) the slots are counted in memory.
"""

import time
from collections import defaultdict

from django.conf import settings
from redis import asyncio as aioredis

from plumbing.loop_redis import LoopRedis

# A person works in a few tabs; a client opening hundreds of sockets is a runaway or an attack
# (each holds memory, a snapshot's 8 queries, and a share of every event's fan-out).
SOCKETS_PER_USER_PER_PROJECT = 8
SOCKETS_PER_USER = 32
# Three missed pings (background tabs may ping only once a minute) and a slot is free again.
SLOT_TTL_SECONDS = 120.0
# Connections to Redis per event loop, and how long a call waits for one (as live_state).
MAX_REDIS_CONNECTIONS = 20
REDIS_WAIT_SECONDS = 10.0


def user_key(user_id: int) -> str:
    return f"live:sockets:{user_id}"


def project_key(user_id: int, project_id: int) -> str:
    return f"live:sockets:{user_id}:{project_id}"


def refusal(project_full: bool) -> str:
    """Why a socket was refused, for the close frame's reason (at most 123 bytes)."""
    if project_full:
        return f"Too many open tabs on this project (at most {SOCKETS_PER_USER_PER_PROJECT})."
    return f"Too many open tabs on your projects (at most {SOCKETS_PER_USER})."


# Drops the unconfirmed slots, then takes one if both counts allow it: 0 taken, 1 the user's
# limit reached, 2 the project's. One script, so two processes cannot both take the last slot.
_TAKE = """
local stale = tonumber(ARGV[1]) - tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', stale)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', stale)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[i], math.ceil(tonumber(ARGV[3])))
end
return 0
"""


class RedisSlots:
    """The slots in Redis (one client per event loop)."""

    def __init__(self, url: str) -> None:
        self._clients = LoopRedis(url, MAX_REDIS_CONNECTIONS, REDIS_WAIT_SECONDS)

    def _redis(self) -> aioredis.Redis:
        return self._clients.client()

    async def take(self, user_id: int, project_id: int, connection: str) -> str | None:
        """Take a slot for `connection`: None if taken, else why not."""
        keys = (user_key(user_id), project_key(user_id, project_id))
        limits = (SOCKETS_PER_USER, SOCKETS_PER_USER_PER_PROJECT)
        verdict = await self._redis().eval(
            _TAKE, 2, *keys, time.time(), connection, SLOT_TTL_SECONDS, *limits
        )
        return None if verdict == 0 else refusal(project_full=verdict == 2)

    async def refresh(self, user_id: int, project_id: int, connection: str) -> None:
        now = time.time()
        async with self._redis().pipeline(transaction=False) as pipe:
            for key in (user_key(user_id), project_key(user_id, project_id)):
                pipe.zadd(key, {connection: now}, xx=True).expire(key, int(SLOT_TTL_SECONDS))
            await pipe.execute()

    async def give_back(self, user_id: int, project_id: int, connection: str) -> None:
        async with self._redis().pipeline(transaction=False) as pipe:
            pipe.zrem(user_key(user_id), connection)
            pipe.zrem(project_key(user_id, project_id), connection)
            await pipe.execute()


class MemorySlots:
    """The same slots for a single process (the in-memory channel layer)."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, float]] = defaultdict(dict)

    def _fresh(self, key: str, now: float) -> dict[str, float]:
        slots = self._seen[key]
        for connection in [c for c, seen in slots.items() if now - seen > SLOT_TTL_SECONDS]:
            del slots[connection]
        return slots

    async def take(self, user_id: int, project_id: int, connection: str) -> str | None:
        now = time.time()
        mine = self._fresh(user_key(user_id), now)
        here = self._fresh(project_key(user_id, project_id), now)
        if len(here) >= SOCKETS_PER_USER_PER_PROJECT:
            return refusal(project_full=True)
        if len(mine) >= SOCKETS_PER_USER:
            return refusal(project_full=False)
        mine[connection] = here[connection] = now
        return None

    async def refresh(self, user_id: int, project_id: int, connection: str) -> None:
        for key in (user_key(user_id), project_key(user_id, project_id)):
            if connection in self._seen[key]:
                self._seen[key][connection] = time.time()

    async def give_back(self, user_id: int, project_id: int, connection: str) -> None:
        for key in (user_key(user_id), project_key(user_id, project_id)):
            self._seen[key].pop(connection, None)


_slots: RedisSlots | MemorySlots | None = None


def socket_slots() -> RedisSlots | MemorySlots:
    """The slot counter for this process, chosen as live_state chooses its store."""
    global _slots
    if _slots is None:
        _slots = RedisSlots(settings.REDIS_URL) if settings.REDIS_URL else MemorySlots()
    return _slots
