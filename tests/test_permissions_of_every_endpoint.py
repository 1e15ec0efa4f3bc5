"""Every endpoint, every role: who may read, who may write, and that a refusal changes nothing.

The table below is the declaration of every route of the API and of the storyboard pages.
`test_every_route_is_declared_in_the_permission_table` walks the URL resolver, so a new route
(or a new method on an API view) cannot ship without saying who may use it.

Anonymous API calls get 401 with `WWW-Authenticate: Token` (token authentication comes first in
the settings, so DRF names its scheme), as docs/API.md says; a wrong token is a 401 too.

Some accepted requests rightly change nothing for some roles (the owner asked to leave, a member
accepting a link that gives no more than they have): `unchanged_for` names them, and the test
checks that nothing changed for them.

The roles are those of the fixed cast of conftest (anonymous, outsider, viewer, editor, owner)
and three more made here: a commenter of the project, a moderator (staff in the "Moderators"
group) and a staff user (`is_staff`, not a superuser, not in the group). The commenter reads
like a viewer, is refused every write like a viewer, and comments like an editor (the
discussion routes). The moderator and the staff user have no membership and no rights over
projects: every project object is a 404 to them, as to an outsider (moderators decide in the
admin, outside this table); user-scoped routes (my projects, my libraries, my credits, my
notifications, my moderation cases) serve them like anyone signed in.

Reports: any member reports what they can see (strangers get the 404 of a missing id). Appeals:
only the owner of the content taken down sees its case and appeals it; any other member, as
any stranger, gets 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

import opentimelineio as otio
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from discussion import actions as discussion_actions
from discussion.models import Comment, Notification
from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import ElementImage, ElementLibrary, ProjectLibrary
from exports.edit import timeline_of
from exports.project_json import export_project
from exports.reel import reel_of
from jobs import actions as job_actions
from jobs.models import GenerationJob, Take
from media import check_image
from moderation import cases as moderation_cases
from moderation.access import is_moderator
from moderation.models import Appeal, Case, Notice, Report
from moderation_desk import actions as moderation_actions
from sharing import actions as sharing_actions
from sharing.models import Invitation, ReviewLink
from storyboard_app import actions
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Shot
from tests.conftest import Cast, image_bytes
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import MODERATORS, ROLES, STRANGERS, FullCast, role_label, with_more_roles
from tests.sharing_helpers import invite, sharing_rows

LOGIN = "redirect to login"
ANONYMOUS_API = 401

# Routes deliberately left out of the table, with the reason.
NOT_IN_TABLE = {
    "healthz": "public health check for load balancers",
    "api-token": "public: exchanges a password for a token",
    "api-schema": "public OpenAPI schema",
    "api-docs": "public schema browser",
    "signup": "public page, covered by test_pages_and_signup",
    "login": "django.contrib.auth",
    "logout": "django.contrib.auth",
    "password_change": "django.contrib.auth",
    "password_change_done": "django.contrib.auth",
    "password_reset": "django.contrib.auth",
    "password_reset_done": "django.contrib.auth",
    "password_reset_confirm": "django.contrib.auth",
    "password_reset_complete": "django.contrib.auth",
    "api-kling-callback": "public: the provider calls it; test_kling_callbacks covers it",
}
NOT_IN_TABLE_NAMESPACES = {"admin"}


def by_role(anonymous, stranger, viewer, commenter, editor, owner) -> dict:
    """The outcome of every role of ROLES; the strangers (outsider, moderator, staff) alike."""
    return {
        None: anonymous,
        **dict.fromkeys(STRANGERS, stranger),
        "viewer": viewer,
        "commenter": commenter,
        "editor": editor,
        "owner": owner,
    }


def read(anonymous=ANONYMOUS_API) -> dict:
    return by_role(anonymous, 404, viewer=200, commenter=200, editor=200, owner=200)


def edit(ok: int, anonymous=ANONYMOUS_API) -> dict:
    return by_role(anonymous, 404, viewer=403, commenter=403, editor=ok, owner=ok)


def manage(ok: int, anonymous=ANONYMOUS_API) -> dict:
    return by_role(anonymous, 404, viewer=403, commenter=403, editor=403, owner=ok)


def anyone_signed_in(ok: int, anonymous=ANONYMOUS_API) -> dict:
    return by_role(anonymous, ok, viewer=ok, commenter=ok, editor=ok, owner=ok)


def comment(ok: int, anonymous=ANONYMOUS_API) -> dict:
    return by_role(anonymous, 404, viewer=403, commenter=ok, editor=ok, owner=ok)


def members(ok: int, owner: int, anonymous=ANONYMOUS_API) -> dict:
    """Any member may do it, but the owner gets `owner` (e.g. leaving is refused to them)."""
    return by_role(anonymous, 404, viewer=ok, commenter=ok, editor=ok, owner=owner)


def public(ok: int) -> dict:
    return {role: ok for role in ROLES}


def store_first_frame(cast: Cast) -> str:
    """Give the sequence a first frame (as an upload would) and return its private URL."""
    frame = ContentFile(image_bytes(), name="first.jpg")
    sequence = actions.set_sequence_frame(cast.sequence, "first_frame", frame)
    return sequence.first_frame.url


def frame_upload(cast: Cast) -> dict:
    return {"image": ContentFile(image_bytes(), name="frame.jpg")}


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    """conftest's cast with a commenter of the project, a moderator and a staff user."""
    return with_more_roles(cast)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[Cast], str]  # may prepare data first (e.g. store a frame)
    expect: dict
    body: Callable[[Cast], dict] | None = None
    multipart: bool = False
    page: bool = False
    writes: bool | None = None  # None: every method but GET writes
    binary: bool = False  # answers with a file, not JSON, when it succeeds
    unchanged_for: tuple[str | None, ...] = ()  # roles for whom it rightly changes nothing
    note: str = ""  # tells apart two declarations of one route and method (e.g. a page's op)

    @property
    def changes_data(self) -> bool:
        return self.method != "GET" if self.writes is None else self.writes

    def __str__(self) -> str:
        return f"{self.method} {self.name}" + (f" ({self.note})" if self.note else "")


