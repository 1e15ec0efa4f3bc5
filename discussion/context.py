"""The unread count in the top bar of every page: comment notifications and moderators'
notices together (one indexed query, run only when a page shows it)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from discussion.access import notifications_of
from moderation.access import notices_of


def unread_notifications(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: (
                # Unordered: SQLite refuses ORDER BY inside the parts of a UNION.
                notifications_of(request.user)
                .filter(read_at=None)
                .order_by()
                .values("pk")
                .union(
                    notices_of(request.user).filter(read_at=None).order_by().values("pk"),
                    all=True,
                )
                .count()
            )
        )
    }
