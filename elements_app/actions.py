"""Every change to libraries, shares, attachments and elements (their media: media_actions.py).

Shots are kept in step when an element is renamed: their `@mentions` and speakers follow the
new handle.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from elements_app import events as element_events
from elements_app.choices import Visibility
from elements_app.models import (
    Element,
    ElementLibrary,
    ElementVideo,
    ElementVoice,
    LibraryShare,
    ProjectLibrary,
)
from elements_app.stored_files import remove_after_commit
from moderation import cases
from moderation.gate import Screened, screen_element
from script.mentions import HandleIndex, rename_mentions
from storyboard_app import events
from storyboard_app.models import DialogueLine, Project, Shot


class HandleTaken(Exception):
    """Another element of the library already has this handle (in any case)."""


# Libraries, shares, attachments


@transaction.atomic
def create_library(user, name: str, visibility: str = Visibility.PRIVATE) -> ElementLibrary:
    library = ElementLibrary.objects.create(owner=user, name=name, visibility=visibility)
    library.role = "owner"
    return library


@transaction.atomic
def update_library(library: ElementLibrary, changes: dict) -> ElementLibrary:
    for name, value in changes.items():
        setattr(library, name, value)
    library.save(update_fields=[*changes, "updated_at"])
    if changes.get("visibility") == Visibility.PRIVATE:
        _close_lapsed_attachments(library.pk)  # shares are suspended: so is what they attached
    return library


@transaction.atomic
def delete_library(library: ElementLibrary) -> None:
    project_ids = _projects_using(library.pk, in_force_only=False)
    library.delete()
    for project_id in project_ids:
        events.publish(project_id, element_events.elements_changed())


class ShareRefused(Exception):
    """A share the rules do not allow: the field at fault and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@transaction.atomic
def share_library(
    library: ElementLibrary, user, can_edit: bool, can_attach: bool = False
) -> LibraryShare:
    """Share with `user` (or change their share); `can_attach` lets them attach the library to
    projects, which needs `can_edit`. Taking the right away closes what they attached."""
    if can_attach and not can_edit:
        raise ShareRefused(
            "can_attach", "Only someone who may edit the library may be allowed to attach it."
        )
    share, _ = LibraryShare.objects.update_or_create(
        library=library, user=user, defaults={"can_edit": can_edit, "can_attach": can_attach}
    )
    if not can_attach:
        _close_lapsed_attachments(library.pk)
    return share


@transaction.atomic
def unshare_library(library: ElementLibrary, user) -> None:
    LibraryShare.objects.filter(library=library, user=user).delete()
    _close_lapsed_attachments(library.pk)


@transaction.atomic
def attach_library(project: Project, library: ElementLibrary, user) -> ProjectLibrary:
    """Attach a library the user may attach (checked by `access_library(attach=True)`). An
    attachment made earlier by someone who lost the right is made again in the user's name."""
    attachment, made = ProjectLibrary.objects.get_or_create(
        project=project, library=library, defaults={"attached_by": user}
    )
    if not made and not ProjectLibrary.objects.in_force().filter(pk=attachment.pk).exists():
        attachment.attached_by = user
        attachment.save(update_fields=["attached_by"])
    events.publish(project.pk, element_events.elements_changed())
    return attachment


@transaction.atomic
def detach_library(project: Project, library: ElementLibrary) -> None:
    ProjectLibrary.objects.filter(project=project, library=library).delete()
    events.publish(project.pk, element_events.elements_changed())


def _close_lapsed_attachments(library_id: int) -> None:
    """Remove the library's attachments whose maker no longer may attach it (they already open
    nothing: see `in_force`), and tell those projects' open editors at once."""
    in_force = ProjectLibrary.objects.in_force().filter(library_id=library_id)
    lapsed = ProjectLibrary.objects.filter(library_id=library_id).exclude(pk__in=in_force)
    for project_id in list(lapsed.values_list("project_id", flat=True)):
        events.publish(project_id, element_events.elements_changed())
    lapsed.delete()