def _url(name: str, *args: Callable[[Cast], int]) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, args=[arg(cast) for arg in args])


DIRECTED_PROMPT = 'Shot 1: Wide shot of a pier. @Mara says, "Go." Shot 2: Close-up of the sea.'


def project_id(cast: Cast) -> int:
    return cast.project.pk


def sequence_id(cast: Cast) -> int:
    return cast.sequence.pk


def shot_id(cast: Cast) -> int:
    return cast.shots[1].pk


def _frame_url(which: str, prepare: bool = False) -> Callable[[Cast], str]:
    def url(cast: Cast) -> str:
        if prepare:
            store_first_frame(cast)
        return reverse("api-sequence-frame", args=[cast.sequence.pk, which])

    return url


def cast_library(cast: Cast) -> ElementLibrary:
    """The owner's library, attached to the project, shared for editing with the editor and
    read-only with the viewer: library roles line up with the project roles of the cast."""
    library = ElementLibrary.objects.filter(owner=cast.owner, name="Cast").first()
    if library is None:
        library = element_actions.create_library(cast.owner, "Cast", "shared")
        element_actions.share_library(library, cast.editor, can_edit=True)
        element_actions.share_library(library, cast.viewer, can_edit=False)
        element_actions.attach_library(cast.project, library, cast.owner)
        element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
        for angle in ("front", "side"):
            element_media.add_image(element, check_image(image_bytes()), angle)
    return library


def loose_library(cast: Cast) -> int:
    """A second library shared like the first (the editor also allowed to attach it) but not yet
    attached to the project."""
    cast_library(cast)
    library = element_actions.create_library(cast.owner, "Props", "shared")
    element_actions.share_library(library, cast.editor, can_edit=True, can_attach=True)
    element_actions.share_library(library, cast.viewer, can_edit=False)
    return library.pk


def library_id(cast: Cast) -> int:
    return cast_library(cast).pk


def element_id(cast: Cast) -> int:
    return cast_library(cast).elements.get().pk


def image_id(cast: Cast) -> int:
    return ElementImage.objects.get(element_id=element_id(cast), position=1).pk


def attachment_id(cast: Cast) -> int:
    return ProjectLibrary.objects.get(library=cast_library(cast), project=cast.project).pk


def library_editor(cast: Cast) -> str:
    return reverse("api-library-share", args=[library_id(cast), "editor"])


def reversed_images(cast: Cast) -> dict:
    ids = list(
        ElementImage.objects.filter(element_id=element_id(cast)).values_list("pk", flat=True)
    )
    return {"image_ids": ids[::-1]}


def job_id(cast: Cast) -> int:
    job = GenerationJob.objects.filter(sequence=cast.sequence).first()
    return (job or queued_job(cast.owner, cast.sequence)).pk


