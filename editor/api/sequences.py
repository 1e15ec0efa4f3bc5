"""API views of one sequence: read, edit, delete, frames, reorder, validate."""

from django.core.files.base import ContentFile
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from editor.generation_check import generation_check
from elements_app.usage import project_handles
from jobs.access import has_chosen_take
from jobs.serializers import ValidateRequestSerializer, ValidationReportSerializer
from media import MediaRejected, check_image
from plumbing.api_versions import base_version, conflict
from plumbing.upload_slots import UploadsBusy, busy_response, upload_slot
from script.drafts import validation_report
from storyboard_app import actions
from storyboard_app.access import Permission, access_sequence
from storyboard_app.sequence_rows import sequence_rows
from storyboard_app.serializers import (
    FrameUploadSerializer,
    ReorderSerializer,
    ReviewSerializer,
    SequenceEditSerializer,
    SequenceSerializer,
)

FRAME_FIELDS = {"first": "first_frame", "end": "end_frame"}


class SequenceDetailView(APIView):
    @extend_schema(responses=SequenceSerializer)
    def get(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id)
        return Response(sequence_rows([sequence])[0])

    @extend_schema(request=SequenceEditSerializer, responses={200: SequenceSerializer, 409: dict})
    def patch(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        serializer = SequenceSerializer(sequence, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        based_on = base_version(request)
        try:
            sequence = actions.update_sequence(
                sequence, based_on, serializer.validated_data, by=request.user
            )
        except actions.StaleVersion as stale:
            current = sequence_rows([stale.current])[0]
            return conflict("Someone else changed this sequence meanwhile.", current)
        return Response(sequence_rows([sequence])[0])

    @extend_schema(responses={204: None})
    def delete(self, request: Request, sequence_id: int) -> Response:
        actions.delete_sequence(
            access_sequence(request.user, sequence_id, write=True), by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SequenceFrameView(APIView):
    """The first or end frame image: PUT a multipart `image` to set it, DELETE to clear it."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": FrameUploadSerializer},
        responses={200: SequenceSerializer},
        parameters=[OpenApiParameter("which", str, "path", enum=list(FRAME_FIELDS))],
    )
    def put(self, request: Request, sequence_id: int, which: str) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        serializer = FrameUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["image"]
        try:
            with upload_slot(request.user):
                checked = check_image(upload.read())
        except UploadsBusy as busy:
            return busy_response("image", busy)
        except MediaRejected as rejected:
            return Response({"image": [rejected.message]}, status=rejected.status)
        content = ContentFile(checked.content, name=f"{which}.{checked.extension}")
        sequence = actions.set_sequence_frame(
            sequence, FRAME_FIELDS[which], content, by=request.user
        )
        return Response(sequence_rows([sequence])[0])

    @extend_schema(
        responses={200: SequenceSerializer},
        parameters=[OpenApiParameter("which", str, "path", enum=list(FRAME_FIELDS))],
    )
    def delete(self, request: Request, sequence_id: int, which: str) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        sequence = actions.set_sequence_frame(sequence, FRAME_FIELDS[which], None, by=request.user)
        return Response(sequence_rows([sequence])[0])


class ReorderView(APIView):
    @extend_schema(request=ReorderSerializer, responses=ReorderSerializer)
    def post(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        serializer = ReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ids = actions.reorder_shots(
                sequence, serializer.validated_data["shot_ids"], by=request.user
            )
        except actions.InvalidOrder as invalid:
            raise ValidationError({"shot_ids": [str(invalid)]}) from None
        return Response({"shot_ids": ids})


class ReviewView(APIView):
    """Set the review state: owners and editors; approving locks the shots and the take."""

    @extend_schema(request=ReviewSerializer, responses=SequenceSerializer)
    def post(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id, permission=Permission.REVIEW)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            sequence = actions.set_review_state(
                sequence, serializer.validated_data["state"], has_chosen_take, by=request.user
            )
        except actions.ReviewRefused as refused:
            raise ValidationError({"state": [str(refused)]}) from None
        return Response(sequence_rows([sequence])[0])


class ValidateView(APIView):
    @extend_schema(request=ValidateRequestSerializer, responses=ValidationReportSerializer)
    def post(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id)
        serializer = ValidateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handles = project_handles(sequence.project_id)
        report = validation_report(sequence_rows([sequence])[0], handles)
        # The provider's own checks (what its model can take) and its cost come from the
        # compiler the generate endpoint runs, so the two never disagree.
        provider = serializer.validated_data["provider"]
        report.update(generation_check(request.user, sequence, provider))
        return Response(report)
