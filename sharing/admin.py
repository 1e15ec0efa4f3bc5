"""Sharing in the Django admin: invitation and review links, read-only, revoked by an admin
action that goes through `sharing.actions` (and so is recorded in the project's activity)."""

from django.contrib import admin, messages

from plumbing.admin_views import ReadOnlyAdmin
from sharing import actions
from sharing.models import Invitation, ReviewLink


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "project",
        "role",
        "created_by",
        "created_at",
        "expires_at",
        "uses",
        "revoked_at",
    ]
    list_filter = ["role"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset) -> None:
        for invitation in queryset:
            actions.revoke_invitation(invitation, by=request.user)
        messages.success(request, f"Revoked {queryset.count()} links.")


@admin.register(ReviewLink)
class ReviewLinkAdmin(ReadOnlyAdmin):
    list_display = ["project", "label", "created_by", "created_at", "expires_at", "revoked_at"]
    exclude = ["token_hash", "password_hash"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected review links")
    def revoke(self, request, queryset) -> None:
        for link in queryset:
            actions.revoke_review_link(link, by=request.user)
        messages.success(request, f"Revoked {queryset.count()} review links.")
