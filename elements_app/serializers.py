"""The API's shapes of libraries, shares, elements and their media, and checks of their input."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from elements_app.models import (
    MAX_ANGLE_CHARS,
    MAX_HANDLE_CHARS,
    MAX_LIBRARY_NAME_CHARS,
    Element,
    ElementImage,
    ElementLibrary,
    LibraryShare,
    ProjectLibrary,
)
from plumbing.serializer_fields import no_control_characters, text_field

# Characters that would make a handle ambiguous inside text: the mention sign itself, line
# breaks, and the punctuation that ends a mention.
FORBIDDEN_IN_HANDLE = set("@\n\r\t,;:!?()[]{}<>\"'“”「」『』")


def media_url(field_file) -> str | None:
    return field_file.url if field_file else None


class LibrarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        max_length=MAX_LIBRARY_NAME_CHARS, validators=[no_control_characters]
    )
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.CharField(read_only=True)
    can_attach = serializers.SerializerMethodField(
        help_text="Whether the user may attach it to a project (its owner, or allowed to)."
    )

    class Meta:
        model = ElementLibrary
        fields = [
            *("id", "name", "visibility", "owner", "role", "can_attach"),
            *("created_at", "updated_at"),
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_can_attach(self, library: ElementLibrary) -> bool:
        # Set by the views that know it; a library just made is its owner's.
        return getattr(library, "can_attach", getattr(library, "role", None) == "owner")

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the library a name.")
        return value.strip()


class ShareSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    can_edit = serializers.BooleanField(default=False)
    can_attach = serializers.BooleanField(
        default=False, help_text="May attach the library to projects (needs can_edit)."
    )

    class Meta:
        model = LibraryShare
        fields = ["username", "can_edit", "can_attach"]

    def validate_username(self, value: str):
        try:
            return get_user_model().objects.get(username=value)
        except get_user_model().DoesNotExist:
            raise serializers.ValidationError(f"There is no user called “{value}”.") from None


class AttachedProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    """Where a library is attached, for its owner: the project by name only where the owner is
    one of its members (`visible_projects`), else null."""

    project = serializers.SerializerMethodField()
    attached_by = serializers.CharField(
        source="attached_by.username", default=None, allow_null=True
    )
    in_force = serializers.BooleanField(
        help_text="Whether it still opens the library (its maker may still attach it)."
    )

    class Meta:
        model = ProjectLibrary
        fields = ["id", "project", "attached_by", "created_at", "in_force"]

    @extend_schema_field(AttachedProjectSerializer(allow_null=True))
    def get_project(self, attachment: ProjectLibrary) -> dict | None:
        if attachment.project_id not in self.context["visible_projects"]:
            return None
        return {"id": attachment.project_id, "title": attachment.project.title}


class AttachmentListSerializer(serializers.Serializer):
    attachments = AttachmentSerializer(many=True)
    hidden = serializers.IntegerField(
        help_text="How many of them are in projects the owner is not a member of."
    )


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    angle = serializers.CharField(
        max_length=MAX_ANGLE_CHARS, allow_blank=True, validators=[no_control_characters]
    )

    class Meta:
        model = ElementImage
        fields = ["id", "position", "angle", "url", "width", "height", "source"]
        read_only_fields = ["position", "width", "height", "source"]

    def get_url(self, image: ElementImage) -> str:
        return image.file.url


class ElementSerializer(serializers.ModelSerializer):
    handle = serializers.CharField(max_length=MAX_HANDLE_CHARS)
    description = text_field(required=False)
    voice_accent = text_field(100, required=False)
    images = ImageSerializer(many=True, read_only=True)
    video = serializers.SerializerMethodField()
    voice = serializers.SerializerMethodField()
    library_name = serializers.CharField(source="library.name", read_only=True)
    removed = serializers.SerializerMethodField(help_text="Taken down by a moderator.")

    class Meta:
        model = Element
        fields = [
            "id",
            "library",
            "library_name",
            "handle",
            "kind",
            "description",
            "voice_language",
            "voice_accent",
            "images",
            "video",
            "voice",
            "version",
            "removed",
            "removed_reason",
        ]
        read_only_fields = ["library", "version", "removed_reason"]

    def validate_handle(self, value: str) -> str:
        handle = " ".join(value.removeprefix("@").split())
        if not handle:
            raise serializers.ValidationError("Give the element a handle, e.g. “Mara”.")
        bad = sorted(set(handle) & FORBIDDEN_IN_HANDLE)
        if bad:
            raise serializers.ValidationError(
                f"A handle cannot contain {' '.join(bad)}; letters, digits and spaces work."
            )
        no_control_characters(handle)
        return handle

    def get_removed(self, element: Element) -> bool:
        return element.removed_at is not None

    def to_representation(self, element: Element) -> dict:
        data = super().to_representation(element)
        if element.removed_at is not None:  # its media is served to no one
            data["images"] = [{**image, "url": None} for image in data["images"]]
            for name in ("video", "voice"):
                if data[name]:
                    data[name]["url"] = None
        return data

    def get_video(self, element: Element) -> dict | None:
        video = getattr(element, "video", None)
        if video is None:
            return None
        return {
            "url": video.file.url,
            "duration": video.duration,
            "width": video.width,
            "height": video.height,
            "fps": video.fps,
        }

    def get_voice(self, element: Element) -> dict | None:
        voice = getattr(element, "voice", None)
        if voice is None:
            return None
        return {
            "url": voice.file.url,
            "duration": voice.duration,
            "speech_seconds": voice.speech_seconds,
            "source": voice.source,
        }


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField()
    angle = serializers.CharField(
        max_length=MAX_ANGLE_CHARS, allow_blank=True, required=False, default=""
    )


class VideoUploadSerializer(serializers.Serializer):
    video = serializers.FileField()


class VoiceUploadSerializer(serializers.Serializer):
    audio = serializers.FileField()


class ImageOrderSerializer(serializers.Serializer):
    image_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=50
    )
