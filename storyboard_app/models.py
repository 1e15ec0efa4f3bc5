"""Projects, their members, sequences, shots and dialogue lines."""

from django.conf import settings
from django.db import models

from script import rules
from storyboard_app.choices import (
    AspectRatio,
    CameraAngle,
    CameraMovement,
    Language,
    ModelFamily,
    Quality,
    ReviewState,
    Role,
    SequenceMode,
    ShotSize,
    Transition,
)

MAX_TITLE_CHARS = 200
MAX_REMOVED_REASON_CHARS = 1000
# The field lists, named once: the serializers, `sequence_rows`, the timeline snapshot, the job
# snapshot, the reel and the exports all read these.
# What a shot and a dialogue line hold (as opposed to where they sit and their version): what
# a duplicate copies and what a generation job reads.
SHOT_CONTENT_FIELDS = (
    "duration",
    "shot_size",
    "camera_angle",
    "camera_movement",
    "text",
    "lettering",
    "transition",
    "sound_notes",
)
LINE_CONTENT_FIELDS = ("speaker", "text", "language", "delivery", "voice_over")
# A sequence's settings a generation reads; with its title, what the API shows, a project export
# carries and an import sets (not its place, review state or version).
SEQUENCE_GENERATION_FIELDS = (
    "mode",
    "prompt",
    "auto_duration",
    "model_family",
    "native_audio",
    "quality",
    "negative_prompt",
    "seed",
)
SEQUENCE_CONTENT_FIELDS = ("title", *SEQUENCE_GENERATION_FIELDS)
# The rows as the API shows them (a sequence adds its frames, duration and shots; a shot its lines).
SEQUENCE_ROW_FIELDS = ("id", "position", *SEQUENCE_CONTENT_FIELDS, "review_state", "version")
SHOT_ROW_FIELDS = ("id", "sequence", "position", *SHOT_CONTENT_FIELDS, "version")
LINE_ROW_FIELDS = (*LINE_CONTENT_FIELDS, "speaker_element")


class Project(models.Model):
    title = models.CharField(max_length=MAX_TITLE_CHARS)
    aspect_ratio = models.CharField(
        max_length=5, choices=AspectRatio.choices, default=AspectRatio.LANDSCAPE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_projects"
    )
    # Taken down by a moderator: closed to its members, its media served to no one.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=MAX_REMOVED_REASON_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"


def frame_upload_path(instance: "Sequence", filename: str) -> str:
    return f"private/projects/{instance.project_id}/frames/{filename}"


class Sequence(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sequences")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=MAX_TITLE_CHARS, blank=True)
    mode = models.CharField(
        max_length=10, choices=SequenceMode.choices, default=SequenceMode.CUSTOM
    )
    prompt = models.TextField(blank=True)
    auto_duration = models.PositiveSmallIntegerField(default=5)
    model_family = models.CharField(
        max_length=10, choices=ModelFamily.choices, default=ModelFamily.STANDARD
    )
    native_audio = models.BooleanField(default=True)
    quality = models.CharField(max_length=5, choices=Quality.choices, default=Quality.HD)
    negative_prompt = models.TextField(blank=True)
    seed = models.PositiveIntegerField(null=True, blank=True)
    first_frame = models.ImageField(upload_to=frame_upload_path, blank=True)
    end_frame = models.ImageField(upload_to=frame_upload_path, blank=True)
    # Approved: its shots and its chosen take stay as they are until an owner or editor reopens it.
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="unique_sequence_position")
        ]

    def __str__(self) -> str:
        return self.title or f"Sequence {self.position + 1}"


class Shot(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="shots")
    position = models.PositiveIntegerField()
    duration = models.PositiveSmallIntegerField(default=3)
    shot_size = models.CharField(max_length=20, choices=ShotSize.choices, default=ShotSize.MEDIUM)
    camera_angle = models.CharField(
        max_length=20, choices=CameraAngle.choices, default=CameraAngle.EYE_LEVEL
    )
    camera_movement = models.CharField(
        max_length=20, choices=CameraMovement.choices, default=CameraMovement.STATIC
    )
    text = models.TextField(blank=True)
    lettering = models.TextField(blank=True)
    transition = models.CharField(max_length=10, choices=Transition.choices, default=Transition.CUT)
    sound_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "position"], name="unique_shot_position"),
            models.CheckConstraint(
                condition=models.Q(duration__gte=rules.MIN_SHOT_SECONDS)
                & models.Q(duration__lte=rules.MAX_SHOT_SECONDS_STORED),
                name="shot_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Shot {self.position + 1} of {self.sequence}"


class DialogueLine(models.Model):
    shot = models.ForeignKey(Shot, on_delete=models.CASCADE, related_name="dialogue")
    order = models.PositiveSmallIntegerField()
    speaker = models.CharField(max_length=rules.MAX_SHORT_TEXT_STORED, blank=True)
    speaker_element = models.ForeignKey(
        "elements_app.Element",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_lines",
    )
    text = models.TextField()
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.DETECT)
    delivery = models.CharField(max_length=rules.MAX_SHORT_TEXT_STORED, blank=True)
    voice_over = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:40]}"
