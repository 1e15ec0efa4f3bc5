"""API views of moderation for users: the cases about your own content, your notices, an appeal
of a takedown (reporting is moderation_desk/api/reports.py). Thin: access, then cases.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation import cases
from moderation.access import access_own_case, cases_of_owner, notices_of
from moderation.serializers import (
    AppealSerializer,
    NoticeSerializer,
    OwnCaseSerializer,
)

CASES_SHOWN = 100
NOTICES_SHOWN = 50


def own_case_row(case) -> dict:
    return {
        **{
            field: getattr(case, field)
            for field in OwnCaseSerializer().fields
            if field != "can_appeal"
        },
        "can_appeal": cases.can_appeal(case),
    }


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
