"""API views of takes: the takes of a sequence, one take, choosing the one for the cut."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs import actions
from jobs.access import access_take
from jobs.events import take_row
from jobs.models import Take
from jobs.serializers import TakeSerializer, TakeWithSettingsSerializer
from storyboard_app.access import access_sequence


def _with_settings(take: Take) -> dict:
    return {**take_row(take), "provider": take.job.provider, "settings": take.job.storyboard}


class SequenceTakesView(APIView):
    @extend_schema(responses=TakeWithSettingsSerializer(many=True))
    def get(self, request: Request, sequence_id: int) -> Response:
        sequence = access_sequence(request.user, sequence_id)
        takes = Take.objects.filter(sequence=sequence).select_related("job").order_by("-id")
        return Response([_with_settings(take) for take in takes])


class TakeDetailView(APIView):
    @extend_schema(responses=TakeWithSettingsSerializer)
    def get(self, request: Request, take_id: int) -> Response:
        return Response(_with_settings(access_take(request.user, take_id)))


class TakeChooseView(APIView):
    @extend_schema(request=None, responses={200: TakeSerializer, 409: dict})
    def post(self, request: Request, take_id: int) -> Response:
        take = access_take(request.user, take_id, write=True)
        try:
            take = actions.choose_take(take, by=request.user)
        except actions.TakeRemoved as removed:  # a moderator took it down
            return Response({"detail": str(removed)}, status=status.HTTP_409_CONFLICT)
        return Response(take_row(take))
