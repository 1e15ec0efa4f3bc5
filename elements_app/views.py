"""HTML pages of element libraries: my libraries, one library, one element's sheet.

Thin and read-only: each page loads through `elements_app.access` and hands its boot data to a
small ES module (static/elements/*.js) that makes every change through the REST API.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from elements_app.access import CAN_EDIT, LibraryRole, access_element, access_library, libraries_of
from elements_app.choices import ElementKind, Visibility
from elements_app.models import ElementImage
from moderation.choices import Category
from storyboard_app.choices import Language


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": label} for value, label in choices.choices]


def _front_image(elements) -> None:
    """Give each element `front`: the id of its first reference image, or None."""
    for element in elements:
        images = element.front_images
        element.front = images[0].pk if images else None


@login_required
@require_safe
def libraries(request: HttpRequest) -> HttpResponse:
    rows = (
        libraries_of(request.user)
        .select_related("owner")
        .annotate(element_count=Count("elements"))
        .order_by("name", "id")
    )
    mine = [library for library in rows if library.owner_id == request.user.pk]
    shared = [library for library in rows if library.owner_id != request.user.pk]
    boot = {"visibility": _choices(Visibility)}
    context = {"mine": mine, "shared": shared, "boot": boot}
    return render(request, "elements/libraries.html", context)


@login_required
@require_safe
def library(request: HttpRequest, library_id: int) -> HttpResponse:
    library = access_library(request.user, library_id)
    elements = list(
        library.elements.annotate(image_count=Count("images")).prefetch_related(
            Prefetch(
                "images", ElementImage.objects.order_by("position", "id"), to_attr="front_images"
            )
        )
    )
    _front_image(elements)
    boot = {
        "library_id": library.pk,
        "name": library.name,
        "role": library.role,
        "can_edit": library.role in CAN_EDIT,
        "owner": library.role == LibraryRole.OWNER,
        "visibility": library.visibility,
        "choices": {"kind": _choices(ElementKind), "visibility": _choices(Visibility)},
    }
    context = {"library": library, "elements": elements, "boot": boot}
    return render(request, "elements/library.html", context)


@login_required
@require_safe
def element(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    boot = {
        "element_id": element.pk,
        "library_id": element.library_id,
        "can_edit": element.role in CAN_EDIT and element.removed_at is None,
        "choices": {"kind": _choices(ElementKind), "language": _choices(Language)},
        "report_categories": Category.choices,
    }
    context = {"element": element, "library": element.library, "boot": boot}
    return render(request, "elements/element.html", context)
