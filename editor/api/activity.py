"""`GET /api/projects/{id}/activity/?user=<id>`: who changed what and when, newest first."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.access import activity_of
from activity.models import Activity
from plumbing.query_params import integer_parameter, integer_params
from storyboard_app.access import access_project


class ActivitySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    what = serializers.CharField(source="get_verb_display")

    class Meta:
        model = Activity
        fields = ["id", "actor", "verb", "what", "summary", "times", "created_at", "updated_at"]


class ActivityView(APIView):
    @extend_schema(
        parameters=[integer_parameter("user", "Only what this member did.")],
        responses=ActivitySerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id)
        rows = activity_of(project, integer_params(request, "user")["user"])
        return Response(ActivitySerializer(rows, many=True).data)
