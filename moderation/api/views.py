"""API views of moderation for users: report something, see the cases about your own content
and your notices, appeal a takedown. Thin: access, then moderation/cases.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from elements_app.access import access_element
from jobs.access import access_take
from moderation import cases
from moderation.access import access_own_case, cases_of_owner, notices_of
from moderation.choices import SubjectKind
from moderation.serializers import (
    AppealSerializer,
    NoticeSerializer,
    OwnCaseSerializer,
    ReportReceivedSerializer,
    ReportSerializer,
)
from storyboard_app.access import access_project

CASES_SHOWN = 100
NOTICES_SHOWN = 50
# What the reporter must be able to see to report it (404 otherwise, as for any outsider).
ACCESS = {
    SubjectKind.TAKE: access_take,
    SubjectKind.ELEMENT: access_element,
    SubjectKind.PROJECT: access_project,
}


def own_case_row(case) -> dict:
    return {
        **{
            field: getattr(case, field)
            for field in OwnCaseSerializer().fields
            if field != "can_appeal"
        },
        "can_appeal": cases.can_appeal(case),
    }


class ReportView(APIView):
    @extend_schema(
        request=ReportSerializer,
        responses={201: ReportReceivedSerializer, 200: ReportReceivedSerializer, 429: dict},
    )
    def post(self, request: Request) -> Response:
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ACCESS[data["kind"]](request.user, data["subject_id"])
        try:
            _, new = cases.file_report(
                request.user, data["kind"], data["subject_id"], data["category"], data["reason"]
            )
        except cases.ReportRefused as refused:
            if refused.field == "detail":
                return Response(
                    {"detail": refused.message},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(refused.retry_after)},
                )
            raise ValidationError({refused.field: [refused.message]}) from None
        if not new:
            detail = "You already reported this; a moderator will look at it."
            return Response({"detail": detail, "new": False})
        detail = "Thank you: a moderator will look at it."
        return Response({"detail": detail, "new": True}, status=status.HTTP_201_CREATED)


class OwnCasesView(APIView):
    @extend_schema(responses=OwnCaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response([own_case_row(case) for case in cases_of_owner(request.user)[:CASES_SHOWN]])


class AppealView(APIView):
    @extend_schema(request=AppealSerializer, responses={200: OwnCaseSerializer, 409: dict})
    def post(self, request: Request, case_id: int) -> Response:
        case = access_own_case(request.user, case_id)
        serializer = AppealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = cases.appeal(request.user, case, serializer.validated_data["text"])
        except cases.AppealRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(own_case_row(case))


class NoticesView(APIView):
    @extend_schema(responses=NoticeSerializer(many=True))
    def get(self, request: Request) -> Response:
        notices = notices_of(request.user)[:NOTICES_SHOWN]
        return Response(NoticeSerializer(notices, many=True).data)
