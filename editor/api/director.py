"""API views of the prompt director: split a prompt into shots (nothing saved), and apply it to
a project as new sequences. Thin: editor/directing.py does the work."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from editor.directing import (
    MAX_DIRECTOR_PROMPT_CHARS,
    apply_direction,
    direct_for,
    direction_rows,
)
from plumbing.serializer_fields import no_control_characters
from script.rules import MAX_SHOT_SECONDS_STORED
from storyboard_app.access import access_project
from storyboard_app.choices import SequenceMode
from storyboard_app.sequence_rows import sequence_rows


class SplitRequestSerializer(serializers.Serializer):
    prompt = serializers.CharField(
        max_length=MAX_DIRECTOR_PROMPT_CHARS, validators=[no_control_characters]
    )
    total = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_SHOT_SECONDS_STORED,
        help_text="Seconds wanted (3–15 for one sequence); the director's own choice if absent.",
    )
    project = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="A project whose elements' @handles name speakers (you must be a member).",
    )


class ApplyRequestSerializer(SplitRequestSerializer):
    project = None
    mode = serializers.ChoiceField(
        choices=SequenceMode.choices,
        default=SequenceMode.CUSTOM,
        help_text="custom: the shots as new sequences; auto: one sequence keeping the prompt.",
    )


class DirectedLineSerializer(serializers.Serializer):
    speaker = serializers.CharField()
    speaker_element = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    language = serializers.CharField()
    delivery = serializers.CharField()
    voice_over = serializers.BooleanField()


class BeatSerializer(serializers.Serializer):
    at = serializers.FloatField()
    text = serializers.CharField()


class DirectedShotSerializer(serializers.Serializer):
    duration = serializers.IntegerField()
    shot_size = serializers.CharField()
    camera_angle = serializers.CharField()
    camera_movement = serializers.CharField()
    text = serializers.CharField()
    lettering = serializers.CharField()
    dialogue = DirectedLineSerializer(many=True)
    beats = BeatSerializer(many=True)


class DirectedSequenceSerializer(serializers.Serializer):
    duration = serializers.IntegerField()
    shots = DirectedShotSerializer(many=True)


class DirectionSerializer(serializers.Serializer):
    sequences = DirectedSequenceSerializer(many=True)
    messages = serializers.ListField(child=serializers.CharField())


class DirectorSplitView(APIView):
    @extend_schema(request=SplitRequestSerializer, responses=DirectionSerializer)
    def post(self, request: Request) -> Response:
        asked = SplitRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        project = access_project(request.user, data["project"]) if data.get("project") else None
        direction, handles = direct_for(data["prompt"], data.get("total"), project)
        return Response(direction_rows(direction, handles))


class DirectorApplyView(APIView):
    @extend_schema(request=ApplyRequestSerializer, responses={201: dict})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        asked = ApplyRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        added = apply_direction(
            project, data["prompt"], data.get("total"), data["mode"], by=request.user
        )
        return Response({"sequences": sequence_rows(added)}, status=status.HTTP_201_CREATED)
