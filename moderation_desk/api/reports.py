"""`POST /api/reports/`: report a take, an element or a project you can see. Thin: access (404
for what the reporter cannot see, as for any outsider), then moderation/cases.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from elements_app.access import access_element
from jobs.access import access_take
from moderation import cases
from moderation.choices import SubjectKind
from moderation.serializers import ReportReceivedSerializer, ReportSerializer
from storyboard_app.access import access_project

# What the reporter must be able to see to report it (404 otherwise, as for any outsider).
ACCESS = {
    SubjectKind.TAKE: access_take,
    SubjectKind.ELEMENT: access_element,
    SubjectKind.PROJECT: access_project,
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
