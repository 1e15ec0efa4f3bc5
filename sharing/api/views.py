"""API views of sharing: members, invitation links and accepting them. Thin: access, then an
action; a refusal of the action is a 400 at its field."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plumbing.attempts import wait_message
from sharing import actions
from sharing.access import access_invitation
from sharing.serializers import (
    AddMemberSerializer,
    InvitationSerializer,
    MemberSerializer,
    NewInvitationSerializer,
    RoleSerializer,
    TransferSerializer,
)
from sharing.token_guard import INVITATION_GUESSES
from storyboard_app.access import access_project
from storyboard_app.models import Membership


def _refused(error: actions.SharingRefused) -> ValidationError:
    return ValidationError({error.field: [error.message]})


def _members(project) -> list[dict]:
    rows = Membership.objects.filter(project=project).select_related("user").order_by("created_at")
    return MemberSerializer(rows, many=True).data


class MembersView(APIView):
    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        return Response(_members(access_project(request.user, project_id)))

    @extend_schema(request=AddMemberSerializer, responses={201: MemberSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        serializer = AddMemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            membership = actions.add_member(project, **serializer.validated_data, by=request.user)
        except actions.SharingRefused as error:
            raise _refused(error) from None
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberView(APIView):
    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    def patch(self, request: Request, project_id: int, user_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            membership = actions.change_role(
                project, user_id, serializer.validated_data["role"], by=request.user
            )
        except actions.SharingRefused as error:
            raise _refused(error) from None
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, user_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        try:
            actions.remove_member(project, user_id, by=request.user)
        except actions.SharingRefused as error:
            raise _refused(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id)
        try:
            actions.leave_project(project, request.user)
        except actions.SharingRefused as error:
            raise _refused(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class TransferView(APIView):
    @extend_schema(request=TransferSerializer, responses=MemberSerializer(many=True))
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            project = actions.transfer_ownership(
                project, serializer.validated_data["user"], by=request.user
            )
        except actions.SharingRefused as error:
            raise _refused(error) from None
        return Response(_members(project))


def invitation_link(request: Request, token: str) -> str:
    return request.build_absolute_uri(reverse("invitation", args=[token]))


class InvitationsView(APIView):
    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        invitations = project.invitations.select_related("created_by")
        return Response(InvitationSerializer(invitations, many=True).data)

    @extend_schema(request=NewInvitationSerializer, responses={201: InvitationSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        project = access_project(request.user, project_id, manage=True)
        serializer = NewInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            invitation, token = actions.create_invitation(
                project, request.user, **serializer.validated_data
            )
        except actions.SharingRefused as error:
            raise _refused(error) from None
        link = invitation_link(request, token)
        if invitation.email:
            actions.send_invitation(invitation, link)
        # The link (with its token) is in this answer only: it is not stored.
        data = {**InvitationSerializer(invitation).data, "url": link, "token": token}
        return Response(data, status=status.HTTP_201_CREATED)


class InvitationView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, invitation_id: int) -> Response:
        actions.revoke_invitation(access_invitation(request.user, invitation_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptInvitationView(APIView):
    @extend_schema(request=None, responses={200: MemberSerializer})
    def post(self, request: Request, token: str) -> Response:
        wait = INVITATION_GUESSES.wait(request, token)
        if wait:
            return Response(
                {"detail": wait_message(wait)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(wait)},
            )
        try:
            membership = actions.accept_invitation(token, request.user)
        except actions.InvitationUnknown:
            INVITATION_GUESSES.count_unknown(request, token)
            return Response({"detail": "This invitation link is not valid."}, status=404)
        except actions.InvitationUnusable as error:
            return Response({"detail": error.message}, status=status.HTTP_410_GONE)
        data = {**MemberSerializer(membership).data, "project": membership.project_id}
        return Response(data)
