"""API views of libraries: list, create, read, change, delete, share, attach to projects."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from elements_app import actions
from elements_app.access import (
    LibraryRole,
    access_attachment,
    access_library,
    attachable_libraries,
    attachments_of,
    libraries_of,
    may_attach,
    projects_seen_by,
)
from elements_app.models import LibraryShare
from elements_app.serializers import (
    AttachmentListSerializer,
    AttachmentSerializer,
    LibrarySerializer,
    ShareSerializer,
)
from storyboard_app.access import access_project


def role_in_listing(library, user) -> str:
    if library.owner_id == user.pk:
        return LibraryRole.OWNER
    return LibraryRole.EDITOR if library.editable else LibraryRole.READER


class LibraryListView(APIView):
    @extend_schema(responses=LibrarySerializer(many=True))
    def get(self, request: Request) -> Response:
        libraries = (
            libraries_of(request.user)
            .select_related("owner")
            .annotate(
                editable=Exists(
                    LibraryShare.objects.filter(
                        library=OuterRef("pk"), user=request.user, can_edit=True
                    )
                ),
                can_attach=Exists(attachable_libraries(request.user).filter(pk=OuterRef("pk"))),
            )
        )
        for library in libraries:
            library.role = role_in_listing(library, request.user)
        return Response(LibrarySerializer(libraries, many=True).data)

    @extend_schema(request=LibrarySerializer, responses={201: LibrarySerializer})
    def post(self, request: Request) -> Response:
        serializer = LibrarySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        library = actions.create_library(request.user, **serializer.validated_data)
        return Response(LibrarySerializer(library).data, status=status.HTTP_201_CREATED)


class LibraryDetailView(APIView):
    @extend_schema(responses=LibrarySerializer)
    def get(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id)
        library.can_attach = may_attach(library, request.user)
        return Response(LibrarySerializer(library).data)

    @extend_schema(request=LibrarySerializer, responses=LibrarySerializer)
    def patch(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id, manage=True)
        serializer = LibrarySerializer(library, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        library = actions.update_library(library, serializer.validated_data)
        return Response(LibrarySerializer(library).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, library_id: int) -> Response:
        actions.delete_library(access_library(request.user, library_id, manage=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShareListView(APIView):
    """The users a library is shared with (owner only)."""

    @extend_schema(responses=ShareSerializer(many=True))
    def get(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id, manage=True)
        shares = library.shares.select_related("user").order_by("user__username")
        return Response(ShareSerializer(shares, many=True).data)

    @extend_schema(request=ShareSerializer, responses={201: ShareSerializer})
    def post(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id, manage=True)
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]["username"]
        if user.pk == library.owner_id:
            return Response({"username": ["You own this library already."]}, status=400)
        try:
            share = actions.share_library(
                library,
                user,
                serializer.validated_data["can_edit"],
                serializer.validated_data["can_attach"],
            )
        except actions.ShareRefused as refused:
            return Response({refused.field: [refused.message]}, status=400)
        return Response(ShareSerializer(share).data, status=status.HTTP_201_CREATED)


class ShareDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, library_id: int, username: str) -> Response:
        library = access_library(request.user, library_id, manage=True)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise Http404("No such user.")
        actions.unshare_library(library, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentListView(APIView):
    """Every project the library is attached to (owner only): by name where the owner is a
    member of the project, otherwise only counted; each can be detached."""

    @extend_schema(responses=AttachmentListSerializer)
    def get(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id, manage=True)
        attachments = list(attachments_of(library))
        visible = projects_seen_by(request.user, [a.project_id for a in attachments])
        rows = AttachmentSerializer(
            attachments, many=True, context={"visible_projects": visible}
        ).data
        hidden = sum(1 for a in attachments if a.project_id not in visible)
        return Response({"attachments": rows, "hidden": hidden})


class AttachmentDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, library_id: int, attachment_id: int) -> Response:
        library = access_library(request.user, library_id, manage=True)
        attachment = access_attachment(library, attachment_id)
        actions.detach_library(attachment.project, library)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectLibraryView(APIView):
    """Attach a library the user may attach (its owner, or an editor the owner allowed to) to a
    project they can edit, or detach one from it."""

    @extend_schema(request=None, responses={201: LibrarySerializer})
    def post(self, request: Request, project_id: int, library_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        library = access_library(request.user, library_id, attach=True)
        actions.attach_library(project, library, request.user)
        return Response(LibrarySerializer(library).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, library_id: int) -> Response:
        project = access_project(request.user, project_id, write=True)
        library = project.attached_libraries.filter(library_id=library_id).first()
        if library is None:
            raise Http404("That library is not attached to this project.")
        actions.detach_library(project, library.library)
        return Response(status=status.HTTP_204_NO_CONTENT)
