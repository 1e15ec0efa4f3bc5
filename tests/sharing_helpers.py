"""Helpers of the sharing tests: the database state including invitations, a quick link, and
clearing the attempt counts of the invitation rate limit.

The `db_rows` fixture of conftest snapshots the storyboard tables only; sharing changes
invitation links and their uses too, so these tests compare `sharing_rows()` instead.
"""

from datetime import datetime

from django.urls import reverse

from sharing import actions
from sharing.models import Invitation, InvitationUse
from tests.conftest import Cast, storyboard_rows

SHARING_MODELS = (Invitation, InvitationUse)


def sharing_rows() -> dict[str, list[dict]]:
    """Every storyboard row plus every invitation and use: equal snapshots, nothing changed."""
    rows = storyboard_rows()
    for model in SHARING_MODELS:
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


def invite(
    cast: Cast,
    role: str = "editor",
    expires_at: datetime | None = None,
    max_uses: int | None = None,
) -> tuple[Invitation, str]:
    """A link to the cast's project made by its owner: the invitation and its token."""
    return actions.create_invitation(cast.project, cast.owner, role, expires_at, max_uses)


def accept_url(token: str) -> str:
    return reverse("api-invitation-accept", args=[token])