def take_id(cast: Cast) -> int:
    take = Take.objects.filter(sequence=cast.sequence).first()
    return (take or delivered_take(queued_job(cast.owner, cast.sequence))).pk


JOBS_TABLE = [
    Endpoint(
        "api-sequence-generate",
        "POST",
        _url("api-sequence-generate", sequence_id),
        edit(202),
        body=lambda cast: {"provider": "animatic"},
    ),
    Endpoint("api-sequence-takes", "GET", _url("api-sequence-takes", sequence_id), read()),
    Endpoint("api-job", "GET", _url("api-job", job_id), read()),
    Endpoint("api-job-cancel", "POST", _url("api-job-cancel", job_id), edit(200)),
    Endpoint("api-project-jobs", "GET", _url("api-project-jobs", project_id), read()),
    Endpoint("api-take", "GET", _url("api-take", take_id), read()),
    Endpoint("api-take-choose", "POST", _url("api-take-choose", take_id), edit(200), writes=False),
    Endpoint(
        "api-take-generate-again", "POST", _url("api-take-generate-again", take_id), edit(202)
    ),
    Endpoint("api-credits", "GET", _url("api-credits"), anyone_signed_in(200)),
    Endpoint("api-providers", "GET", _url("api-providers"), anyone_signed_in(200)),
]

