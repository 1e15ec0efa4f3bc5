"""Request and response shapes of the jobs API (also its OpenAPI schema)."""

from rest_framework import serializers

from jobs.choices import JobState, Provider
from jobs.models import MAX_IDEMPOTENCY_KEY_CHARS


class GenerateRequestSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices, default=Provider.ANIMATIC)


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    provider = serializers.ChoiceField(choices=Provider.choices)
    state = serializers.ChoiceField(choices=JobState.choices)
    progress = serializers.FloatField()
    error_code = serializers.CharField()
    error_message = serializers.CharField()
    cost = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class TakeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job = serializers.IntegerField()
    sequence = serializers.IntegerField()
    video_url = serializers.CharField(allow_null=True, help_text="null once taken down.")
    poster_url = serializers.CharField(allow_null=True)
    removed = serializers.BooleanField(help_text="Taken down by a moderator.")
    removed_reason = serializers.CharField()
    duration = serializers.FloatField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    has_audio = serializers.BooleanField()
    chosen = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class TakeWithSettingsSerializer(TakeSerializer):
    provider = serializers.CharField()
    settings = serializers.DictField(help_text="The storyboard the take was generated from.")


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    warnings = serializers.ListField(child=serializers.CharField())


class CreditsSerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    in_flight = serializers.IntegerField()
    max_in_flight = serializers.IntegerField()
    entries = serializers.ListField(child=serializers.DictField())


class ProviderSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class KlingCallbackSerializer(serializers.Serializer):
    """The legacy flat callback payload (docs/kling_api.md §7), for the schema."""

    task_id = serializers.CharField()
    task_status = serializers.CharField()
    task_status_msg = serializers.CharField(required=False)
    task_info = serializers.DictField(required=False)
    task_result = serializers.DictField(required=False)


IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotency_key(request) -> str:
    """The request's Idempotency-Key, or a 400 when it is too long to be one."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY_CHARS:
        raise serializers.ValidationError(
            {IDEMPOTENCY_HEADER: [f"At most {MAX_IDEMPOTENCY_KEY_CHARS} characters."]}
        )
    return key


class ValidateRequestSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices, default=Provider.ANIMATIC)


class ValidationReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    warnings = serializers.ListField(child=serializers.CharField())
    prompt_chars = serializers.DictField(
        help_text="Prompt lengths as the model counts them: `shots` (one per shot), `whole`."
    )
    estimate = serializers.DictField(
        help_text="`seconds`, `cost` (credits) for the provider, and the user's `balance`."
    )
