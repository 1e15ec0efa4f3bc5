"""Recording activity, inside the transaction of the change it describes (actions call it).

Edits of one object by one person in a burst (autosave writes every half second while someone
types) fold into one row: its time moves on and its count goes up, for `FOLD_SECONDS`.
"""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from activity.models import Activity, Verb

FOLD_SECONDS = 600
MAX_SUMMARY_CHARS = 300


def record(project_id: int, actor, verb: Verb, summary: str, subject: str = "") -> None:
    summary = summary[:MAX_SUMMARY_CHARS]
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if subject:
        folded = Activity.objects.filter(
            project_id=project_id,
            actor_id=actor_id,
            verb=verb,
            subject=subject,
            updated_at__gte=timezone.now() - timedelta(seconds=FOLD_SECONDS),
        ).update(times=F("times") + 1, summary=summary, updated_at=timezone.now())
        if folded:
            return
    Activity.objects.create(
        project_id=project_id, actor_id=actor_id, verb=verb, summary=summary, subject=subject
    )


def where_shot(shot) -> str:
    """ "shot 2 of sequence 1", as the editor numbers them."""
    return f"shot {shot.position + 1} of sequence {shot.sequence.position + 1}"


def where_sequence(sequence) -> str:
    title = f" “{sequence.title}”" if sequence.title else ""
    return f"sequence {sequence.position + 1}{title}"


def fields_changed(changes: dict) -> str:
    return ", ".join(name.replace("_", " ") for name in changes) or "nothing"
