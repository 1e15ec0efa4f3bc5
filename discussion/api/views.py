"""API views of the discussion. Thin: access, then an action; ids in bodies are loaded through
the access functions and must belong to the project (else 400 at their field)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from discussion import actions
from discussion.access import access_comment, notifications_of, threads_of
from discussion.serializers import (
    NewCommentSerializer,
    NotificationSerializer,
    ReadSerializer,
    ResolveSerializer,
    ThreadSerializer,
)
from jobs.access import access_take
from plumbing.query_params import integer_parameter, integer_params
from storyboard_app.access import Permission, access_project, access_shot

NOTIFICATIONS_SHOWN = 50


def _in_project(load, user, field: str, object_id: int, project_id: int):
    """The object `object_id` of this project, or a 400 at `field` (never another's)."""
    try:
        found, its_project = load(user, object_id)
    except Http404:
        found, its_project = None, None
    if found is None or its_project != project_id:
        raise ValidationError({field: [f"No such {field} in this project."]})
    return found


def _load_shot(user, shot_id):
    shot = access_shot(user, shot_id)
    return shot, shot.sequence.project_id


def _load_take(user, take_id):
    take = access_take(user, take_id)
    return take, take.project_id


def _load_parent(user, comment_id):
    comment = access_comment(user, comment_id, Permission.VIEW)
    return comment, comment.project_id


class CommentsView(APIView):
    @extend_schema(
        parameters=[integer_parameter("shot"), integer_parameter("take")],
        responses=ThreadSerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id)
        ids = integer_params(request, "shot", "take")
        threads = threads_of(project, ids["shot"], ids["take"])
        return Response(ThreadSerializer(threads, many=True).data)

    @extend_schema(request=NewCommentSerializer, responses={201: ThreadSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, permission=Permission.COMMENT)
        serializer = NewCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        loaders = {"shot": _load_shot, "take": _load_take, "parent": _load_parent}
        targets = {
            field: _in_project(load, request.user, field, data[field], project.pk)
            for field, load in loaders.items()
            if field in data
        }
        try:
            comment = actions.post_comment(project, request.user, data["body"], **targets)
        except actions.CommentRefused as refused:
            raise ValidationError({refused.field: [refused.message]}) from None
        comment.thread = []
        return Response(ThreadSerializer(comment).data, status=status.HTTP_201_CREATED)


class ResolveView(APIView):
    @extend_schema(request=ResolveSerializer, responses=ThreadSerializer)
    def post(self, request: Request, comment_id: int) -> Response:
        comment = access_comment(request.user, comment_id, Permission.COMMENT)
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        thread = actions.set_resolved(comment, request.user, serializer.validated_data["resolved"])
        thread.thread = list(thread.replies.select_related("author"))
        return Response(ThreadSerializer(thread).data)


class NotificationsView(APIView):
    @extend_schema(responses=NotificationSerializer(many=True))
    def get(self, request: Request) -> Response:
        mine = notifications_of(request.user)
        return Response(
            {
                "unread": mine.filter(read_at=None).count(),
                "notifications": NotificationSerializer(mine[:NOTIFICATIONS_SHOWN], many=True).data,
            }
        )


class ReadView(APIView):
    @extend_schema(request=ReadSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = ReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = actions.mark_read(request.user, serializer.validated_data.get("ids"))
        return Response({"marked": changed})
