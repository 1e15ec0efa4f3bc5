"""Serializer fields every app's API uses: text without control characters, within the storage
limits, and the `version` an edit is based on (optimistic concurrency, see api_versions.py)."""

from rest_framework import serializers

from script import rules


def no_control_characters(value: str) -> str:
    if rules.CONTROL_CHARACTERS.search(value):
        raise serializers.ValidationError("Remove the control characters from this text.")
    return value


def text_field(max_length: int = rules.MAX_TEXT_STORED, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        allow_blank=True,
        trim_whitespace=False,
        validators=[no_control_characters],
        **kwargs,
    )


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version this edit is based on (required)."
    )


class VersionedSerializer(serializers.Serializer):
    """The `version` an edit is based on (required on PATCH)."""

    version = version_field()
