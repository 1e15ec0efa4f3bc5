"""What the live layer shares between processes: each project's event counter and who is present.

Both live in Redis when the channel layer does (every ASGI and worker process sees the same
counter and the same presence), or in this process's memory when it runs alone with the
in-memory layer. Presence entries carry the time they were last confirmed: an entry left by a
process that died without saying goodbye drops out after `PRESENCE_TTL_SECONDS`.
"""

import json
import time
from collections import defaultdict

from django.conf import settings
from redis import asyncio as aioredis

from plumbing.loop_redis import LoopRedis

# A client pings every 20 s (live.js); an entry not confirmed for this long is a ghost.
PRESENCE_TTL_SECONDS = 60.0
# Connections to Redis per event loop, and how long a call waits for one.
MAX_REDIS_CONNECTIONS = 50
REDIS_WAIT_SECONDS = 10.0
# Counters and presence of a project nobody touched for a week are dropped.
KEY_TTL_SECONDS = 7 * 24 * 3600


def _seq_key(project_id: int) -> str:
    return f"live:seq:{project_id}"


def _presence_key(project_id: int) -> str:
    return f"live:presence:{project_id}"


def _fresh(entries: dict[str, dict], now: float) -> tuple[list[dict], list[str]]:
    fresh, stale = [], []
    for connection, entry in entries.items():
        if now - entry["seen"] <= PRESENCE_TTL_SECONDS:
            fresh.append(entry)
        else:
            stale.append(connection)
    fresh.sort(key=lambda entry: entry["since"])
    return fresh, stale


# Deletes each stale entry only if it is still the value that was read: a ping that refreshed it
# in between keeps it.
_DROP_UNCHANGED = """
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
"""


class RedisLiveState:
    """The shared state in Redis (one client per event loop)."""

    def __init__(self, url: str) -> None:
        self._clients = LoopRedis(url, MAX_REDIS_CONNECTIONS, REDIS_WAIT_SECONDS)

    def _redis(self) -> aioredis.Redis:
        return self._clients.client()

    async def next_seq(self, project_id: int) -> int:
        key = _seq_key(project_id)
        async with self._redis().pipeline(transaction=True) as pipe:
            seq, _ = await pipe.incr(key).expire(key, KEY_TTL_SECONDS).execute()
        return seq

    async def current_seq(self, project_id: int) -> int:
        return int(await self._redis().get(_seq_key(project_id)) or 0)

    async def put_presence(self, project_id: int, entry: dict) -> None:
        key = _presence_key(project_id)
        async with self._redis().pipeline(transaction=False) as pipe:
            await (
                pipe.hset(key, entry["connection"], json.dumps(entry))
                .expire(key, KEY_TTL_SECONDS)
                .execute()
            )

    async def drop_presence(self, project_id: int, connection: str) -> None:
        await self._redis().hdel(_presence_key(project_id), connection)

    async def presence(self, project_id: int) -> list[dict]:
        key = _presence_key(project_id)
        raw = {field.decode(): value for field, value in (await self._redis().hgetall(key)).items()}
        entries = {connection: json.loads(value) for connection, value in raw.items()}
        fresh, stale = _fresh(entries, time.time())
        if stale:
            pairs = [item for connection in stale for item in (connection, raw[connection])]
            await self._redis().eval(_DROP_UNCHANGED, 1, key, *pairs)
        return fresh


class MemoryLiveState:
    """The same state for a single process (the in-memory channel layer)."""

    def __init__(self) -> None:
        self._seq: dict[int, int] = defaultdict(int)
        self._presence: dict[int, dict[str, dict]] = defaultdict(dict)

    async def next_seq(self, project_id: int) -> int:
        self._seq[project_id] += 1
        return self._seq[project_id]

    async def current_seq(self, project_id: int) -> int:
        return self._seq[project_id]

    async def put_presence(self, project_id: int, entry: dict) -> None:
        self._presence[project_id][entry["connection"]] = dict(entry)

    async def drop_presence(self, project_id: int, connection: str) -> None:
        self._presence[project_id].pop(connection, None)

    async def presence(self, project_id: int) -> list[dict]:
        entries = self._presence[project_id]
        fresh, stale = _fresh(entries, time.time())
        for connection in stale:
            del entries[connection]
        return [dict(entry) for entry in fresh]


_state: RedisLiveState | MemoryLiveState | None = None


def live_state() -> RedisLiveState | MemoryLiveState:
    """The store for this process, chosen by the channel layer's settings."""
    global _state
    if _state is None:
        _state = RedisLiveState(settings.REDIS_URL) if settings.REDIS_URL else MemoryLiveState()
    return _state
