"""Taking a subject down and putting it back: the take, element or project is marked removed
(its files then reach no one: editor/views.private_media, the guest review pages, the API,
the socket), and every open editor hears of it at once.

Each function runs in the caller's transaction, on the locked subject, and returns what the
subject was before and is after, for the audit trail.
"""

from django.db import transaction
from django.utils import timezone

from elements_app import events as element_events
from elements_app.models import Element, ProjectLibrary
from jobs import events as job_events
from jobs.models import Take
from moderation.choices import SubjectKind
from plumbing.publisher import tell_member
from storyboard_app import events
from storyboard_app.models import Membership, Project


def _state(obj) -> dict:
    state = {"removed": obj.removed_at is not None, "removed_reason": obj.removed_reason}
    if isinstance(obj, Take):
        state["chosen"] = obj.chosen
    return state


def _announce_element(element: Element) -> None:
    for project_id in ProjectLibrary.objects.filter(library_id=element.library_id).values_list(
        "project_id", flat=True
    ):
        events.publish(project_id, element_events.elements_changed())


def _announce_project(project: Project) -> None:
    events.publish(project.pk, events.project_removed(project))
    # Open sockets check again: a removed project closes them (consumers.member_changed).
    members = list(Membership.objects.filter(project=project).values_list("user_id", flat=True))
    transaction.on_commit(lambda: [tell_member(project.pk, user_id) for user_id in members])


def _announce(kind: str, obj) -> None:
    if kind == SubjectKind.TAKE:
        job_events.take_updated(obj)
    elif kind == SubjectKind.ELEMENT:
        _announce_element(obj)
    else:
        _announce_project(obj)


def remove(kind: str, obj, reason: str) -> tuple[dict, dict]:
    """Take the (locked) subject down; a chosen take stops being the one in the cut."""
    before = _state(obj)
    obj.removed_at = timezone.now()
    obj.removed_reason = reason
    fields = ["removed_at", "removed_reason"]
    if isinstance(obj, Take):
        obj.chosen = False
        fields.append("chosen")
    obj.save(update_fields=fields)
    _announce(kind, obj)
    return before, _state(obj)


def restore(kind: str, obj, was_chosen: bool) -> tuple[dict, dict]:
    """Put the (locked) subject back; a take that was chosen is chosen again if its sequence
    has not chosen another meanwhile."""
    before = _state(obj)
    obj.removed_at = None
    obj.removed_reason = ""
    fields = ["removed_at", "removed_reason"]
    if isinstance(obj, Take) and was_chosen:
        taken = Take.objects.filter(sequence_id=obj.sequence_id, chosen=True).exists()
        if not taken:
            obj.chosen = True
            fields.append("chosen")
    obj.save(update_fields=fields)
    _announce(kind, obj)
    return before, _state(obj)


REMOVABLE = (SubjectKind.TAKE, SubjectKind.ELEMENT, SubjectKind.PROJECT)
