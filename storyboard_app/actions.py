"""Every change to projects, sequences and shots: lock, validate, write, publish after commit.

Callers pass objects loaded through `access.py` and data already checked for shape (the API
serializers do that); the rules of order and concurrency live here:
- positions are kept dense and unique by `place_in_order`, always under a lock of the parent row;
- a shot or sequence edit is one conditional UPDATE on its `version`, so of two edits based on
  the same version exactly one wins and the other gets `StaleVersion` with the current row.
"""

from collections.abc import Callable, Mapping
from collections.abc import Sequence as Seq
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone

from activity.models import Verb
from activity.record import fields_changed, record, where_sequence, where_shot
from script import rules
from storyboard_app import events
from storyboard_app.approval import check_open
from storyboard_app.choices import AspectRatio, ReviewState, Role
from storyboard_app.models import (
    LINE_CONTENT_FIELDS,
    SHOT_CONTENT_FIELDS,
    DialogueLine,
    Membership,
    Project,
    Sequence,
    Shot,
)
from storyboard_app.signals import project_deleting, sequence_deleting

# Rows being renumbered are parked above every real position first, so that no intermediate
# state of a renumbering breaks the unique (parent, position) constraint.
PARKING_OFFSET = 1_000_000

# How stale a project's "updated" time may be (the dashboard shows it to the minute).
PROJECT_TOUCH_INTERVAL = timedelta(seconds=30)


class StaleVersion(Exception):
    """The object changed since the version the edit was based on."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


class InvalidOrder(Exception):
    """A reorder did not list exactly the sequence's shots."""


class TooManyShots(Exception):
    """A sequence cannot store more shots."""


class ReviewRefused(Exception):
    pass


def _open_for_edit(sequence_id: int) -> None:
    """Inside an edit's transaction: refuse if the sequence is approved, and keep it from being
    approved until the edit commits. FOR KEY SHARE lets edits of one sequence run side by side
    and only waits for (or holds off) the FOR UPDATE of an approval."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Sequence._meta.db_table} WHERE id = %s FOR KEY SHARE",
                [sequence_id],
            )
    check_open(Sequence.objects.only("id", "title", "position", "review_state").get(pk=sequence_id))


def place_in_order(model, parent_filter: dict, ordered_ids: Seq[int]) -> None:
    """Give the rows `ordered_ids` the positions 0..n-1 in two UPDATEs (any ordered model)."""
    rows = model.objects.filter(**parent_filter, pk__in=ordered_ids)
    rows.update(position=F("position") + PARKING_OFFSET)
    if ordered_ids:
        rows.update(
            position=Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ordered_ids)))
        )


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


# Projects


@transaction.atomic
def create_project(user, title: str, aspect_ratio: str = AspectRatio.LANDSCAPE) -> Project:
    project = Project.objects.create(title=title, aspect_ratio=aspect_ratio, owner=user)
    Membership.objects.create(project=project, user=user, role=Role.OWNER)
    Sequence.objects.create(project=project, position=0)
    project.role = Role.OWNER
    return project


@transaction.atomic
def update_project(project: Project, changes: dict, by=None) -> Project:
    _lock(Project, project.pk)  # DoesNotExist (404) rather than a failed save if it was deleted
    for name, value in changes.items():
        setattr(project, name, value)
    project.save(update_fields=[*changes, "updated_at"])
    record(project.pk, by, Verb.PROJECT_CHANGED, fields_changed(changes), f"project:{project.pk}")
    events.publish(project.pk, events.project_updated(project))
    return project


@transaction.atomic
def delete_project(project: Project) -> None:
    project_deleting.send(Project, project=project)
    project.delete()


def _touch_project(project_id: int) -> None:
    """Mark the project as recently changed, at most once per interval: every edit touching
    the row would queue all of a project's edits behind its lock."""
    now = timezone.now()
    Project.objects.filter(pk=project_id, updated_at__lt=now - PROJECT_TOUCH_INTERVAL).update(
        updated_at=now
    )


# Sequences


@transaction.atomic
def add_sequence(project: Project, data: dict, by=None) -> Sequence:
    _lock(Project, project.pk)
    last = project.sequences.aggregate(last=Max("position"))["last"]
    sequence = Sequence.objects.create(
        project=project, position=0 if last is None else last + 1, **data
    )
    record(project.pk, by, Verb.SEQUENCE_ADDED, where_sequence(sequence))
    _touch_project(project.pk)
    events.publish(project.pk, events.sequence_updated(sequence))
    return sequence


