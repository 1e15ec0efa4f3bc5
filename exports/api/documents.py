"""API views of the PDF storyboard sheet and of the project as JSON (export and import)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.import_checks import ImportRefused
from exports.plain_text import attachment
from exports.project_json import export_project, import_project
from exports.sheet import PAPERS, storyboard_pdf
from exports.sheet_data import sheet_data
from plumbing.upload_slots import UploadsBusy, busy_response, upload_slot
from storyboard_app.access import access_project

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Messages per field, or detail.")


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(name)
    return response


class SheetPdfView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("paper", str, enum=list(PAPERS), default="a4")],
        responses={(200, "application/pdf"): FILE, 400: ERRORS},
    )
    def get(self, request: Request, project_id: int) -> HttpResponse:
        project = access_project(request.user, project_id)
        paper = request.query_params.get("paper", "a4")
        if paper not in PAPERS:
            return Response({"paper": [f"Choose {' or '.join(PAPERS)}."]}, status=400)
        content = storyboard_pdf(sheet_data(project), paper)
        return _download(content, "application/pdf", f"storyboard-{project.pk}-{paper}.pdf")


class ProjectJsonView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("media", str, enum=["0", "1"], default="0")],
        responses={(200, "application/json"): FILE, (200, "application/zip"): FILE, 400: ERRORS},
    )
    def get(self, request: Request, project_id: int) -> HttpResponse:
        project = access_project(request.user, project_id)
        media = request.query_params.get("media", "0")
        if media not in ("0", "1"):
            return Response({"media": ["Use 1 for a zip with the media, 0 for JSON."]}, status=400)
        content, kind = export_project(project, with_media=media == "1")
        content_type = "application/zip" if kind == "zip" else "application/json"
        return _download(content, content_type, f"project-{project.pk}.{kind}")


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A project exported as .json or .zip.")


class ProjectImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: OpenApiTypes.OBJECT, 400: ERRORS, 413: ERRORS, 415: ERRORS, 429: ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with upload_slot(request.user):  # its frames are decoded as image uploads are
                project, missing = import_project(request.user, serializer.validated_data["file"])
        except UploadsBusy as busy:
            return busy_response("file", busy)
        except ImportRefused as refused:
            return Response(refused.errors, status=refused.status)
        body = {"id": project.pk, "title": project.title, "elements_not_found": missing}
        return Response(body, status=status.HTTP_201_CREATED)
