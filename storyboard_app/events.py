"""Events of the storyboard, built in one place and published to the project's group after commit.

An event is a small JSON dict with a `type`. The project's WebSocket consumer (issue 6) relays
them to every open editor; publishing with no one listening costs one channel-layer send.
"""

import asyncio
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def project_group(project_id: int) -> str:
    return f"project_{project_id}"


# How long a publisher waits for the channel layer before giving up on one event.
PUBLISH_TIMEOUT_SECONDS = 5.0


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

    def run(self, coroutine) -> None:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(
                    target=self._loop.run_forever, name="event-publisher", daemon=True
                ).start()
            loop = self._loop
        asyncio.run_coroutine_threadsafe(coroutine, loop).result(PUBLISH_TIMEOUT_SECONDS)


_publisher = _PublisherLoop()


def _send_now(project_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "project.event", "event": event}
    try:
        if isinstance(layer, InMemoryChannelLayer):
            # Its queues belong to the caller's loop (single-process tests).
            async_to_sync(layer.group_send)(project_group(project_id), message)
        else:
            _publisher.run(layer.group_send(project_group(project_id), message))
    except Exception:  # a live update is best effort; the saved change stands
        logger.exception("could not publish %s for project %s", event["type"], project_id)


def publish(project_id: int, event: dict) -> None:
    """Send `event` to the project's group once the current transaction commits."""
    transaction.on_commit(lambda: _send_now(project_id, event))


def shot_updated(shot) -> dict:
    from storyboard_app.serializers import ShotSerializer

    return {"type": "shot.updated", "shot": ShotSerializer(shot).data}


def shot_deleted(sequence_id: int, shot_id: int) -> dict:
    return {"type": "shot.deleted", "sequence": sequence_id, "shot": shot_id}


def shots_reordered(sequence_id: int, shot_ids: list[int]) -> dict:
    return {"type": "shots.reordered", "sequence": sequence_id, "shot_ids": shot_ids}


def sequence_updated(sequence) -> dict:
    from storyboard_app.sequence_rows import sequence_rows

    return {"type": "sequence.updated", "sequence": sequence_rows([sequence])[0]}


def sequence_deleted(sequence_id: int) -> dict:
    return {"type": "sequence.deleted", "sequence": sequence_id}


def project_updated(project) -> dict:
    return {
        "type": "project.updated",
        "project": {"id": project.pk, "title": project.title, "aspect_ratio": project.aspect_ratio},
    }