@transaction.atomic
def update_sequence(sequence: Sequence, base_version: int, changes: dict, by=None) -> Sequence:
    _open_for_edit(sequence.pk)
    updated = Sequence.objects.filter(pk=sequence.pk, version=base_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    current = Sequence.objects.get(pk=sequence.pk)
    if not updated:
        raise StaleVersion(current)
    summary = f"{where_sequence(current)}: {fields_changed(changes)}"
    record(current.project_id, by, Verb.SEQUENCE_EDITED, summary, f"sequence:{current.pk}")
    _touch_project(current.project_id)
    events.publish(current.project_id, events.sequence_updated(current))
    return current


@transaction.atomic
def set_sequence_frame(sequence: Sequence, field: str, upload, by=None) -> Sequence:
    """Store (or with `upload=None` clear) the first or end frame image of a sequence."""
    locked = _lock(Sequence, sequence.pk)
    check_open(locked)
    old = getattr(locked, field)
    old_name = old.name if old else ""
    if upload is None:
        setattr(locked, field, "")
    else:
        getattr(locked, field).save(upload.name, upload, save=False)
    locked.version += 1
    locked.save(update_fields=[field, "version", "updated_at"])
    done = "cleared" if upload is None else "set"
    what = f"{where_sequence(locked)}: {field.replace('_', ' ')} {done}"
    record(locked.project_id, by, Verb.SEQUENCE_EDITED, what)
    if old_name:
        storage = old.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    events.publish(locked.project_id, events.sequence_updated(locked))
    return locked


@transaction.atomic
def delete_sequence(sequence: Sequence, by=None) -> None:
    _lock(Project, sequence.project_id)
    check_open(_lock(Sequence, sequence.pk))
    record(sequence.project_id, by, Verb.SEQUENCE_DELETED, where_sequence(sequence))
    project_id = sequence.project_id
    sequence_deleting.send(Sequence, sequence=sequence)
    sequence.delete()
    remaining = list(
        Sequence.objects.filter(project_id=project_id)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    place_in_order(Sequence, {"project_id": project_id}, remaining)
    _touch_project(project_id)
    events.publish(project_id, events.sequence_deleted(sequence.pk))


# Shots


def _shot_ids(sequence_id: int) -> list[int]:
    return list(
        Shot.objects.filter(sequence_id=sequence_id)
        .order_by("position")
        .values_list("pk", flat=True)
    )


class InvalidSpeaker(Exception):
    """A dialogue line names an element the project may not use."""


# Which elements a project's dialogue may name: project id → {handle: element id}. The elements
# app answers (`elements_app.access.speakers_of_project`); it sits above this one, so callers
# pass that function in. It runs only when lines are written, inside the change's transaction.
Speakers = Callable[[int], Mapping[str, int]]


def _names_an_element(line: dict) -> bool:
    speaker = str(line.get("speaker", "")).strip()
    return line.get("speaker_element_id") is not None or speaker.startswith("@")


def _write_dialogue(
    shot: Shot, project_id: int, lines: list[dict], speakers: Speakers | None
) -> None:
    """Replace the shot's lines; a speaker written `@handle` is bound to that element."""
    shot.dialogue.all().delete()
    if not lines:
        return
    if speakers is None:
        if any(_names_an_element(line) for line in lines):
            raise TypeError("Lines naming an element need the project's `speakers`.")
        usable = {}
    else:
        usable = speakers(project_id)
    by_id = {pk: handle for handle, pk in usable.items()}
    by_handle = {handle.casefold(): pk for handle, pk in usable.items()}
    rows = []
    for order, line in enumerate(lines):
        fields = {k: line[k] for k in LINE_CONTENT_FIELDS if k in line}
        element_id = line.get("speaker_element_id")
        if element_id is not None:
            if element_id not in by_id:
                raise InvalidSpeaker(f"Line {order + 1}: that element is not in this project.")
            fields["speaker"] = f"@{by_id[element_id]}"
        else:
            speaker = fields.get("speaker", "").strip()
            if speaker.startswith("@"):
                element_id = by_handle.get(speaker[1:].strip().casefold())
        rows.append(DialogueLine(shot=shot, order=order, speaker_element_id=element_id, **fields))
    DialogueLine.objects.bulk_create(rows)


def _insert_shot(
    sequence: Sequence,
    fields: dict,
    lines: list[dict],
    position: int | None,
    by=None,
    speakers: Speakers | None = None,
) -> Shot:
    """Create a shot at `position` (default: the end), inside the caller's lock of the sequence."""
    ids = _shot_ids(sequence.pk)
    if len(ids) >= rules.MAX_SHOTS_STORED:
        raise TooManyShots(f"A sequence can hold at most {rules.MAX_SHOTS_STORED} shots.")
    shot = Shot.objects.create(sequence=sequence, position=PARKING_OFFSET * 2, **fields)
    _write_dialogue(shot, sequence.project_id, lines, speakers)
    at = len(ids) if position is None else max(0, min(position, len(ids)))
    ids.insert(at, shot.pk)
    place_in_order(Shot, {"sequence_id": sequence.pk}, ids)
    shot.position = at
    shot.sequence = sequence
    record(sequence.project_id, by, Verb.SHOT_ADDED, where_shot(shot))
    _touch_project(sequence.project_id)
    events.publish(sequence.project_id, events.shot_updated(shot))
    events.publish(sequence.project_id, events.shots_reordered(sequence.pk, ids))
    return shot


@transaction.atomic
def add_shot(
    sequence: Sequence,
    data: dict,
    position: int | None = None,
    by=None,
    speakers: Speakers | None = None,
) -> Shot:
    """`speakers` (see `Speakers`) is needed when a line names an element."""
    locked = _lock(Sequence, sequence.pk)
    check_open(locked)
    lines = data.pop("dialogue", [])
    return _insert_shot(locked, data, lines, position, by, speakers)


@transaction.atomic
def duplicate_shot(shot: Shot, by=None, speakers: Speakers | None = None) -> Shot:
    sequence = _lock(Sequence, shot.sequence_id)
    check_open(sequence)
    source = Shot.objects.get(pk=shot.pk)
    fields = {name: getattr(source, name) for name in SHOT_CONTENT_FIELDS}
    lines = [{k: getattr(line, k) for k in LINE_CONTENT_FIELDS} for line in source.dialogue.all()]
    return _insert_shot(sequence, fields, lines, source.position + 1, by, speakers)


@transaction.atomic
def update_shot(
    shot: Shot, base_version: int, changes: dict, by=None, speakers: Speakers | None = None
) -> Shot:
    """Apply `changes` if the shot is still at `base_version`; `dialogue` replaces all lines."""
    _open_for_edit(shot.sequence_id)
    lines = changes.pop("dialogue", None)
    updated = Shot.objects.filter(pk=shot.pk, version=base_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    current = Shot.objects.select_related("sequence").get(pk=shot.pk)
    if not updated:
        raise StaleVersion(current)
    if lines is not None:
        _write_dialogue(current, current.sequence.project_id, lines, speakers)
    edited = fields_changed({**changes, **({"dialogue": lines} if lines is not None else {})})
    summary = f"{where_shot(current)}: {edited}"
    record(current.sequence.project_id, by, Verb.SHOT_EDITED, summary, f"shot:{current.pk}")
    _touch_project(current.sequence.project_id)
    events.publish(current.sequence.project_id, events.shot_updated(current))
    return current


@transaction.atomic
def delete_shot(shot: Shot, by=None) -> None:
    sequence = _lock(Sequence, shot.sequence_id)
    check_open(sequence)
    shot.sequence = sequence
    record(sequence.project_id, by, Verb.SHOT_DELETED, where_shot(shot))
    Shot.objects.filter(pk=shot.pk).delete()
    place_in_order(Shot, {"sequence_id": sequence.pk}, _shot_ids(sequence.pk))
    _touch_project(sequence.project_id)
    events.publish(sequence.project_id, events.shot_deleted(sequence.pk, shot.pk))


@transaction.atomic
def reorder_shots(sequence: Sequence, shot_ids: list[int], by=None) -> list[int]:
    locked = _lock(Sequence, sequence.pk)
    check_open(locked)
    current = _shot_ids(locked.pk)
    if len(shot_ids) != len(set(shot_ids)) or set(shot_ids) != set(current):
        raise InvalidOrder(
            "List every shot of the sequence exactly once: "
            f"it has {len(current)} shots, the request named {len(shot_ids)}."
        )
    place_in_order(Shot, {"sequence_id": locked.pk}, shot_ids)
    record(
        locked.project_id, by, Verb.SHOTS_REORDERED, where_sequence(locked), f"order:{locked.pk}"
    )
    _touch_project(locked.project_id)
    events.publish(locked.project_id, events.shots_reordered(locked.pk, shot_ids))
    return shot_ids


# Review


@transaction.atomic
def set_review_state(
    sequence: Sequence, state: str, has_chosen_take: Callable[[int], bool], by=None
) -> Sequence:
    """Draft, in review, changes requested or approved; approving needs a chosen take, which
    `has_chosen_take(sequence id)` tells (`jobs.access.has_chosen_take`: takes sit above), asked
    under the sequence's lock, which choosing a take also takes."""
    locked = _lock(Sequence, sequence.pk)
    if state == ReviewState.APPROVED and not has_chosen_take(locked.pk):
        raise ReviewRefused("Choose a take before approving: the approval is of a take.")
    if locked.review_state == state:
        return locked
    locked.review_state = state
    locked.version += 1
    locked.save(update_fields=["review_state", "version", "updated_at"])
    summary = f"{where_sequence(locked)}: {locked.get_review_state_display().lower()}"
    record(locked.project_id, by, Verb.REVIEW_CHANGED, summary)
    _touch_project(locked.project_id)
    events.publish(locked.project_id, events.sequence_updated(locked))
    return locked
