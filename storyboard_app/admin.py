"""The storyboard in the Django admin (for staff; moderation gets its own console later)."""

from django.contrib import admin

from storyboard_app.models import DialogueLine, Membership, Project, Sequence, Shot


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "aspect_ratio", "updated_at"]
    search_fields = ["title", "owner__username"]
    raw_id_fields = ["owner"]
    inlines = [MembershipInline]


class ShotInline(admin.TabularInline):
    model = Shot
    extra = 0
    fields = ["position", "duration", "shot_size", "camera_angle", "camera_movement", "text"]


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "position", "mode", "model_family"]
    raw_id_fields = ["project"]
    inlines = [ShotInline]


class DialogueInline(admin.TabularInline):
    model = DialogueLine
    extra = 0


@admin.register(Shot)
class ShotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "duration", "shot_size", "camera_movement"]
    raw_id_fields = ["sequence"]
    inlines = [DialogueInline]
