"""Apply a proposal from an edited timeline (exports/edit_import.py) that the user reviewed.

All or nothing: the shots' durations through `update_shot` on the versions the proposal was
made from, then the new order through `reorder_shots`, in one transaction. A shot edited,
moved, added or deleted since the proposal was made refuses the whole proposal (`EditConflict`,
a 409 with what changed): the user imports the edit again against the storyboard as it is.
"""

from django.db import transaction

from storyboard_app import actions
from storyboard_app.models import Sequence, Shot


class EditConflict(Exception):
    def __init__(self, changed: list[dict]) -> None:
        super().__init__("the storyboard changed since the proposal")
        self.changed = changed


class UnknownSequence(Exception):
    pass


def _conflicts(sequence: Sequence, proposed: list[dict]) -> list[dict]:
    current = {
        row["id"]: row
        for row in Shot.objects.select_for_update()
        .filter(sequence=sequence)
        .values("id", "version", "position")
    }
    wanted = {row["id"]: row for row in proposed}
    changed = [
        {"sequence": sequence.pk, "shot": shot_id, "change": "added since the proposal"}
        for shot_id in current.keys() - wanted.keys()
    ] + [
        {"sequence": sequence.pk, "shot": shot_id, "change": "deleted since the proposal"}
        for shot_id in wanted.keys() - current.keys()
    ]
    for shot_id in current.keys() & wanted.keys():
        for field, change in (("version", "edited"), ("position", "moved")):
            if current[shot_id][field] != wanted[shot_id][field]:
                changed.append(
                    {"sequence": sequence.pk, "shot": shot_id, "change": f"{change} meanwhile"}
                )
    return changed


@transaction.atomic
def apply_proposal(project, proposal: dict, by=None) -> dict:
    """Raises UnknownSequence (not this project's), EditConflict, or the actions' refusals
    (an approved sequence is locked)."""
    ids = [row["id"] for row in proposal["sequences"]]
    sequences = Sequence.objects.select_for_update().filter(project=project, pk__in=ids)
    sequences = {sequence.pk: sequence for sequence in sequences}
    if len(sequences) != len(set(ids)) or len(ids) != len(set(ids)):
        raise UnknownSequence("Every sequence must be one of this project's, named once.")
    changed = []
    for row in proposal["sequences"]:
        changed += _conflicts(sequences[row["id"]], row["shots"])
    if changed:
        raise EditConflict(sorted(changed, key=lambda c: (c["sequence"], c["shot"])))
    durations = reorders = 0
    for row in proposal["sequences"]:
        sequence = sequences[row["id"]]
        shots = Shot.objects.in_bulk([shot["id"] for shot in row["shots"]])
        for wanted in row["shots"]:
            shot = shots[wanted["id"]]
            if shot.duration != wanted["duration"]:
                actions.update_shot(shot, wanted["version"], {"duration": wanted["duration"]}, by)
                durations += 1
        order = [wanted["id"] for wanted in row["shots"]]
        if order != sorted(order, key=lambda pk: shots[pk].position):
            actions.reorder_shots(sequence, order, by=by)
            reorders += 1
    return {"durations_changed": durations, "sequences_reordered": reorders}
