"""Request and response shapes of the moderation API (also its OpenAPI schema)."""

from rest_framework import serializers

from moderation.choices import CaseState, Category, SubjectKind
from moderation.models import MAX_REASON_CHARS

REPORTABLE = (SubjectKind.TAKE, SubjectKind.ELEMENT, SubjectKind.PROJECT)


class ReportSerializer(serializers.Serializer):
    take = serializers.IntegerField(required=False, min_value=1)
    element = serializers.IntegerField(required=False, min_value=1)
    project = serializers.IntegerField(required=False, min_value=1)
    category = serializers.ChoiceField(choices=Category.choices)
    reason = serializers.CharField(
        max_length=MAX_REASON_CHARS, required=False, allow_blank=True, default=""
    )

    def validate(self, data: dict) -> dict:
        given = [kind for kind in REPORTABLE if data.get(kind) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"detail": ["Say what you report: exactly one of take, element or project."]}
            )
        data["kind"], data["subject_id"] = given[0], data[given[0]]
        return data


class ReportReceivedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    new = serializers.BooleanField(help_text="False when you had already reported it.")


class AppealSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_REASON_CHARS)


class OwnCaseSerializer(serializers.Serializer):
    """A case about the user's own content, as its owner sees it (no reporters, no terms)."""

    id = serializers.IntegerField()
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    subject_label = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    state = serializers.ChoiceField(choices=CaseState.choices)
    decision_reason = serializers.CharField()
    appealed = serializers.BooleanField()
    can_appeal = serializers.BooleanField()
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