def _projects_using(library_id: int, in_force_only: bool = True) -> list[int]:
    attachments = ProjectLibrary.objects.filter(library_id=library_id)
    if in_force_only:
        attachments = attachments.in_force()
    return list(attachments.values_list("project_id", flat=True))


def _announce(library_id: int) -> None:
    for project_id in _projects_using(library_id):
        events.publish(project_id, element_events.elements_changed())


# Elements


def _handle_taken(library_id: int, handle: str, exclude: int | None = None) -> bool:
    taken = Element.objects.filter(library_id=library_id, handle__iexact=handle)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


class ElementRefused(Exception):
    """Screening refused the element's handle or description: messages per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("refused")
        self.errors = errors


def _screened(handle: str, description: str) -> Screened:
    screened = screen_element(handle, description)
    if screened.blocked:
        raise ElementRefused(screened.errors())
    return screened


def _hold_if_asked(element: Element, screened: Screened) -> None:
    if screened.held:
        cases.hold_element_for_review(element, screened.verdict, screened.fields)


def create_element(library: ElementLibrary, data: dict) -> Element:
    if _handle_taken(library.pk, data["handle"]):
        raise HandleTaken(data["handle"])
    screened = _screened(data["handle"], data.get("description", ""))
    try:
        with transaction.atomic():
            element = Element.objects.create(library=library, **data)
            _hold_if_asked(element, screened)
    except IntegrityError:  # a concurrent create took the handle first
        raise HandleTaken(data["handle"]) from None
    announce_on_commit(library.pk)
    return element


def announce_on_commit(library_id: int) -> None:
    transaction.on_commit(lambda: _announce(library_id))


def update_element(element: Element, changes: dict) -> Element:
    new_handle = changes.get("handle")
    if new_handle is not None and _handle_taken(element.library_id, new_handle, element.pk):
        raise HandleTaken(new_handle)
    try:
        with transaction.atomic():
            locked = Element.objects.select_for_update().get(pk=element.pk)
            old_handle = locked.handle
            for name, value in changes.items():
                setattr(locked, name, value)
            # Only a change of the texts is screened: a term added to the list since must not
            # block an edit of the voice accent.
            texts_changed = bool({"handle", "description"} & set(changes))
            screened = _screened(locked.handle, locked.description) if texts_changed else None
            locked.version = F("version") + 1
            locked.save(update_fields=[*changes, "version", "updated_at"])
            locked.refresh_from_db()
            if new_handle is not None and new_handle != old_handle:
                _rename_in_shots(locked, old_handle, new_handle)
            if screened is not None:
                _hold_if_asked(locked, screened)
    except IntegrityError:
        raise HandleTaken(new_handle) from None
    announce_on_commit(locked.library_id)
    return locked


def _rename_in_shots(element: Element, old: str, new: str) -> None:
    """Rewrite `@old` as `@new` in the shots of every project that can use the element."""
    for project_id in _projects_using(element.library_id):
        handles = list(
            Element.objects.filter(
                library_id__in=ProjectLibrary.objects.in_force()
                .filter(project_id=project_id)
                .values("library_id")
            ).values_list("handle", flat=True)
        )
        before = HandleIndex([old if h == new else h for h in handles])
        shots = Shot.objects.select_for_update().filter(sequence__project_id=project_id)
        for shot in shots:
            text = rename_mentions(shot.text, old, new, before)
            speakers = DialogueLine.objects.filter(shot=shot, speaker_element=element)
            if text == shot.text and not speakers.exists():
                continue
            speakers.update(speaker=f"@{new}")
            Shot.objects.filter(pk=shot.pk).update(text=text, version=F("version") + 1)
            shot.refresh_from_db()
            events.publish(project_id, events.shot_updated(shot))


@transaction.atomic
def delete_element(element: Element) -> None:
    library_id = element.library_id
    names = [image.file.name for image in element.images.all()]
    names += [media.file.name for media in _media_of(element)]
    element.delete()
    for name in names:
        remove_after_commit(name)
    announce_on_commit(library_id)


def _media_of(element: Element) -> list:
    found = []
    for model in (ElementVideo, ElementVoice):
        media = model.objects.filter(element=element).first()
        if media:
            found.append(media)
    return found
