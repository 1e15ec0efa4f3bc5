"""The only way to load element libraries and elements a user asked for.

A library is readable by its owner, by the users it is shared with (while it is shared), and —
through a project it is attached to — by that project's members, who may use its elements
there. Only its owner and the users it is shared with for editing may change it; only its owner
may share, rename or delete it. Attaching it to a project shares it with that project's members,
so only its owner and the editors the owner allowed to may do so, and an attachment opens the
library only while its maker still has that right (`ProjectLibrary.objects.in_force()`): when a
share or a membership ends, what it opened closes on the next request. Outsiders get 404,
readers who try to write get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from elements_app.choices import Visibility
from elements_app.models import Element, ElementImage, ElementLibrary, LibraryShare, ProjectLibrary
from storyboard_app.models import Membership


class LibraryRole:
    OWNER = "owner"
    EDITOR = "editor"
    READER = "reader"  # shared read-only
    PROJECT = "project"  # reads through a project it is attached to


CAN_EDIT = {LibraryRole.OWNER, LibraryRole.EDITOR}
NOT_FOUND = "No such object."


def _shared_with(user, can_edit: bool | None = None) -> Exists:
    shares = LibraryShare.objects.filter(library=OuterRef("pk"), user=user)
    if can_edit is not None:
        shares = shares.filter(can_edit=can_edit)
    return Exists(shares)


def _through_projects(user) -> Exists:
    return Exists(
        ProjectLibrary.objects.in_force().filter(
            library=OuterRef("pk"),
            project__in=Membership.objects.filter(user=user).values("project"),
        )
    )


def libraries_of(user) -> QuerySet[ElementLibrary]:
    """Libraries the user owns or that are shared with them (not those only seen via projects)."""
    if not user.is_authenticated:
        return ElementLibrary.objects.none()
    return ElementLibrary.objects.filter(
        Q(owner=user) | Q(_shared_with(user), visibility=Visibility.SHARED)
    )


def attachable_libraries(user) -> QuerySet[ElementLibrary]:
    """The libraries the user may attach to a project (see `may_attach`)."""
    if not user.is_authenticated:
        return ElementLibrary.objects.none()
    allowed = LibraryShare.objects.filter(library=OuterRef("pk"), user=user, can_attach=True)
    return ElementLibrary.objects.filter(
        Q(owner=user) | Q(Exists(allowed), visibility=Visibility.SHARED)
    )


def attached_to_project(project_id: int) -> QuerySet[ElementLibrary]:
    """The libraries a project may use: attached to it by someone who still may."""
    attached = ProjectLibrary.objects.in_force().filter(project_id=project_id)
    return ElementLibrary.objects.filter(pk__in=attached.values("library_id"))


def role_in_library(library: ElementLibrary, user) -> str | None:
    if library.owner_id == user.pk:
        return LibraryRole.OWNER
    if library.visibility == Visibility.SHARED:
        share = LibraryShare.objects.filter(library=library, user=user).first()
        if share:
            return LibraryRole.EDITOR if share.can_edit else LibraryRole.READER
    if ElementLibrary.objects.filter(pk=library.pk).filter(_through_projects(user)).exists():
        return LibraryRole.PROJECT
    return None


def may_attach(library: ElementLibrary, user) -> bool:
    """Whether the user may attach the library to a project: its owner, or an editor of it the
    owner allowed to, while it is shared (the rule `in_force` applies to attachments)."""
    if library.owner_id == user.pk:
        return True
    return library.visibility == Visibility.SHARED and (
        LibraryShare.objects.filter(library=library, user=user, can_attach=True).exists()
    )


def _checked(library: ElementLibrary, user, write: bool, manage: bool, attach: bool = False) -> str:
    role = role_in_library(library, user)
    if role is None:
        raise Http404(NOT_FOUND)
    if manage and role != LibraryRole.OWNER:
        raise PermissionDenied("Only the library's owner can do this.")
    if write and role not in CAN_EDIT:
        raise PermissionDenied("You can use this library but not change it.")
    if attach and not may_attach(library, user):
        raise PermissionDenied(
            "Only the library's owner, or an editor the owner allowed to, can attach it to a "
            "project: attaching shares it with everyone in the project."
        )
    return role


def access_library(
    user, library_id: object, write: bool = False, manage: bool = False, attach: bool = False
) -> ElementLibrary:
    """The library, checked for reading, or for `write` (change its elements), `manage` (share,
    rename, delete: the owner) or `attach` (to a project: see `may_attach`)."""
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    try:
        library = ElementLibrary.objects.select_related("owner").get(pk=library_id)
    except (ElementLibrary.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    library.role = _checked(library, user, write, manage, attach)
    return library


def access_element(user, element_id: object, write: bool = False) -> Element:
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    try:
        element = Element.objects.select_related("library").get(pk=element_id)
    except (Element.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    element.role = _checked(element.library, user, write, manage=False)
    if write:
        _refuse_if_removed(element)
    return element


def _refuse_if_removed(element: Element) -> None:
    if element.removed_at is not None:
        raise PermissionDenied(
            f"This element was taken down by a moderator ({element.removed_reason}); "
            "it cannot be changed."
        )


def access_element_image(user, image_id: object, write: bool = False) -> ElementImage:
    try:
        image = ElementImage.objects.select_related("element__library").get(pk=image_id)
    except (ElementImage.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    _checked(image.element.library, user, write, manage=False)
    if write:
        _refuse_if_removed(image.element)
    elif image.element.removed_at is not None:
        # Its pictures (thumbnails included) are served to no one, as in private media.
        raise Http404("This file was taken down by a moderator.")
    return image


def attachments_of(library: ElementLibrary) -> QuerySet[ProjectLibrary]:
    """Every project the library is attached to, for its owner (load it with `manage=True`),
    each with `in_force`, newest first."""
    in_force = ProjectLibrary.objects.in_force().filter(pk=OuterRef("pk"))
    return (
        ProjectLibrary.objects.filter(library=library)
        .select_related("project", "attached_by")
        .annotate(in_force=Exists(in_force))
        .order_by("-created_at", "-id")
    )


def access_attachment(library: ElementLibrary, attachment_id: object) -> ProjectLibrary:
    """One attachment of a library its owner loaded (`manage=True`), to detach it."""
    try:
        return ProjectLibrary.objects.select_related("project").get(
            pk=attachment_id, library=library
        )
    except (ProjectLibrary.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("That library is not attached there.") from None


def projects_seen_by(user, project_ids: list[int]) -> set[int]:
    """Which of these projects the user is a member of (and so may see the name of)."""
    return set(
        Membership.objects.filter(user=user, project_id__in=project_ids).values_list(
            "project_id", flat=True
        )
    )


def elements_for_project(project_id: int) -> QuerySet[Element]:
    """The elements a project may use: those of the libraries attached to it (and still in
    force), but none a moderator took down."""
    attached = ProjectLibrary.objects.in_force().filter(project_id=project_id)
    return Element.objects.filter(
        library_id__in=attached.values("library_id"), removed_at__isnull=True
    )


def speakers_of_project(project_id: int) -> dict[str, int]:
    """The elements a project's dialogue may name as speakers: handle → element id (what
    `storyboard_app.actions` binds `@handle` speakers with)."""
    return dict(elements_for_project(project_id).values_list("handle", "id"))
