"""Loading what a user asked for in the discussion: a comment (through its project's role,
404 for outsiders) and the threads of a shot or take, with a constant number of queries."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, QuerySet

from discussion.models import Comment, Notification
from storyboard_app.access import User, load_in_project
from storyboard_app.models import Membership


def access_comment(user: User, comment_id: object, permission: str) -> Comment:
    return load_in_project(
        Comment.objects.select_related("parent"), user, comment_id, "project_id", permission
    )


def threads_of(project, shot_id: object = None, take_id: object = None) -> list[Comment]:
    """The threads (oldest first) of the project, or of one shot or take, each with `.thread`:
    its replies in order. Two queries."""
    roots = Comment.objects.filter(project=project, parent=None).select_related("author")
    if shot_id is not None:
        roots = roots.filter(shot_id=shot_id)
    if take_id is not None:
        roots = roots.filter(take_id=take_id)
    roots = list(roots)
    replies = defaultdict(list)
    for reply in Comment.objects.filter(parent__in=roots).select_related("author"):
        replies[reply.parent_id].append(reply)
    for root in roots:
        root.thread = replies[root.pk]
    return roots


def open_counts(project_id: int, shot_id: int | None = None) -> dict[int, int]:
    """Open threads per shot (or of one shot), for the timeline's badges (one query)."""
    rows = Comment.objects.filter(project_id=project_id, parent=None, resolved_at=None)
    rows = rows.filter(shot_id=shot_id) if shot_id is not None else rows.exclude(shot=None)
    rows = rows.values("shot_id").annotate(n=Count("id"))
    return {row["shot_id"]: row["n"] for row in rows}


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications from projects they are still in (one removed from a project
    no longer reads its comments through them)."""
    still_member = Membership.objects.filter(project=OuterRef("comment__project"), user=user)
    return (
        Notification.objects.filter(user=user)
        .filter(Exists(still_member))
        .select_related("comment__author", "comment__project", "comment__shot__sequence")
    )
