"""Invitation links to a project, and who accepted each.

A link's token is shown once, when it is made; only its SHA-256 is stored, so a copy of the
database gives no way in.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from storyboard_app.choices import Role
from storyboard_app.models import Project


class Invitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Set when the link went out by e-mail to this address.
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: never
    max_uses = models.PositiveIntegerField(null=True, blank=True)  # None: any number
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.role} link to {self.project}"

    def problem(self, now=None) -> str:
        """Why the link cannot be used now, in words for its visitor ("" if it can)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "This invitation link was revoked by the project's owner."
        if self.expires_at is not None and self.expires_at <= now:
            return f"This invitation link expired on {self.expires_at:%d %B %Y at %H:%M} UTC."
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "This invitation link has been used as many times as it allows."
        return ""


class InvitationUse(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="used_by")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "user"], name="one_use_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} joined through {self.invitation}"


class ReviewLink(models.Model):
    """Read-only access without an account: the chosen takes and the storyboard, and comments
    under a display name; nothing else of the project. Optional password, optional expiry."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_links")
    label = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    password_hash = models.CharField(max_length=200, blank=True)  # Django's hashers; "" = none
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"Review link to {self.project}"

    def problem(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "This review link was revoked."
        if self.expires_at is not None and self.expires_at <= now:
            return f"This review link expired on {self.expires_at:%d %B %Y at %H:%M} UTC."
        return ""
