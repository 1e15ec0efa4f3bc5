"""Who may use the routes of the discussion: comments, resolving, notifications."""

from django.urls import reverse

from discussion import actions as discussion_actions
from discussion.models import Comment
from tests.conftest import Cast
from tests.permission_helpers import (
    LOGIN,
    Endpoint,
    anyone_signed_in,
    comment,
    project_id,
    read,
    route_url,
)
from tests.role_helpers import STRANGERS


def comment_id(cast: Cast) -> int:
    thread = Comment.objects.filter(project=cast.project, parent=None).first()
    if thread is None:
        thread = discussion_actions.post_comment(
            cast.project, cast.owner, "Is the gull late?", shot=cast.shots[1]
        )
    return thread.pk


def unread_notifications(cast: Cast) -> str:
    """Every member has an unread notification first (a mention, and a reply to the owner's
    thread); the strangers have none, so marking all read rightly changes nothing for them."""
    thread = discussion_actions.post_comment(
        cast.project, cast.owner, "@viewer @commenter @editor the gull is late", shot=cast.shots[1]
    )
    discussion_actions.post_comment(cast.project, cast.editor, "On it.", parent=thread)
    return reverse("api-notifications-read")


def unread_notifications_page(cast: Cast) -> str:
    unread_notifications(cast)
    return reverse("notifications")


DISCUSSION_TABLE = [
    Endpoint("api-project-comments", "GET", route_url("api-project-comments", project_id), read()),
    Endpoint(
        "api-project-comments",
        "POST",
        route_url("api-project-comments", project_id),
        comment(201),
        body=lambda cast: {"shot": cast.shots[1].pk, "body": "The gull lands too early."},
    ),
    Endpoint(
        "api-resolve",
        "POST",
        route_url("api-resolve", comment_id),
        comment(200),
        body=lambda cast: {"resolved": True},
    ),
    Endpoint("api-notifications", "GET", route_url("api-notifications"), anyone_signed_in(200)),
    Endpoint(
        "api-notifications-read",
        "POST",
        unread_notifications,
        anyone_signed_in(200),
        body=lambda cast: {},
        unchanged_for=STRANGERS,
    ),
    Endpoint(
        "notifications", "GET", route_url("notifications"), anyone_signed_in(200, LOGIN), page=True
    ),
    Endpoint(
        "notifications",
        "POST",
        unread_notifications_page,
        anyone_signed_in(302, LOGIN),
        page=True,
        unchanged_for=STRANGERS,
    ),
]
