"""API views of the edit for editing software (exports/edit.py): the export in four formats
(alone or in a zip with the takes' media), and an edited one brought back as a proposal, then
applied."""

from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.bundle import bundle
from exports.edit import timeline_of, timeline_rate, write
from exports.edit_apply import EditConflict, UnknownSequence, apply_proposal
from exports.edit_import import MAX_EDIT_BYTES, EditRefused, proposal_of, read_edit
from exports.plain_text import attachment, one_line
from exports.reel import reel_of
from plumbing.converters import MAX_ID
from plumbing.ranged_files import open_file_download
from script import rules
from storyboard_app.access import access_project

MAX_VERSION = 2**31 - 1
MAX_PROPOSED_SEQUENCES = 1000
WITH_MEDIA = {"1", "true", "yes"}


def _file_name(title: str, extension: str) -> str:
    return f"{slugify(one_line(title), allow_unicode=True) or 'storyboard'}.{extension}"


class ExportView(APIView):
    """The project's reel as a timeline file; `?media=1`: a zip of it with the takes."""

    @extend_schema(
        parameters=[OpenApiParameter("media", bool, "query", required=False)],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/plain"): OpenApiTypes.BINARY,
            (200, "application/xml"): OpenApiTypes.BINARY,
            (200, "application/zip"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, project_id: int, kind: str) -> HttpResponse:
        project = access_project(request.user, project_id)
        reel = reel_of(project)
        text, chosen = write(timeline_of(reel), kind)
        name = _file_name(project.title, chosen.extension)
        if request.query_params.get("media", "").lower() in WITH_MEDIA:
            archive = bundle(reel, name, text, with_media=True)
            name = _file_name(project.title, "zip")
            response = open_file_download(request, archive, "application/zip", name)
        else:
            response = HttpResponse(text, content_type=chosen.content_type)
        # The name folded onto one line, as every export names its download (plain_text).
        response["Content-Disposition"] = attachment(name)
        return response


class EditUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class EditImportView(APIView):
    """An edited timeline (OTIO or CMX 3600 EDL) as a proposal; nothing changes yet."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": EditUploadSerializer}, responses={200: OpenApiTypes.OBJECT}
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        serializer = EditUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > MAX_EDIT_BYTES:
            raise ValidationError({"file": [f"The file is larger than {MAX_EDIT_BYTES} bytes."]})
        reel = reel_of(project)
        try:
            timeline = read_edit(upload.read(), upload.name or "", timeline_rate(reel))
            return Response(proposal_of(timeline, reel))
        except EditRefused as refused:
            raise ValidationError({"file": [refused.message]}) from None


class ProposedShotSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)
    position = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    duration = serializers.IntegerField(
        min_value=rules.MIN_SHOT_SECONDS, max_value=rules.MAX_SHOT_SECONDS_STORED
    )


class ProposedSequenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    shots = serializers.ListField(
        child=ProposedShotSerializer(), allow_empty=False, max_length=rules.MAX_SHOTS_STORED
    )

    def validate_shots(self, shots: list[dict]) -> list[dict]:
        if len({shot["id"] for shot in shots}) != len(shots):
            raise ValidationError("Name each shot once.")
        return shots


class ProposalSerializer(serializers.Serializer):
    sequences = serializers.ListField(
        child=ProposedSequenceSerializer(), max_length=MAX_PROPOSED_SEQUENCES
    )


class EditApplyView(APIView):
    """Apply a proposal as the import returned it (its `proposal`), all or nothing."""

    parser_classes = [JSONParser]

    @extend_schema(request=ProposalSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        serializer = ProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            applied = apply_proposal(project, serializer.validated_data, by=request.user)
        except UnknownSequence as unknown:
            raise ValidationError({"sequences": [str(unknown)]}) from None
        except EditConflict as conflict:
            return Response(
                {
                    "detail": "The storyboard changed since this proposal: import the edit again.",
                    "changed": conflict.changed,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(applied)
