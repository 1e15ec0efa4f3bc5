"""Events of the discussion, built here and published to the project after commit."""

from storyboard_app.events import publish


def comment_row(comment) -> dict:
    return {
        "id": comment.pk,
        "shot": comment.shot_id,
        "take": comment.take_id,
        "parent": comment.parent_id,
        "author": comment.author.get_username() if comment.author_id else None,
        "body": comment.body,
        "created_at": comment.created_at.isoformat() if comment.created_at else None,
        "resolved": comment.resolved_at is not None,
    }


def comment_changed(comment) -> None:
    publish(comment.project_id, {"type": "comment.changed", "comment": comment_row(comment)})
