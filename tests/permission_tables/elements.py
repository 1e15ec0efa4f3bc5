"""Who may use the routes of the element libraries: libraries, their shares and attachments,
elements, their images, video and voice, and the library and element pages.
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app.models import ElementImage, ProjectLibrary
from tests.conftest import Cast, image_bytes
from tests.permission_helpers import (
    LOGIN,
    Endpoint,
    anyone_signed_in,
    cast_library,
    edit,
    element_id,
    library_id,
    manage,
    project_id,
    read,
    route_url,
)


def loose_library(cast: Cast) -> int:
    """A second library shared like the first (the editor also allowed to attach it) but not yet
    attached to the project."""
    cast_library(cast)
    library = element_actions.create_library(cast.owner, "Props", "shared")
    element_actions.share_library(library, cast.editor, can_edit=True, can_attach=True)
    element_actions.share_library(library, cast.viewer, can_edit=False)
    return library.pk


def image_id(cast: Cast) -> int:
    return ElementImage.objects.get(element_id=element_id(cast), position=1).pk


def attachment_id(cast: Cast) -> int:
    return ProjectLibrary.objects.get(library=cast_library(cast), project=cast.project).pk


def library_editor(cast: Cast) -> str:
    return reverse("api-library-share", args=[library_id(cast), "editor"])


def reversed_images(cast: Cast) -> dict:
    ids = list(
        ElementImage.objects.filter(element_id=element_id(cast)).values_list("pk", flat=True)
    )
    return {"image_ids": ids[::-1]}


ELEMENTS_TABLE = [
    Endpoint("api-libraries", "GET", route_url("api-libraries"), anyone_signed_in(200)),
    Endpoint(
        "api-libraries",
        "POST",
        route_url("api-libraries"),
        anyone_signed_in(201),
        body=lambda cast: {"name": "Mine"},
    ),
    Endpoint("api-library", "GET", route_url("api-library", library_id), read()),
    Endpoint(
        "api-library",
        "PATCH",
        route_url("api-library", library_id),
        manage(200),
        body=lambda cast: {"name": "Renamed"},
    ),
    Endpoint("api-library", "DELETE", route_url("api-library", library_id), manage(204)),
    Endpoint("api-library-shares", "GET", route_url("api-library-shares", library_id), manage(200)),
    Endpoint(
        "api-library-shares",
        "POST",
        route_url("api-library-shares", library_id),
        manage(201),
        body=lambda cast: {"username": "outsider"},
    ),
    Endpoint("api-library-share", "DELETE", library_editor, manage(204)),
    Endpoint(
        "api-library-attachments",
        "GET",
        route_url("api-library-attachments", library_id),
        manage(200),
    ),
    Endpoint(
        "api-library-attachment",
        "DELETE",
        route_url("api-library-attachment", library_id, attachment_id),
        manage(204),
    ),
    Endpoint(
        "api-project-library",
        "POST",
        route_url("api-project-library", project_id, loose_library),
        edit(201),
    ),
    Endpoint(
        "api-project-library",
        "DELETE",
        route_url("api-project-library", project_id, library_id),
        edit(204),
    ),
    Endpoint("api-project-mentions", "GET", route_url("api-project-mentions", project_id), read()),
    Endpoint("api-library-elements", "GET", route_url("api-library-elements", library_id), read()),
    Endpoint(
        "api-library-elements",
        "POST",
        route_url("api-library-elements", library_id),
        edit(201),
        body=lambda cast: {"handle": "Tomas", "kind": "character"},
    ),
    Endpoint("api-element", "GET", route_url("api-element", element_id), read()),
    Endpoint(
        "api-element",
        "PATCH",
        route_url("api-element", element_id),
        edit(200),
        body=lambda cast: {"description": "A lighthouse keeper."},
    ),
    Endpoint("api-element", "DELETE", route_url("api-element", element_id), edit(204)),
    Endpoint(
        "api-element-images",
        "POST",
        route_url("api-element-images", element_id),
        edit(201),
        body=lambda cast: {"image": ContentFile(image_bytes(), name="a.jpg"), "angle": "back"},
        multipart=True,
    ),
    Endpoint(
        "api-element-images-reorder",
        "POST",
        route_url("api-element-images-reorder", element_id),
        edit(200),
        body=reversed_images,
    ),
    # Permission is checked before the content: members who may edit reach the decoder.
    Endpoint(
        "api-element-video",
        "POST",
        route_url("api-element-video", element_id),
        edit(415),
        body=lambda cast: {"video": ContentFile(b"not a video", name="v.mp4")},
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-element-video",
        "DELETE",
        route_url("api-element-video", element_id),
        edit(204),
        writes=False,
    ),
    Endpoint(
        "api-element-voice",
        "POST",
        route_url("api-element-voice", element_id),
        edit(415),
        body=lambda cast: {"audio": ContentFile(b"not audio at all", name="v.mp3")},
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-element-voice",
        "DELETE",
        route_url("api-element-voice", element_id),
        edit(204),
        writes=False,
    ),
    Endpoint(
        "api-element-image",
        "PATCH",
        route_url("api-element-image", image_id),
        edit(200),
        body=lambda cast: {"angle": "left"},
    ),
    Endpoint("api-element-image", "DELETE", route_url("api-element-image", image_id), edit(204)),
    Endpoint(
        "api-element-image-thumbnail",
        "GET",
        route_url("api-element-image-thumbnail", image_id),
        read(),
        binary=True,
    ),
    Endpoint("libraries", "GET", route_url("libraries"), anyone_signed_in(200, LOGIN), page=True),
    Endpoint("library", "GET", route_url("library", library_id), read(LOGIN), page=True),
    Endpoint("element", "GET", route_url("element", element_id), read(LOGIN), page=True),
]
