"""Who may use the routes of sharing: members, leaving and transfer, invitation links, the
sharing page, review links and the invitation page.
"""

from collections.abc import Callable

from django.urls import reverse

from jobs import actions as job_actions
from jobs.models import Take
from sharing import actions as sharing_actions
from sharing.models import Invitation, ReviewLink
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.permission_helpers import (
    LOGIN,
    Endpoint,
    anyone_signed_in,
    manage,
    members,
    project_id,
    public,
    read,
    route_url,
)
from tests.sharing_helpers import invite


def member_url(who: str) -> Callable[[Cast], str]:
    return lambda cast: reverse("api-member", args=[cast.project.pk, getattr(cast, who).pk])


def invitation_id(cast: Cast) -> int:
    invitation = Invitation.objects.filter(project=cast.project).first()
    return (invitation or invite(cast, "viewer")[0]).pk


def editor_link_token(cast: Cast) -> str:
    """The token of a new editor link: it adds the outsider, the moderator and the staff user,
    promotes the viewer and the commenter, and leaves the editor and the owner as they are (a
    link never lowers a role, nor spends a use for it)."""
    return invite(cast, "editor")[1]


def review_link_id(cast: Cast) -> int:
    return ReviewLink.objects.get(project=cast.project).pk


def with_a_review_link(cast: Cast) -> str:
    """The sharing page, once the project has a review link (to revoke)."""
    sharing_actions.create_review_link(cast.project, cast.owner, label="Client")
    return reverse("sharing", args=[cast.project.pk])


def chosen_take_id(cast: Cast) -> int:
    return Take.objects.get(sequence=cast.sequence, chosen=True).pk


def review_url(name: str, media: str | None = None) -> Callable[[Cast], str]:
    """A review link's page (or the `media` of its chosen take): the project gets a chosen take
    and a link first. The token is the only key: who is signed in makes no difference."""

    def url(cast: Cast) -> str:
        take = delivered_take(queued_job(cast.owner, cast.sequence))
        job_actions.choose_take(take)
        _, token = sharing_actions.create_review_link(cast.project, cast.owner, label="Client")
        return reverse(name, args=[token, take.pk, media] if media else [token])

    return url


def accept_url(cast: Cast) -> str:
    return reverse("api-invitation-accept", args=[editor_link_token(cast)])


def invitation_page_url(cast: Cast) -> str:
    return reverse("invitation", args=[editor_link_token(cast)])


SHARING_TABLE = [
    Endpoint("api-members", "GET", route_url("api-members", project_id), read()),
    Endpoint(
        "api-members",
        "POST",
        route_url("api-members", project_id),
        manage(201),
        body=lambda cast: {"user": "outsider", "role": "commenter"},
    ),
    Endpoint(
        "api-member",
        "PATCH",
        member_url("viewer"),
        manage(200),
        body=lambda cast: {"role": "commenter"},
    ),
    Endpoint("api-member", "DELETE", member_url("viewer"), manage(204)),
    # The owner is told to transfer the ownership first (a 400 at the field `user`).
    Endpoint(
        "api-project-leave",
        "POST",
        route_url("api-project-leave", project_id),
        members(204, owner=400),
        unchanged_for=("owner",),
    ),
    Endpoint(
        "api-project-transfer",
        "POST",
        route_url("api-project-transfer", project_id),
        manage(200),
        body=lambda cast: {"user": cast.editor.pk},
    ),
    Endpoint("api-invitations", "GET", route_url("api-invitations", project_id), manage(200)),
    Endpoint(
        "api-invitations",
        "POST",
        route_url("api-invitations", project_id),
        manage(201),
        body=lambda cast: {"role": "viewer", "max_uses": 3},
    ),
    Endpoint("api-invitation", "DELETE", route_url("api-invitation", invitation_id), manage(204)),
    # Any signed-in user holding a valid token (rate limited: see
    # test_invitation_accept_is_race_safe_and_rate_limited).
    Endpoint(
        "api-invitation-accept",
        "POST",
        accept_url,
        anyone_signed_in(200),
        unchanged_for=("editor", "owner"),
    ),
    Endpoint("sharing", "GET", route_url("sharing", project_id), read(LOGIN), page=True),
    Endpoint(
        "sharing",
        "POST",
        route_url("sharing", project_id),
        manage(302, LOGIN),
        body=lambda cast: {"op": "add", "user": "outsider@EXAMPLE.com", "role": "viewer"},
        page=True,
        note="add a member",
    ),
    Endpoint(
        "sharing",
        "POST",
        route_url("sharing", project_id),
        manage(201, LOGIN),
        body=lambda cast: {"op": "link", "role": "viewer", "expires": "7"},
        page=True,
        note="create a link",
    ),
    # The owner is sent back to the sharing page with the reason; the others to the dashboard.
    Endpoint(
        "sharing",
        "POST",
        route_url("sharing", project_id),
        members(302, owner=302, anonymous=LOGIN),
        body=lambda cast: {"op": "leave"},
        page=True,
        unchanged_for=("owner",),
        note="leave",
    ),
    Endpoint(
        "sharing",
        "POST",
        route_url("sharing", project_id),
        manage(201, LOGIN),
        body=lambda cast: {"op": "review-link", "label": "Client", "expires": "7"},
        page=True,
        note="create a review link",
    ),
    Endpoint(
        "sharing",
        "POST",
        with_a_review_link,
        manage(302, LOGIN),
        body=lambda cast: {"op": "review-revoke", "link": review_link_id(cast)},
        page=True,
        note="revoke a review link",
    ),
    # Review links are public: the token opens the chosen takes and the storyboard to anyone,
    # signed in or not, member or not, and lets them comment under a name.
    Endpoint("review", "GET", review_url("review"), public(200), page=True),
    Endpoint(
        "review-comment",
        "POST",
        review_url("review-comment"),
        public(302),
        body=lambda cast: {"take": chosen_take_id(cast), "name": "Client", "body": "Lovely."},
        page=True,
    ),
    Endpoint("review-media", "GET", review_url("review-media", "poster"), public(200), page=True),
    # The link's landing page is public: anyone may see who invites them to what (the token
    # is the secret); joining takes a login, and then redirects to the editor.
    Endpoint("invitation", "GET", invitation_page_url, public(200), page=True),
    Endpoint(
        "invitation",
        "POST",
        invitation_page_url,
        {**anyone_signed_in(302), None: 200},
        page=True,
        unchanged_for=(None, "editor", "owner"),
    ),
]