ELEMENTS_TABLE = [
    Endpoint("api-libraries", "GET", _url("api-libraries"), anyone_signed_in(200)),
    Endpoint(
        "api-libraries",
        "POST",
        _url("api-libraries"),
        anyone_signed_in(201),
        body=lambda cast: {"name": "Mine"},
    ),
    Endpoint("api-library", "GET", _url("api-library", library_id), read()),
    Endpoint(
        "api-library",
        "PATCH",
        _url("api-library", library_id),
        manage(200),
        body=lambda cast: {"name": "Renamed"},
    ),
    Endpoint("api-library", "DELETE", _url("api-library", library_id), manage(204)),
    Endpoint("api-library-shares", "GET", _url("api-library-shares", library_id), manage(200)),
    Endpoint(
        "api-library-shares",
        "POST",
        _url("api-library-shares", library_id),
        manage(201),
        body=lambda cast: {"username": "outsider"},
    ),
    Endpoint("api-library-share", "DELETE", library_editor, manage(204)),
    Endpoint(
        "api-library-attachments", "GET", _url("api-library-attachments", library_id), manage(200)
    ),
    Endpoint(
        "api-library-attachment",
        "DELETE",
        _url("api-library-attachment", library_id, attachment_id),
        manage(204),
    ),
    Endpoint(
        "api-project-library",
        "POST",
        _url("api-project-library", project_id, loose_library),
        edit(201),
    ),
    Endpoint(
        "api-project-library",
        "DELETE",
        _url("api-project-library", project_id, library_id),
        edit(204),
    ),
    Endpoint("api-project-mentions", "GET", _url("api-project-mentions", project_id), read()),
    Endpoint("api-library-elements", "GET", _url("api-library-elements", library_id), read()),
    Endpoint(
        "api-library-elements",
        "POST",
        _url("api-library-elements", library_id),
        edit(201),
        body=lambda cast: {"handle": "Tomas", "kind": "character"},
    ),
    Endpoint("api-element", "GET", _url("api-element", element_id), read()),
    Endpoint(
        "api-element",
        "PATCH",
        _url("api-element", element_id),
        edit(200),
        body=lambda cast: {"description": "A lighthouse keeper."},
    ),
    Endpoint("api-element", "DELETE", _url("api-element", element_id), edit(204)),
    Endpoint(
        "api-element-images",
        "POST",
        _url("api-element-images", element_id),
        edit(201),
        body=lambda cast: {"image": ContentFile(image_bytes(), name="a.jpg"), "angle": "back"},
        multipart=True,
    ),
    Endpoint(
        "api-element-images-reorder",
        "POST",
        _url("api-element-images-reorder", element_id),
        edit(200),
        body=reversed_images,
    ),
    # Permission is checked before the content: members who may edit reach the decoder.
    Endpoint(
        "api-element-video",
        "POST",
        _url("api-element-video", element_id),
        edit(415),
        body=lambda cast: {"video": ContentFile(b"not a video", name="v.mp4")},
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-element-video",
        "DELETE",
        _url("api-element-video", element_id),
        edit(204),
        writes=False,
    ),
    Endpoint(
        "api-element-voice",
        "POST",
        _url("api-element-voice", element_id),
        edit(415),
        body=lambda cast: {"audio": ContentFile(b"not audio at all", name="v.mp3")},
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-element-voice",
        "DELETE",
        _url("api-element-voice", element_id),
        edit(204),
        writes=False,
    ),
    Endpoint(
        "api-element-image",
        "PATCH",
        _url("api-element-image", image_id),
        edit(200),
        body=lambda cast: {"angle": "left"},
    ),
    Endpoint("api-element-image", "DELETE", _url("api-element-image", image_id), edit(204)),
    Endpoint(
        "api-element-image-thumbnail",
        "GET",
        _url("api-element-image-thumbnail", image_id),
        read(),
        binary=True,
    ),
    Endpoint("libraries", "GET", _url("libraries"), anyone_signed_in(200, LOGIN), page=True),
    Endpoint("library", "GET", _url("library", library_id), read(LOGIN), page=True),
    Endpoint("element", "GET", _url("element", element_id), read(LOGIN), page=True),
]


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
    Endpoint("api-members", "GET", _url("api-members", project_id), read()),
    Endpoint(
        "api-members",
        "POST",
        _url("api-members", project_id),
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
        _url("api-project-leave", project_id),
        members(204, owner=400),
        unchanged_for=("owner",),
    ),
    Endpoint(
        "api-project-transfer",
        "POST",
        _url("api-project-transfer", project_id),
        manage(200),
        body=lambda cast: {"user": cast.editor.pk},
    ),
    Endpoint("api-invitations", "GET", _url("api-invitations", project_id), manage(200)),
    Endpoint(
        "api-invitations",
        "POST",
        _url("api-invitations", project_id),
        manage(201),
        body=lambda cast: {"role": "viewer", "max_uses": 3},
    ),
    Endpoint("api-invitation", "DELETE", _url("api-invitation", invitation_id), manage(204)),
    # Any signed-in user holding a valid token (rate limited: see
    # test_invitation_accept_is_race_safe_and_rate_limited).
    Endpoint(
        "api-invitation-accept",
        "POST",
        accept_url,
        anyone_signed_in(200),
        unchanged_for=("editor", "owner"),
    ),
    Endpoint("sharing", "GET", _url("sharing", project_id), read(LOGIN), page=True),
    Endpoint(
        "sharing",
        "POST",
        _url("sharing", project_id),
        manage(302, LOGIN),
        body=lambda cast: {"op": "add", "user": "outsider@EXAMPLE.com", "role": "viewer"},
        page=True,
        note="add a member",
    ),
    Endpoint(
        "sharing",
        "POST",
        _url("sharing", project_id),
        manage(201, LOGIN),
        body=lambda cast: {"op": "link", "role": "viewer", "expires": "7"},
        page=True,
        note="create a link",
    ),
    # The owner is sent back to the sharing page with the reason; the others to the dashboard.
    Endpoint(
        "sharing",
        "POST",
        _url("sharing", project_id),
        members(302, owner=302, anonymous=LOGIN),
        body=lambda cast: {"op": "leave"},
        page=True,
        unchanged_for=("owner",),
        note="leave",
    ),
    Endpoint(
        "sharing",
        "POST",
        _url("sharing", project_id),
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
    Endpoint("api-project-comments", "GET", _url("api-project-comments", project_id), read()),
    Endpoint(
        "api-project-comments",
        "POST",
        _url("api-project-comments", project_id),
        comment(201),
        body=lambda cast: {"shot": cast.shots[1].pk, "body": "The gull lands too early."},
    ),
    Endpoint(
        "api-resolve",
        "POST",
        _url("api-resolve", comment_id),
        comment(200),
        body=lambda cast: {"resolved": True},
    ),
    Endpoint("api-notifications", "GET", _url("api-notifications"), anyone_signed_in(200)),
    Endpoint(
        "api-notifications-read",
        "POST",
        unread_notifications,
        anyone_signed_in(200),
        body=lambda cast: {},
        unchanged_for=STRANGERS,
    ),
    Endpoint(
        "notifications", "GET", _url("notifications"), anyone_signed_in(200, LOGIN), page=True
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


def removed_case_id(cast: FullCast) -> int:
    """A case about the owner's take, reported and taken down: the owner may appeal it."""
    case = Case.objects.filter(state="removed", owner=cast.owner).first()
    if case is None:
        reported, _ = moderation_cases.file_report(cast.viewer, "take", take_id(cast), "spam", "")
        case = moderation_actions.take_down(reported.pk, cast.moderator, "Spam in every shot.")
    return case.pk


def appeal_url(cast: FullCast) -> str:
    return reverse("api-appeal", args=[removed_case_id(cast)])


def moderation_page_with_a_case(cast: FullCast) -> str:
    removed_case_id(cast)
    return reverse("moderation-cases")


def reports_url(prepare: Callable[[Cast], int] | None = None) -> Callable[[Cast], str]:
    """The reports route, once the subject to report exists (made before the snapshot)."""

    def url(cast: Cast) -> str:
        if prepare is not None:
            prepare(cast)
        return reverse("api-reports")

    return url


def owner_only(ok: int, anonymous=ANONYMOUS_API) -> dict:
    """Only the project's owner, as the owner of the content (any other member: 404)."""
    return by_role(anonymous, 404, viewer=404, commenter=404, editor=404, owner=ok)


def report_of(kind: str, subject: Callable[[Cast], int]) -> Callable[[Cast], dict]:
    return lambda cast: {kind: subject(cast), "category": "spam", "reason": "Ads everywhere."}


def existing_take_id(cast: Cast) -> int:
    return Take.objects.get(sequence=cast.sequence).pk


def existing_element_id(cast: Cast) -> int:
    return ElementLibrary.objects.get(owner=cast.owner, name="Cast").elements.get().pk


MODERATION_TABLE = [
    Endpoint(
        "api-reports",
        "POST",
        reports_url(),
        members(201, owner=201),
        body=report_of("project", project_id),
        note="the project",
    ),
    Endpoint(
        "api-reports",
        "POST",
        reports_url(take_id),
        members(201, owner=201),
        body=report_of("take", existing_take_id),
        note="a take",
    ),
    Endpoint(
        "api-reports",
        "POST",
        reports_url(element_id),
        members(201, owner=201),
        body=report_of("element", existing_element_id),
        note="an element",
    ),
    Endpoint("api-own-cases", "GET", _url("api-own-cases"), anyone_signed_in(200)),
    Endpoint(
        "api-appeal",
        "POST",
        appeal_url,
        owner_only(200),
        body=lambda cast: {"text": "It is not spam: it is the plot."},
    ),
    Endpoint(
        "api-moderation-notices", "GET", _url("api-moderation-notices"), anyone_signed_in(200)
    ),
    Endpoint(
        "moderation-cases",
        "GET",
        _url("moderation-cases"),
        anyone_signed_in(200, LOGIN),
        page=True,
    ),
    Endpoint(
        "moderation-cases",
        "POST",
        moderation_page_with_a_case,
        owner_only(302, LOGIN),
        body=lambda cast: {"case": removed_case_id(cast), "text": "It is the plot."},
        page=True,
        note="appeal",
    ),
]

TABLE = [
    # The API
    Endpoint("api-projects", "GET", _url("api-projects"), anyone_signed_in(200)),
    Endpoint(
        "api-projects",
        "POST",
        _url("api-projects"),
        anyone_signed_in(201),
        body=lambda cast: {"title": "A new film", "aspect_ratio": "1:1"},
    ),
    Endpoint("api-project", "GET", _url("api-project", project_id), read()),
    Endpoint(
        "api-project",
        "PATCH",
        _url("api-project", project_id),
        edit(200),
        body=lambda cast: {"title": "Renamed"},
    ),
    Endpoint("api-project", "DELETE", _url("api-project", project_id), manage(204)),
    Endpoint("api-project-timeline", "GET", _url("api-project-timeline", project_id), read()),
    Endpoint(
        "api-project-sequences",
        "POST",
        _url("api-project-sequences", project_id),
        edit(201),
        body=lambda cast: {"mode": "auto", "prompt": "A storm rolls in."},
    ),
    Endpoint("api-vocabulary", "GET", _url("api-vocabulary"), anyone_signed_in(200)),
    Endpoint(
        "api-director-split",
        "POST",
        _url("api-director-split"),
        anyone_signed_in(200),
        body=lambda cast: {"prompt": DIRECTED_PROMPT},
        note="without a project",
        writes=False,  # a preview: nothing is saved
    ),
    Endpoint(
        "api-director-split",
        "POST",
        _url("api-director-split"),
        read(),
        body=lambda cast: {"prompt": DIRECTED_PROMPT, "project": cast.project.pk},
        note="with the project's handles",
        writes=False,  # a preview: nothing is saved
    ),
    Endpoint(
        "api-director-apply",
        "POST",
        _url("api-director-apply", project_id),
        edit(201),
        body=lambda cast: {"prompt": DIRECTED_PROMPT, "mode": "custom"},
    ),
    Endpoint("api-sequence", "GET", _url("api-sequence", sequence_id), read()),
    Endpoint(
        "api-sequence",
        "PATCH",
        _url("api-sequence", sequence_id),
        edit(200),
        body=lambda cast: {"version": 1, "title": "Dawn"},
    ),
    Endpoint("api-sequence", "DELETE", _url("api-sequence", sequence_id), edit(204)),
    Endpoint(
        "api-sequence-frame",
        "PUT",
        _frame_url("first"),
        edit(200),
        body=frame_upload,
        multipart=True,
    ),
    Endpoint("api-sequence-frame", "DELETE", _frame_url("first", prepare=True), edit(200)),
    Endpoint(
        "api-sequence-reorder",
        "POST",
        _url("api-sequence-reorder", sequence_id),
        edit(200),
        body=lambda cast: {"shot_ids": [shot.pk for shot in reversed(cast.shots)]},
    ),
    Endpoint(
        "api-sequence-review",
        "POST",
        _url("api-sequence-review", sequence_id),
        edit(200),
        body=lambda cast: {"state": "in_review"},
    ),
    Endpoint("api-project-activity", "GET", _url("api-project-activity", project_id), read()),
    Endpoint("activity", "GET", _url("activity", project_id), read(LOGIN), page=True),
    Endpoint(
        "api-sequence-validate",
        "POST",
        _url("api-sequence-validate", sequence_id),
        read(),
        body=lambda cast: {"provider": "animatic"},
        writes=False,
    ),
    Endpoint(
        "api-sequence-shots",
        "POST",
        _url("api-sequence-shots", sequence_id),
        edit(201),
        body=lambda cast: {"duration": 2, "text": "A gull lands.", "position": 0},
    ),
    Endpoint("api-shot", "GET", _url("api-shot", shot_id), read()),
    Endpoint(
        "api-shot",
        "PATCH",
        _url("api-shot", shot_id),
        edit(200),
        body=lambda cast: {"version": 1, "text": "Changed", "dialogue": []},
    ),
    Endpoint("api-shot", "DELETE", _url("api-shot", shot_id), edit(204)),
    Endpoint("api-shot-duplicate", "POST", _url("api-shot-duplicate", shot_id), edit(201)),
    # The pages
    Endpoint("home", "GET", _url("home"), anyone_signed_in(302, LOGIN), page=True),
    Endpoint("dashboard", "GET", _url("dashboard"), anyone_signed_in(200, LOGIN), page=True),
    Endpoint(
        "dashboard",
        "POST",
        _url("dashboard"),
        anyone_signed_in(302, LOGIN),
        body=lambda cast: {"title": "From the dashboard", "aspect_ratio": "9:16"},
        page=True,
    ),
    Endpoint("editor", "GET", _url("editor", project_id), read(LOGIN), page=True),
    Endpoint(
        "project-settings", "GET", _url("project-settings", project_id), read(LOGIN), page=True
    ),
    Endpoint(
        "project-settings",
        "POST",
        _url("project-settings", project_id),
        edit(302, LOGIN),
        body=lambda cast: {"title": "Renamed on the page", "aspect_ratio": "16:9"},
        page=True,
    ),
    Endpoint(
        "project-delete", "POST", _url("project-delete", project_id), manage(302, LOGIN), page=True
    ),
    Endpoint("private-media", "GET", store_first_frame, read(LOGIN), page=True),
]


def edit_file(cast: Cast) -> dict:
    """An OTIO export of the project, as an editor sends it back."""
    text = otio.adapters.write_to_string(timeline_of(reel_of(cast.project)), "otio_json")
    return {"file": SimpleUploadedFile("edit.otio", text.encode())}


def reversed_and_longer(cast: Cast) -> dict:
    """A reviewed proposal: the shots in reverse order, each a second longer."""
    shots = Shot.objects.filter(sequence=cast.sequence).order_by("-position")
    rows = [
        {"id": s.pk, "version": s.version, "position": s.position, "duration": s.duration + 1}
        for s in shots
    ]
    return {"sequences": [{"id": cast.sequence.pk, "shots": rows}]}


def export_with_media(cast: Cast) -> str:
    take_id(cast)  # a chosen take, so that the zip holds a video
    return reverse("api-project-export-edl", args=[cast.project.pk]) + "?media=1"


def import_upload(cast: Cast) -> dict:
    return {"file": ContentFile(export_project(cast.project)[0], name="project.json")}


EXPORTS_TABLE = [
    *(
        Endpoint(
            f"api-project-export-{kind}",
            "GET",
            _url(f"api-project-export-{kind}", project_id),
            read(),
            binary=True,
        )
        for kind in ("otio", "edl", "fcp7", "fcpx", "pdf", "json")
    ),
    Endpoint("api-project-export-edl", "GET", export_with_media, read(), binary=True, note="zip"),
    Endpoint(
        "api-project-edit-import",
        "POST",
        _url("api-project-edit-import", project_id),
        edit(200),
        body=edit_file,
        multipart=True,
        writes=False,
    ),
    Endpoint(
        "api-project-edit-import-apply",
        "POST",
        _url("api-project-edit-import-apply", project_id),
        edit(200),
        body=reversed_and_longer,
    ),
    Endpoint(
        "api-project-import",
        "POST",
        _url("api-project-import"),
        anyone_signed_in(201),
        body=import_upload,
        multipart=True,
    ),
    Endpoint(
        "import-project",
        "POST",
        _url("import-project"),
        anyone_signed_in(302, LOGIN),
        body=import_upload,
        multipart=True,
        page=True,
    ),
]

TABLE += (
    ELEMENTS_TABLE
    + JOBS_TABLE
    + SHARING_TABLE
    + DISCUSSION_TABLE
    + MODERATION_TABLE
    + EXPORTS_TABLE
)

CASES = [
    pytest.param(endpoint, role, id=f"{endpoint} as {role_label(role)}")
    for endpoint in TABLE
    for role in ROLES
]


def matrix_rows() -> dict[str, list[dict]]:
    """Every storyboard and sharing row, those of the discussion and of moderation."""
    rows = sharing_rows()
    for model in (ReviewLink, Comment, Notification, Case, Report, Appeal, Notice):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


@pytest.fixture
def db_rows():
    """Here the snapshot holds the sharing tables too (invitation links and their uses), the
    discussion (comments and notifications) and moderation (cases, reports, appeals, notices)."""
    return matrix_rows


def client_of(cast: Cast, endpoint: Endpoint, role: str | None):
    """The page client logs in through the session (which writes `last_login`): make it first."""
    return cast.page_client(role) if endpoint.page else cast.client(role)


def send(cast: Cast, endpoint: Endpoint, client, url: str):
    body = endpoint.body(cast) if endpoint.body else None
    if endpoint.method == "GET":
        return client.get(url)
    if endpoint.page:
        return client.generic(endpoint.method, url) if body is None else client.post(url, body)
    request_format = "multipart" if endpoint.multipart else "json"
    return getattr(client, endpoint.method.lower())(url, body, format=request_format)


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_each_role_gets_the_declared_status_and_a_refused_write_changes_nothing(
    endpoint: Endpoint, role, cast, media_root, db_rows
):
    url = endpoint.url(cast)
    client = client_of(cast, endpoint, role)
    before = db_rows()

    response = send(cast, endpoint, client, url)

    expected = endpoint.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:500]
    refused = expected == LOGIN or expected in (401, 403, 404)
    if role in endpoint.unchanged_for:
        assert db_rows() == before, "this request must change nothing for this role"
    elif refused and endpoint.changes_data:
        assert db_rows() == before, "a refused request changed the database"
    elif endpoint.changes_data:
        assert db_rows() != before, "an accepted write changed nothing"
    a_file = endpoint.binary and not refused
    if not endpoint.page and response.status_code != 204 and not a_file:
        assert response["Content-Type"] == "application/json"
        if refused:
            assert response.json()["detail"]


@pytest.mark.parametrize("endpoint", [e for e in TABLE if not e.page], ids=str)
def test_anonymous_api_calls_are_refused_with_a_json_401_and_no_redirect(endpoint, cast):
    response = send(cast, endpoint, cast.client(None), endpoint.url(cast))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_wrong_token_is_refused_like_no_credentials(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_real_token_authenticates_the_url(cast):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.viewer).key}")

    response = client.get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


