"""Who may use the routes of exports: timeline and document exports, the edit import and the
project import.
"""

import opentimelineio as otio
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.edit import timeline_of
from exports.project_json import export_project
from exports.reel import reel_of
from storyboard_app.models import Shot
from tests.conftest import Cast
from tests.permission_helpers import (
    LOGIN,
    Endpoint,
    anyone_signed_in,
    edit,
    project_id,
    read,
    route_url,
    take_id,
)


def edit_file(cast: Cast) -> dict:
    """An OTIO export of the project, as an editor sends it back."""
    text = otio.adapters.write_to_string(timeline_of(reel_of(cast.project)), "otio_json")
    return {"file": SimpleUploadedFile("edit.otio", text.encode())}


def reversed_and_longer(cast: Cast) -> dict:
    """A reviewed proposal: the shots in reverse order, each a second longer."""
    shots = Shot.objects.filter(sequence=cast.sequence).order_by("-position")
    rows = [
        {"id": s.pk, "version": s.version, "position": s.position, "duration": s.duration + 1}
        for s in shots
    ]
    return {"sequences": [{"id": cast.sequence.pk, "shots": rows}]}


def export_with_media(cast: Cast) -> str:
    take_id(cast)  # a chosen take, so that the zip holds a video
    return reverse("api-project-export-edl", args=[cast.project.pk]) + "?media=1"


def import_upload(cast: Cast) -> dict:
    return {"file": ContentFile(export_project(cast.project)[0], name="project.json")}


EXPORTS_TABLE = [
    *(
        Endpoint(
            f"api-project-export-{kind}",
            "GET",
            route_url(f"api-project-export-{kind}", project_id),
            read(),
            binary=True,
        )
        for kind in ("otio", "edl", "fcp7", "fcpx", "pdf", "json")
    ),
    Endpoint("api-project-export-edl", "GET", export_with_media, read(), binary=True, note="zip"),
    Endpoint(
        "api-project-edit-import",
        "POST",
        route_url("api-project-edit-import", project_id),
        edit(200),
        body=edit_file,
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-project-edit-import-apply",
        "POST",
        route_url("api-project-edit-import-apply", project_id),
        edit(200),
        body=reversed_and_longer,
    ),
    Endpoint(
        "api-project-import",
        "POST",
        route_url("api-project-import"),
        anyone_signed_in(201),
        body=import_upload,
        multipart=True,
    ),
    Endpoint(
        "import-project",
        "POST",
        route_url("import-project"),
        anyone_signed_in(302, LOGIN),
        body=import_upload,
        multipart=True,
        page=True,
    ),
]
