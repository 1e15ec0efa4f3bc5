"""Events of the storyboard, built in one place and published to the project's group after commit.

An event is a small JSON dict with a `type`; it leaves with the project's next sequence number
(`publisher.py`). The project's WebSocket consumer relays them to every open editor;
publishing with no one listening costs one counter increment and one channel-layer send.
"""

from django.db import transaction

from plumbing.publisher import send_now, tell_member
from plumbing.throttle import Throttled


def publish(project_id: int, event: dict, throttled: Throttled | None = None) -> None:
    """Send `event` to the project's group once the current transaction commits."""
    transaction.on_commit(lambda: send_now(project_id, event, throttled))


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


def project_removed(project) -> dict:
    """A moderator took the project down (or restored it)."""
    return {"type": "project.removed", "removed": project.removed_at is not None}


def presence_row(entry: dict) -> dict:
    """Who is on the project, over one connection: the shot they have selected."""
    return {key: entry[key] for key in ("connection", "user", "name", "shot")}


def presence(entry: dict) -> dict:
    return {"type": "presence", **presence_row(entry)}


def presence_left(entry: dict) -> dict:
    return {"type": "presence", "left": True, **presence_row({**entry, "shot": None})}


def membership_changed(sender, instance, **kwargs) -> None:
    """A membership was added, changed or removed (by any path: an action, the admin, a cascade):
    after commit, the member's open sockets on the project check it again (`ProjectConsumer`)."""
    project_id, user_id = instance.project_id, instance.user_id
    transaction.on_commit(lambda: tell_member(project_id, user_id))
