"""Comments on a shot or a take, in threads (a comment and its replies), and the notifications
they make (an `@username` mention, a reply to one's thread)."""

from django.conf import settings
from django.db import models

from jobs.models import Take
from storyboard_app.models import Project, Shot

MAX_COMMENT_CHARS = 2000


class Comment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    # A thread is about one shot or one take; its replies carry the same.
    shot = models.ForeignKey(
        Shot, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    take = models.ForeignKey(
        Take, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A reviewer without an account (a review link) signs with a name instead.
    guest_name = models.CharField(max_length=60, blank=True)
    body = models.TextField(max_length=MAX_COMMENT_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "shot"], name="comments_of_shot")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shot__isnull=True) | models.Q(take__isnull=True),
                name="comment_on_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", "mentioned you"
    REPLY = "reply", "replied to your comment"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="unread_of_user")]
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="one_notice_per_comment")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"
