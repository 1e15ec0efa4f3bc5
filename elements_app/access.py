"""The only way to load element libraries and elements a user asked for.

A library is readable by its owner, by the users it is shared with (while it is shared), and —
through a project it is attached to — by that project's members, who may use its elements
there. Only its owner and the users it is shared with for editing may change it; only its owner
may share, rename or delete it. Outsiders get 404, readers who try to write get 403.
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
        ProjectLibrary.objects.filter(
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


def _checked(library: ElementLibrary, user, write: bool, manage: bool) -> str:
    role = role_in_library(library, user)
    if role is None:
        raise Http404(NOT_FOUND)
    if manage and role != LibraryRole.OWNER:
        raise PermissionDenied("Only the library's owner can do this.")
    if write and role not in CAN_EDIT:
        raise PermissionDenied("You can use this library but not change it.")
    return role


def access_library(user, library_id: object, write: bool = False, manage: bool = False):
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    try:
        library = ElementLibrary.objects.select_related("owner").get(pk=library_id)
    except (ElementLibrary.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    library.role = _checked(library, user, write, manage)
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


def elements_for_project(project_id: int) -> QuerySet[Element]:
    """The elements a project may use: those of the libraries attached to it, but none a
    moderator took down."""
    return Element.objects.filter(
        library__attachments__project_id=project_id, removed_at__isnull=True
    )
