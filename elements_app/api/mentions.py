"""`@handle` completion for the editor, and thumbnails of reference images (made once a size)."""

from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import media
from elements_app.access import access_element_image, elements_for_project
from elements_app.usage import elements_of_project
from plumbing.query_params import integer_parameter, integer_params
from plumbing.ranged_files import ranged_file_response
from script.mentions import complete
from storyboard_app.access import access_project

MAX_COMPLETIONS = 10
MAX_QUERY_CHARS = 40
THUMBNAIL_SIZES = (160, 320, 640)


@dataclass(frozen=True)
class Candidate:
    handle: str
    id: int


class MentionsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="What follows the @ typed so far")],
        responses=dict,
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id)
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS]
        # Rank on handles alone (one light query), then read the details of the winners.
        handles = elements_for_project(project.pk).values_list("handle", "id")
        found = complete(query, [Candidate(*row) for row in handles], limit=MAX_COMPLETIONS)
        elements = elements_of_project(project.pk, only=[c.id for c in found]) if found else []
        return Response({"query": query, "elements": elements})


class ThumbnailView(APIView):
    @extend_schema(
        parameters=[integer_parameter("size", enum=list(THUMBNAIL_SIZES))],
        responses={(200, "image/jpeg"): bytes},
    )
    def get(self, request: Request, image_id: int):
        image = access_element_image(request.user, image_id)
        size = integer_params(request, "size")["size"]
        size = THUMBNAIL_SIZES[0] if size is None else size
        if size not in THUMBNAIL_SIZES:
            raise Http404(f"Thumbnails come in sizes {', '.join(map(str, THUMBNAIL_SIZES))}.")
        # JPEG, or WebP where the picture has transparency: both names are tried.
        stem = image.file.name.rsplit("/", 1)[0] + f"/thumbs/{image.pk}-{size}"
        name = next(
            (f"{stem}.{ext}" for ext in ("jpg", "webp") if default_storage.exists(f"{stem}.{ext}")),
            None,
        )
        if name is None:
            with image.file.open("rb") as source:
                thumb = media.thumbnail(source.read(), size)
            extension = "webp" if thumb[8:12] == b"WEBP" else "jpg"
            name = default_storage.save(f"{stem}.{extension}", ContentFile(thumb))
        content_type = "image/webp" if name.endswith(".webp") else "image/jpeg"
        response = ranged_file_response(request, Path(default_storage.path(name)), content_type)
        response["Cache-Control"] = "private, max-age=86400"
        return response
