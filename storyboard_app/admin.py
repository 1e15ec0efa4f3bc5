"""The storyboard in the Django admin: read-only (plumbing/admin_views.py says why)."""

from django.contrib import admin

from plumbing.admin_views import ReadOnlyAdmin, ReadOnlyInline
from storyboard_app.models import DialogueLine, Membership, Project, Sequence, Shot


class MembershipInline(ReadOnlyInline):
    model = Membership
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "aspect_ratio", "updated_at"]
    search_fields = ["title", "owner__username"]
    raw_id_fields = ["owner"]
    inlines = [MembershipInline]


class ShotInline(ReadOnlyInline):
    model = Shot
    fields = ["position", "duration", "shot_size", "camera_angle", "camera_movement", "text"]


@admin.register(Sequence)
class SequenceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "project", "position", "mode", "model_family"]
    raw_id_fields = ["project"]
    inlines = [ShotInline]


class DialogueInline(ReadOnlyInline):
    model = DialogueLine


@admin.register(Shot)
class ShotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "duration", "shot_size", "camera_movement"]
    raw_id_fields = ["sequence"]
    inlines = [DialogueInline]
