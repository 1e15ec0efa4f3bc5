"""Events of the discussion, built here and published to the project after commit."""

from discussion.access import open_counts
from storyboard_app.events import publish


def comment_row(comment) -> dict:
    return {
        "id": comment.pk,
        "shot": comment.shot_id,
        "take": comment.take_id,
        "parent": comment.parent_id,
        "author": comment.author.get_username() if comment.author_id else comment.guest_name,
        "body": comment.body,
        "created_at": comment.created_at.isoformat() if comment.created_at else None,
        "resolved": comment.resolved_at is not None,
    }


def comment_changed(comment) -> None:
    """A comment was posted, or its thread resolved or reopened; with the open threads of its
    shot now, for the timeline's badge."""
    event = {"type": "comment.changed", "comment": comment_row(comment)}
    if comment.shot_id is not None:
        event["open_on_shot"] = open_counts(comment.project_id, comment.shot_id).get(
            comment.shot_id, 0
        )
    publish(comment.project_id, event)
