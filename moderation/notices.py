"""The user's side of their moderation notices (the moderators write them: moderation_desk)."""

from django.utils import timezone

from moderation.models import Notice


def mark_notices_read(user) -> int:
    """The user has seen their notices (the notifications page's "mark all read")."""
    return Notice.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
