"""API views of projects and their timeline: thin, they call access and actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from editor.timeline_snapshot import timeline_of, vocabulary
from storyboard_app import actions
from storyboard_app.access import access_project, projects_of
from storyboard_app.serializers import ProjectSerializer, SequenceSerializer


class ProjectListView(APIView):
    @extend_schema(responses=ProjectSerializer(many=True))
    def get(self, request: Request) -> Response:
        projects = (
            projects_of(request.user)
            .select_related("owner")
            .only("title", "aspect_ratio", "created_at", "updated_at", "owner__username")
        )
        return Response(ProjectSerializer(projects, many=True).data)

    @extend_schema(request=ProjectSerializer, responses={201: ProjectSerializer})
    def post(self, request: Request) -> Response:
        serializer = ProjectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = actions.create_project(request.user, **serializer.validated_data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        return Response(ProjectSerializer(access_project(request.user, project_id)).data)

    @extend_schema(request=ProjectSerializer, responses=ProjectSerializer)
    def patch(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        serializer = ProjectSerializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = actions.update_project(project, serializer.validated_data, by=request.user)
        return Response(ProjectSerializer(project).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int) -> Response:
        actions.delete_project(access_project(request.user, project_id, manage=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimelineView(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, project_id: int) -> Response:
        return Response(timeline_of(access_project(request.user, project_id)))


class VocabularyView(APIView):
    """The choices and limits of a storyboard, from the server's one definition of them."""

    @extend_schema(responses=dict)
    def get(self, request: Request) -> Response:
        return Response(vocabulary())


class SequenceCreateView(APIView):
    @extend_schema(request=SequenceSerializer, responses={201: SequenceSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        serializer = SequenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sequence = actions.add_sequence(project, serializer.validated_data, by=request.user)
        return Response(SequenceSerializer(sequence).data, status=status.HTTP_201_CREATED)
