"""API views of shots: add, read, edit (with optimistic concurrency), duplicate, delete."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from elements_app.access import speakers_of_project
from plumbing.api_versions import base_version, conflict
from storyboard_app import actions
from storyboard_app.access import access_sequence, access_shot
from storyboard_app.models import Shot
from storyboard_app.serializers import ShotCreateSerializer, ShotEditSerializer, ShotSerializer


def _fresh(shot: Shot) -> Shot:
    return Shot.objects.prefetch_related("dialogue").get(pk=shot.pk)


class ShotCreateView(APIView):
    @extend_schema(request=ShotCreateSerializer, responses={201: ShotSerializer})
    def post(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id, write=True)
        serializer = ShotCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        position = data.pop("position", None)
        try:
            shot = actions.add_shot(
                sequence, data, position, by=request.user, speakers=speakers_of_project
            )
        except actions.TooManyShots as full:
            raise ValidationError({"detail": str(full)}) from None
        except actions.InvalidSpeaker as invalid:
            raise ValidationError({"dialogue": [str(invalid)]}) from None
        return Response(ShotSerializer(_fresh(shot)).data, status=status.HTTP_201_CREATED)


class ShotDetailView(APIView):
    @extend_schema(responses=ShotSerializer)
    def get(self, request: Request, shot_id: int) -> Response:
        return Response(ShotSerializer(_fresh(access_shot(request.user, shot_id))).data)

    @extend_schema(request=ShotEditSerializer, responses={200: ShotSerializer, 409: dict})
    def patch(self, request: Request, shot_id: int) -> Response:
        shot = access_shot(request.user, shot_id, write=True)
        serializer = ShotSerializer(shot, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        based_on = base_version(request)
        try:
            shot = actions.update_shot(
                shot,
                based_on,
                dict(serializer.validated_data),
                by=request.user,
                speakers=speakers_of_project,
            )
        except actions.StaleVersion as stale:
            current = ShotSerializer(_fresh(stale.current)).data
            return conflict("Someone else changed this shot meanwhile.", current)
        except actions.InvalidSpeaker as invalid:
            raise ValidationError({"dialogue": [str(invalid)]}) from None
        return Response(ShotSerializer(_fresh(shot)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, shot_id: int) -> Response:
        actions.delete_shot(access_shot(request.user, shot_id, write=True), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShotDuplicateView(APIView):
    @extend_schema(request=None, responses={201: ShotSerializer})
    def post(self, request: Request, shot_id: int) -> Response:
        shot = access_shot(request.user, shot_id, write=True)
        try:
            copy = actions.duplicate_shot(shot, by=request.user, speakers=speakers_of_project)
        except actions.TooManyShots as full:
            raise ValidationError({"detail": str(full)}) from None
        return Response(ShotSerializer(_fresh(copy)).data, status=status.HTTP_201_CREATED)
