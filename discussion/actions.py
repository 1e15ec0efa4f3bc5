"""Every change of the discussion: post a comment or a reply (mentions and replies notify),
resolve or reopen a thread, mark notifications read. Events go to the project after commit.

Callers load the project, shot, take or parent comment through the access functions (so ids of
other projects are 404 before anything happens); refusals are `CommentRefused` at a field.
"""

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from discussion import events
from discussion.models import MAX_COMMENT_CHARS, Comment, Notification, NotificationKind
from script.rules import CONTROL_CHARACTERS
from storyboard_app.models import Membership

# "@mara" or "@mara.k": a username as Django allows them, not followed by more of one.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


class CommentRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise CommentRefused("body", "Write something first.")
    if len(body) > MAX_COMMENT_CHARS:
        raise CommentRefused("body", f"A comment holds at most {MAX_COMMENT_CHARS} characters.")
    if CONTROL_CHARACTERS.search(body.replace("\n", "")):
        raise CommentRefused("body", "Remove the control characters from the comment.")
    return body


def mentioned_members(project_id: int, body: str) -> list:
    """The project's members the text mentions as @username (any case)."""
    names = {name.rstrip(".").lower() for name in MENTION.findall(body)}
    if not names:
        return []
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(project_id=project_id).values("user_id")
    )
    return [user for user in users if user.get_username().lower() in names]


def _is_member(project, user_id: int) -> bool:
    return Membership.objects.filter(project=project, user_id=user_id).exists()


MAX_GUEST_NAME_CHARS = 60


@transaction.atomic
def post_comment(
    project, author, body: str, *, shot=None, take=None, parent=None, guest_name: str = ""
) -> Comment:
    """A comment by a member (`author`), or by a reviewer without an account (`author` None,
    signed `guest_name`)."""
    body = _clean_body(body)
    if author is None:
        guest_name = guest_name.strip()
        if not guest_name or len(guest_name) > MAX_GUEST_NAME_CHARS:
            raise CommentRefused(
                "name", f"Sign with a name of 1 to {MAX_GUEST_NAME_CHARS} characters."
            )
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # a reply to a reply goes into the same thread
        shot, take = parent.shot, parent.take
    elif (shot is None) == (take is None):
        raise CommentRefused("shot", "Comment on one shot or one take.")
    comment = Comment.objects.create(
        project=project,
        shot=shot,
        take=take,
        parent=parent,
        author=author,
        guest_name=guest_name if author is None else "",
        body=body,
    )
    author_id = author.pk if author is not None else None
    notified = set()
    for user in mentioned_members(project.pk, body):
        if user.pk != author_id:
            Notification.objects.create(user=user, comment=comment, kind=NotificationKind.MENTION)
            notified.add(user.pk)
    thread_author = parent.author_id if parent is not None else None
    if thread_author not in (None, author_id, *notified) and _is_member(project, thread_author):
        Notification.objects.create(
            user_id=thread_author, comment=comment, kind=NotificationKind.REPLY
        )
    events.comment_changed(comment)
    return comment


@transaction.atomic
def set_resolved(comment: Comment, by, resolved: bool) -> Comment:
    thread = comment.parent or comment
    Comment.objects.filter(pk=thread.pk).update(
        resolved_at=timezone.now() if resolved else None, resolved_by=by if resolved else None
    )
    thread.refresh_from_db()
    events.comment_changed(thread)
    return thread


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (these ids, or all); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