def test_a_session_write_without_a_csrf_token_is_refused(cast, db_rows):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    before = db_rows()

    response = client.patch(
        reverse("api-project", args=[cast.project.pk]),
        {"title": "Forged"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert db_rows() == before


def test_the_project_list_holds_only_my_projects_with_my_role(cast):
    def listed(who: str) -> dict[str, str]:
        response = cast.client(who).get(reverse("api-projects"))
        return {project["title"]: project["role"] for project in response.json()}

    assert listed("owner") == {"Lighthouse": "owner"}
    assert listed("editor") == {"Lighthouse": "editor"}
    assert listed("viewer") == {"Lighthouse": "viewer"}
    assert listed("commenter") == {"Lighthouse": "commenter"}
    assert listed("outsider") == {"Someone else's film": "owner"}
    assert listed("moderator") == {}
    assert listed("staff") == {}


def test_the_added_roles_are_what_they_claim_and_nothing_more(cast):
    """The moderator and the staff user hold no membership: whatever they get in the table
    comes from their group or flag alone (nothing over projects). Both are staff; only the
    moderator is in the group, which is what makes a moderator."""
    assert cast.moderator.groups.filter(name=MODERATORS).exists()
    assert cast.moderator.is_staff
    assert not cast.moderator.is_superuser
    assert is_moderator(cast.moderator)
    assert cast.staff.is_staff
    assert not cast.staff.is_superuser
    assert not cast.staff.groups.exists()
    assert not is_moderator(cast.staff)
    assert not Membership.objects.filter(user__in=[cast.moderator, cast.staff]).exists()
    assert Membership.objects.get(user=cast.commenter).role == Role.COMMENTER


def test_every_declaration_gives_the_outcome_of_every_role():
    incomplete = [str(endpoint) for endpoint in TABLE if set(endpoint.expect) != set(ROLES)]

    assert incomplete == []


@pytest.mark.parametrize("who", ["viewer", "commenter"])
def test_a_viewer_or_commenter_is_told_why_a_write_is_refused(cast, who):
    response = cast.client(who).patch(
        reverse("api-shot", args=[cast.shots[0].pk]), {"version": 1, "text": "x"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this project but not change it."}


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_to_the_project_learns_nothing_of_it(cast, who):
    """The moderator and the staff user get the same 404 as an outsider, as for a missing id."""
    client = cast.client(who)

    mine = client.get(reverse("api-project", args=[cast.project.pk]))
    missing = client.get(reverse("api-project", args=[cast.project.pk + 1000]))

    assert mine.status_code == missing.status_code == 404
    assert mine.json() == missing.json()


def test_an_editor_is_told_only_the_owner_may_delete_the_project(cast):
    response = cast.client("editor").delete(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the project's owner can do this."}


# The declaration is complete


def _routes(patterns, prefix=""):
    """(full route, name, view class or None) of every URL pattern, outside skipped namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_IN_TABLE_NAMESPACES:
                continue
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            yield prefix + str(pattern.pattern), pattern.name, view_class


def _api_methods(view_class) -> set[str]:
    return {
        method.upper()
        for method in view_class.http_method_names
        if method not in {"options", "head"} and hasattr(view_class, method)
    }


def test_the_route_walker_sees_the_api_and_the_pages():
    names = {name for _, name, _ in _routes(get_resolver().url_patterns)}

    assert {"api-shot", "api-sequence-frame", "editor", "private-media", "login"} <= names
    assert not any(name.startswith("admin") for name in names if name)


def test_every_route_is_declared_in_the_permission_table():
    declared = {endpoint.name for endpoint in TABLE}
    undeclared = [
        (route, name)
        for route, name, _ in _routes(get_resolver().url_patterns)
        if name not in declared and name not in NOT_IN_TABLE
    ]

    assert undeclared == [], "add these routes to TABLE (or to NOT_IN_TABLE with a reason)"


def test_every_method_of_every_api_view_is_declared_in_the_permission_table():
    declared = {(endpoint.name, endpoint.method) for endpoint in TABLE}
    missing = [
        (name, method)
        for _, name, view_class in _routes(get_resolver().url_patterns)
        if view_class is not None and name in {e.name for e in TABLE}
        for method in sorted(_api_methods(view_class))
        if (name, method) not in declared
    ]

    assert missing == []


def test_the_table_declares_no_route_that_does_not_exist():
    names = {name for _, name, _ in _routes(get_resolver().url_patterns)}

    assert {endpoint.name for endpoint in TABLE} - names == set()
    assert set(NOT_IN_TABLE) - names == set()
