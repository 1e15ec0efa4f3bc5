"""Events of the storyboard, built in one place and published to the project's group after commit.

An event is a small JSON dict with a `type`. The project's WebSocket consumer (issue 6) relays
them to every open editor; publishing with no one listening costs one channel-layer send.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def project_group(project_id: int) -> str:
    return f"project_{project_id}"


def publish(project_id: int, event: dict) -> None:
    """Send `event` to the project's group once the current transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                project_group(project_id), {"type": "project.event", "event": event}
            )
        except Exception:  # a live update is best effort; the saved change stands
            logger.exception("could not publish %s for project %s", event["type"], project_id)

    transaction.on_commit(send)


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
