"""How an event leaves a process: numbered per project, throttled when it is progress, sent once.

Every event gets the project's next sequence number (one counter in Redis shared by all
processes, `live_state`) and goes to the project's group. From sync code (views, tasks) events go
through one event loop per process, in a thread, which also runs the progress throttle's timers.
The in-memory channel layer (a single process, unit tests) is sent to directly and unthrottled.
"""

import asyncio
import json
import logging
import os
import threading
import weakref
from collections.abc import Callable, Coroutine

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from plumbing.live_state import live_state
from plumbing.throttle import ProgressThrottle, Throttled

logger = logging.getLogger(__name__)

# How long a publisher waits for the channel layer before giving up on one event.
PUBLISH_TIMEOUT_SECONDS = 5.0
# At most 5 progress events per second per job.
PROGRESS_INTERVAL_SECONDS = 0.2
# The message type the project consumer handles (`ProjectConsumer.project_event`).
EVENT_MESSAGE = "project.event"
MEMBER_MESSAGE = "member.changed"


def project_group(project_id: int) -> str:
    return f"project_{project_id}"


def member_group(project_id: int, user_id: int) -> str:
    """The sockets one member has open on one project (closed when the member is removed)."""
    return f"project_{project_id}_user_{user_id}"


_deliver_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def deliver(project_id: int, event: dict) -> int:
    """Number `event` and send it to the project's group; returns its sequence number."""
    # Numbered and sent under one lock (per event loop): two sockets joining at once in one
    # process must not send their numbers in the wrong order (a client would see a gap).
    loop = asyncio.get_running_loop()
    lock = _deliver_locks.get(loop)
    if lock is None:
        lock = _deliver_locks[loop] = asyncio.Lock()
    async with lock:
        seq = await live_state().next_seq(project_id)
        # Encoded once here, not once per open socket.
        text = json.dumps({**event, "seq": seq}, cls=DjangoJSONEncoder)
        await get_channel_layer().group_send(
            project_group(project_id), {"type": EVENT_MESSAGE, "seq": seq, "text": text}
        )
    return seq


class _PublisherLoop:
    """One event loop per process, in a thread, that carries every event sent from sync code.

    `async_to_sync` would make a new loop, thread and Redis connection for each event (1.9 ms
    of CPU against 0.2 ms here, bench/pipeline_throughput.py). The loop is remade after a fork
    (Celery's prefork children inherit the parent's loop object but not its thread).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                self._throttle = ProgressThrottle(PROGRESS_INTERVAL_SECONDS)
                self._flushing: set[asyncio.Task] = set()
                threading.Thread(
                    target=self._loop.run_forever, name="event-publisher", daemon=True
                ).start()
            return self._loop

    def run(self, coroutine: Coroutine) -> None:
        loop = self._running_loop()
        asyncio.run_coroutine_threadsafe(coroutine, loop).result(PUBLISH_TIMEOUT_SECONDS)

    async def offer(self, project_id: int, event: dict, throttled: Throttled | None) -> None:
        if throttled is not None:
            loop = asyncio.get_running_loop()
            send, flush_at = self._throttle.offer(throttled, (project_id, event), loop.time())
            if flush_at is not None:
                loop.call_at(flush_at, self._flush, throttled.key)
            if not send:
                return
        await self._send(project_id, event)

    def _flush(self, key: str) -> None:
        held = self._throttle.due(key, asyncio.get_running_loop().time())
        if held is not None:
            task = asyncio.ensure_future(self._send(*held))
            self._flushing.add(task)  # the loop keeps only a weak reference to a task
            task.add_done_callback(self._flushing.discard)

    async def _send(self, project_id: int, event: dict) -> None:
        try:
            await deliver(project_id, event)  # in the order offered: deliver's lock is FIFO
        except Exception:  # a live update is best effort; the saved change stands
            logger.exception("could not publish %s for project %s", event["type"], project_id)


_publisher = _PublisherLoop()


def _run(make: Callable[[], Coroutine], offer: Callable[[], Coroutine], what: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if isinstance(layer, InMemoryChannelLayer):
            # Its queues belong to the caller's loop (single-process tests).
            async_to_sync(make)()
        else:
            _publisher.run(offer())
    except Exception:  # a live update is best effort; the saved change stands
        logger.exception("could not send %s", what)


def send_now(project_id: int, event: dict, throttled: Throttled | None = None) -> None:
    """Send `event` from sync code (after commit: see `events.publish`)."""
    _run(
        lambda: deliver(project_id, event),
        lambda: _publisher.offer(project_id, event, throttled),
        f"{event['type']} of project {project_id}",
    )


def tell_member(project_id: int, user_id: int) -> None:
    """Tell the member's open sockets on the project that the membership changed."""
    message = {"type": MEMBER_MESSAGE}
    group = member_group(project_id, user_id)
    _run(
        lambda: get_channel_layer().group_send(group, message),
        lambda: get_channel_layer().group_send(group, message),
        f"a membership change to {group}",
    )
