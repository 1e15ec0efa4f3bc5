"""The API's shapes of projects, sequences, shots and dialogue, and the checks of their input.

Storage limits (`rules.MAX_*_STORED`) are enforced here with per-field messages; the model
limits (3–15 s, 6 shots, 512/2500 characters) are reported by the validate endpoint instead,
so a storyboard can be saved while it is being worked on.
"""

from rest_framework import serializers

from plumbing.serializer_fields import no_control_characters, text_field, version_field
from script import rules
from storyboard_app.choices import ReviewState
from storyboard_app.models import (
    LINE_ROW_FIELDS,
    MAX_TITLE_CHARS,
    SEQUENCE_ROW_FIELDS,
    SHOT_ROW_FIELDS,
    DialogueLine,
    Project,
    Sequence,
    Shot,
)


class ProjectSerializer(serializers.ModelSerializer):
    title = serializers.CharField(max_length=MAX_TITLE_CHARS, validators=[no_control_characters])
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.CharField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "title", "aspect_ratio", "owner", "role", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the project a title.")
        return value.strip()


class DialogueLineSerializer(serializers.ModelSerializer):
    speaker = text_field(rules.MAX_SHORT_TEXT_STORED, required=False)
    text = text_field()
    delivery = text_field(rules.MAX_SHORT_TEXT_STORED, required=False)
    speaker_element = serializers.IntegerField(
        source="speaker_element_id",
        allow_null=True,
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="An element of the project's libraries; its @handle becomes the speaker.",
    )

    class Meta:
        model = DialogueLine
        fields = list(LINE_ROW_FIELDS)


class ShotSerializer(serializers.ModelSerializer):
    duration = serializers.IntegerField(
        min_value=rules.MIN_SHOT_SECONDS, max_value=rules.MAX_SHOT_SECONDS_STORED, required=False
    )
    text = text_field(required=False)
    lettering = text_field(required=False)
    sound_notes = text_field(required=False)
    dialogue = DialogueLineSerializer(many=True, required=False)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Shot
        fields = [*SHOT_ROW_FIELDS, "dialogue"]
        read_only_fields = ["sequence", "position"]

    def validate_dialogue(self, lines: list) -> list:
        if len(lines) > rules.MAX_DIALOGUE_LINES_STORED:
            raise serializers.ValidationError(
                f"A shot holds at most {rules.MAX_DIALOGUE_LINES_STORED} dialogue lines."
            )
        return lines


class ShotCreateSerializer(ShotSerializer):
    position = serializers.IntegerField(
        min_value=0, max_value=rules.MAX_SHOTS_STORED, required=False, write_only=True
    )

    class Meta(ShotSerializer.Meta):
        read_only_fields = ["sequence"]


class ShotEditSerializer(ShotSerializer):
    """A shot PATCH as the schema documents it: the fields to change and the `version`."""

    version = version_field()


class ReviewSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ReviewState.choices)


class SequenceSerializer(serializers.ModelSerializer):
    title = text_field(MAX_TITLE_CHARS, required=False)
    prompt = text_field(required=False)
    negative_prompt = text_field(required=False)
    auto_duration = serializers.IntegerField(
        min_value=rules.MIN_SEQUENCE_SECONDS, max_value=rules.MAX_SEQUENCE_SECONDS, required=False
    )
    seed = serializers.IntegerField(
        min_value=0, max_value=rules.MAX_SEED, allow_null=True, required=False
    )
    first_frame = serializers.SerializerMethodField()
    end_frame = serializers.SerializerMethodField()
    duration = serializers.SerializerMethodField()
    shots = ShotSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Sequence
        fields = [
            "project",
            *SEQUENCE_ROW_FIELDS,
            "first_frame",
            "end_frame",
            "duration",
            "shots",
        ]
        # The review state changes only through POST /api/sequences/{id}/review/.
        read_only_fields = ["project", "position", "review_state"]

    def get_first_frame(self, sequence: Sequence) -> str | None:
        return sequence.first_frame.url if sequence.first_frame else None

    def get_end_frame(self, sequence: Sequence) -> str | None:
        return sequence.end_frame.url if sequence.end_frame else None

    def get_duration(self, sequence: Sequence) -> int:
        if sequence.mode == "auto":
            return sequence.auto_duration
        return sum(shot.duration for shot in sequence.shots.all())


class SequenceEditSerializer(SequenceSerializer):
    """A sequence PATCH as the schema documents it: the fields to change and the `version`."""

    version = version_field()


class ReorderSerializer(serializers.Serializer):
    shot_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=rules.MAX_SHOTS_STORED,
    )


class FrameUploadSerializer(serializers.Serializer):
    image = serializers.FileField()
