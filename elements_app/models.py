"""Element libraries, their sharing, their elements and the elements' reference media."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower

from elements_app.choices import ElementKind, MediaSource, Visibility
from storyboard_app.choices import Language
from storyboard_app.models import Project

MAX_LIBRARY_NAME_CHARS = 120
MAX_HANDLE_CHARS = 40
MAX_DESCRIPTION_CHARS = 1000
MAX_ANGLE_CHARS = 60
MAX_ACCENT_CHARS = 100
MAX_REMOVED_REASON_CHARS = 1000


class ElementLibrary(models.Model):
    name = models.CharField(max_length=MAX_LIBRARY_NAME_CHARS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="element_libraries"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "element libraries"

    def __str__(self) -> str:
        return self.name


class LibraryShare(models.Model):
    """A named user's access to a shared library; effective while its visibility is shared."""

    library = models.ForeignKey(ElementLibrary, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_shares"
    )
    can_edit = models.BooleanField(default=False)
    # The owner's leave to attach the library to projects (and so share it with their members);
    # only ever with `can_edit`.
    can_attach = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "user"], name="one_share_per_user"),
            models.CheckConstraint(
                condition=Q(can_attach=False) | Q(can_edit=True), name="attach_only_with_edit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library} shared with {self.user}"


class AttachmentQuerySet(models.QuerySet):
    def in_force(self) -> "AttachmentQuerySet":
        """Attachments whose maker still has the right to attach the library: its owner, or a
        user the owner lets edit and attach it while it is shared. An attachment opens the
        library to a project's members only while this holds, so a share that ends closes every
        project it was carried into."""
        allowed = LibraryShare.objects.filter(
            library=OuterRef("library"), user=OuterRef("attached_by"), can_attach=True
        )
        return self.filter(
            Q(attached_by=F("library__owner"))
            | Q(Exists(allowed), library__visibility=Visibility.SHARED)
        )


class ProjectLibrary(models.Model):
    """A library attached to a project: every member may use its elements there, while the
    attachment is in force (see `AttachmentQuerySet.in_force`)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="attached_libraries"
    )
    library = models.ForeignKey(
        ElementLibrary, on_delete=models.CASCADE, related_name="attachments"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "library"], name="attach_library_once")
        ]

    def __str__(self) -> str:
        return f"{self.library} in {self.project}"


class Element(models.Model):
    library = models.ForeignKey(ElementLibrary, on_delete=models.CASCADE, related_name="elements")
    handle = models.CharField(max_length=MAX_HANDLE_CHARS)
    kind = models.CharField(max_length=10, choices=ElementKind.choices)
    description = models.TextField(blank=True)
    voice_language = models.CharField(
        max_length=8, choices=Language.choices, default=Language.DETECT
    )
    voice_accent = models.CharField(max_length=MAX_ACCENT_CHARS, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Taken down by a moderator: its media is served to no one and it cannot be generated with.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=MAX_REMOVED_REASON_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["handle", "id"]
        constraints = [
            models.UniqueConstraint(Lower("handle"), "library", name="unique_handle_in_library")
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"


def element_media_path(instance, filename: str) -> str:
    element = instance.element
    return f"private/libraries/{element.library_id}/elements/{element.pk}/{filename}"


class ElementImage(models.Model):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveIntegerField()
    angle = models.CharField(max_length=MAX_ANGLE_CHARS, blank=True)
    file = models.ImageField(
        upload_to=element_media_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    source = models.CharField(
        max_length=10, choices=MediaSource.choices, default=MediaSource.UPLOAD
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["element", "position"], name="unique_image_position")
        ]

    def __str__(self) -> str:
        return f"{self.element} image {self.position + 1} ({self.angle})"


class ElementVideo(models.Model):
    element = models.OneToOneField(Element, on_delete=models.CASCADE, related_name="video")
    file = models.FileField(upload_to=element_media_path)
    duration = models.FloatField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    fps = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reference video of {self.element}"


class ElementVoice(models.Model):
    element = models.OneToOneField(Element, on_delete=models.CASCADE, related_name="voice")
    file = models.FileField(upload_to=element_media_path)
    duration = models.FloatField()
    speech_seconds = models.FloatField()
    source = models.CharField(
        max_length=10, choices=MediaSource.choices, default=MediaSource.UPLOAD
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Voice of {self.element}"
