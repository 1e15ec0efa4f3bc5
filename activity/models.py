"""The activity of a project: one row per change a person made (shot edits, generations, takes
chosen, review states, membership), bursts of the same edit folded into one row."""

from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    PROJECT_CHANGED = "project_changed", "changed the project"
    SEQUENCE_ADDED = "sequence_added", "added a sequence"
    SEQUENCE_EDITED = "sequence_edited", "edited a sequence"
    SEQUENCE_DELETED = "sequence_deleted", "deleted a sequence"
    REVIEW_CHANGED = "review_changed", "changed a review state"
    SHOT_ADDED = "shot_added", "added a shot"
    SHOT_EDITED = "shot_edited", "edited a shot"
    SHOT_DELETED = "shot_deleted", "deleted a shot"
    SHOTS_REORDERED = "shots_reordered", "reordered shots"
    GENERATION_STARTED = "generation_started", "started a generation"
    TAKE_CHOSEN = "take_chosen", "chose a take"
    MEMBER_ADDED = "member_added", "added a member"
    MEMBER_CHANGED = "member_changed", "changed a member's role"
    MEMBER_REMOVED = "member_removed", "removed a member"
    MEMBER_LEFT = "member_left", "left the project"
    MEMBER_JOINED = "member_joined", "joined through a link"
    OWNERSHIP_TRANSFERRED = "ownership_transferred", "transferred the ownership"
    LINK_CREATED = "link_created", "created an invitation link"
    LINK_REVOKED = "link_revoked", "revoked an invitation link"


class Activity(models.Model):
    # Activity sits below the storyboard (whose actions record into it): it names the project
    # by the lazy reference, not an import.
    project = models.ForeignKey(
        "storyboard_app.Project", on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=30, choices=Verb.choices)
    # What it was done to, in words ("shot 2 of sequence 1: action, duration").
    summary = models.CharField(max_length=300)
    # The object a burst of edits is folded by ("shot:12"); empty for changes never folded.
    subject = models.CharField(max_length=40, blank=True)
    times = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-updated_at"], name="activity_of_project"),
            models.Index(fields=["project", "actor", "-updated_at"], name="activity_of_person"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()}: {self.summary}"
