"""Who may use the routes of moderation: reports, one's own cases, appeals, notices and the
page of one's cases.
"""

from collections.abc import Callable

from django.urls import reverse

from elements_app.models import ElementLibrary
from jobs.models import Take
from moderation import cases as moderation_cases
from moderation.models import Case
from moderation_desk import actions as moderation_actions
from tests.conftest import Cast
from tests.permission_helpers import (
    ANONYMOUS_API,
    LOGIN,
    Endpoint,
    anyone_signed_in,
    by_role,
    element_id,
    members,
    project_id,
    route_url,
    take_id,
)
from tests.role_helpers import FullCast


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
    Endpoint("api-own-cases", "GET", route_url("api-own-cases"), anyone_signed_in(200)),
    Endpoint(
        "api-appeal",
        "POST",
        appeal_url,
        owner_only(200),
        body=lambda cast: {"text": "It is not spam: it is the plot."},
    ),
    Endpoint(
        "api-moderation-notices", "GET", route_url("api-moderation-notices"), anyone_signed_in(200)
    ),
    Endpoint(
        "moderation-cases",
        "GET",
        route_url("moderation-cases"),
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
