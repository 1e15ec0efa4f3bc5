"""Reports: any member of a project reports a take, an element or the project itself (what they
can see), with a category and a reason; strangers learn nothing (404, as for a missing id).

Reports of one subject fold into its one open case: the same reporter again is told so and adds
nothing, other reporters join the case and raise its count, even all at once. Once a moderator
has decided the case, a new report opens a new one. A reporter may send 10 reports an hour.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from elements_app import actions as element_actions
from moderation.cases import REPORTS_PER_HOUR
from moderation.models import MAX_REASON_CHARS, Case, Report
from moderation_desk import actions as moderation_actions
from plumbing import attempts
from storyboard_app.choices import Role
from storyboard_app.models import Membership
from tests.concurrency_helpers import at_once
from tests.conftest import Cast, make_user, needs_postgresql
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import MEMBERS, STRANGERS, FullCast, with_more_roles

KINDS = ("take", "element", "project")
THANKS = "Thank you: a moderator will look at it."
ALREADY = "You already reported this; a moderator will look at it."
MISSING_ID = 2_000_000_000


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


@pytest.fixture
def subjects(cast: FullCast, media_root) -> dict[str, int]:
    """A take made by the editor, an element of the owner's library attached to the project
    (every member sees it through the project), and the project: the ids by kind."""
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    library = element_actions.create_library(cast.owner, "Cast", "private")
    element_actions.attach_library(cast.project, library, cast.owner)
    element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    return {"take": take.pk, "element": element.pk, "project": cast.project.pk}


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """The rate limit's clock, pinned 100 s into an hour: no test straddles two windows."""
    window = REPORTS_PER_HOUR.window_seconds
    pinned = SimpleNamespace(now=1_800_000_000 // window * window + 100.0)
    monkeypatch.setattr(attempts, "time", SimpleNamespace(time=lambda: pinned.now))
    return pinned


def report(client: APIClient, body: dict):
    return client.post(reverse("api-reports"), body, format="json")


def about(kind: str, subject_id: int, category: str = "violence", reason: str = "Gory.") -> dict:
    return {kind: subject_id, "category": category, "reason": reason}


def nothing_recorded() -> bool:
    return not Case.objects.exists() and not Report.objects.exists()


# Who may report


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_reports_a_take_an_element_or_the_project(
    cast: FullCast, subjects, who, kind
) -> None:
    response = report(cast.client(who), about(kind, subjects[kind], reason="  Far too gory.  "))

    assert response.status_code == 201, response.content
    assert response.json() == {"detail": THANKS, "new": True}
    case = Case.objects.get()
    assert (case.subject_kind, case.source, case.state) == (kind, "report", "open")
    assert getattr(case, f"{kind}_id") == subjects[kind]
    assert case.category == "violence"
    assert case.reports_count == 1
    # Whose content it is: the take's author, the library's owner, the project's owner.
    assert case.owner == {"take": cast.editor, "element": cast.owner, "project": cast.owner}[kind]
    filed = Report.objects.get()
    assert (filed.case, filed.reporter, filed.category) == (case, getattr(cast, who), "violence")
    assert filed.reason == "Far too gory."


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_to_the_project_cannot_report_it_nor_learn_that_it_exists(
    cast: FullCast, subjects, who, kind
) -> None:
    client = cast.client(who)

    theirs = report(client, about(kind, subjects[kind]))
    missing = report(client, about(kind, MISSING_ID))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "No such object."}
    assert nothing_recorded()


@pytest.mark.parametrize("kind", KINDS)
def test_an_anonymous_report_is_refused(cast: FullCast, subjects, kind) -> None:
    response = report(APIClient(), about(kind, subjects[kind]))

    assert response.status_code == 401
    assert nothing_recorded()


# Bad bodies: a 400 at the field at fault


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(lambda s: {"category": "spam"}, "detail", id="no subject"),
        pytest.param(
            lambda s: {"take": s["take"], "project": s["project"], "category": "spam"},
            "detail",
            id="two subjects",
        ),
        pytest.param(lambda s: {"take": s["take"]}, "category", id="no category"),
        pytest.param(lambda s: about("take", s["take"], "rude"), "category", id="unknown category"),
        pytest.param(
            lambda s: about("take", s["take"], reason="x" * (MAX_REASON_CHARS + 1)),
            "reason",
            id="reason too long",
        ),
        pytest.param(lambda s: about("take", "first"), "take", id="subject not an id"),
    ],
)
def test_a_bad_report_gets_400_at_its_field_and_records_nothing(
    cast: FullCast, subjects, body, field
) -> None:
    response = report(cast.client("viewer"), body(subjects))

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert errors[field][0]
    assert nothing_recorded()


def test_a_reason_of_the_longest_length_is_taken(cast: FullCast, subjects) -> None:
    reason = "x" * MAX_REASON_CHARS

    response = report(cast.client("viewer"), about("take", subjects["take"], reason=reason))

    assert response.status_code == 201
    assert Report.objects.get().reason == reason


# Folding


def test_the_same_reporter_twice_is_told_so_and_adds_nothing(cast: FullCast, subjects) -> None:
    client = cast.client("viewer")
    first = report(client, about("take", subjects["take"]))

    again = report(client, about("take", subjects["take"], "spam", "And it is spam."))

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == {"detail": ALREADY, "new": False}
    case = Case.objects.get()
    assert case.reports_count == 1
    assert list(Report.objects.values_list("category", "reason")) == [("violence", "Gory.")]


def test_reports_of_two_people_fold_into_one_case(cast: FullCast, subjects) -> None:
    viewer = report(cast.client("viewer"), about("element", subjects["element"], "likeness"))
    editor = report(cast.client("editor"), about("element", subjects["element"], "copyright"))

    assert viewer.status_code == editor.status_code == 201
    case = Case.objects.get()
    assert case.reports_count == 2
    assert case.category == "likeness"  # the first report's
    assert set(case.reports.values_list("reporter__username", "category")) == {
        ("viewer", "likeness"),
        ("editor", "copyright"),
    }


def test_reports_of_different_subjects_open_a_case_each(cast: FullCast, subjects) -> None:
    client = cast.client("commenter")

    for kind in KINDS:
        assert report(client, about(kind, subjects[kind])).status_code == 201

    assert sorted(Case.objects.values_list("subject_kind", "reports_count")) == [
        ("element", 1),
        ("project", 1),
        ("take", 1),
    ]


def test_a_report_after_the_case_was_decided_opens_a_new_case(cast: FullCast, subjects) -> None:
    client = cast.client("viewer")
    report(client, about("take", subjects["take"]))
    decided = Case.objects.get()
    moderation_actions.dismiss(decided.pk, cast.moderator, "Nothing wrong with it.")

    again = report(client, about("take", subjects["take"], "spam"))
    other = report(cast.client("editor"), about("take", subjects["take"]))

    assert again.status_code == other.status_code == 201
    assert again.json()["new"] is True
    decided.refresh_from_db()
    assert (decided.state, decided.reports_count) == ("dismissed", 1)
    reopened = Case.objects.exclude(pk=decided.pk).get()
    assert (reopened.state, reopened.category, reopened.reports_count) == ("open", "spam", 2)


# The rate limit


def test_the_eleventh_report_in_an_hour_is_refused_with_429(cast: FullCast, subjects, clock):
    client = cast.client("viewer")
    bodies = [about(kind, subjects[kind]) for kind in KINDS] * 4  # duplicates count too

    answers = [report(client, body).status_code for body in bodies[: REPORTS_PER_HOUR.attempts]]
    refused = report(client, bodies[-1])

    assert answers == [201, 201, 201] + [200] * 7
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("You have sent many reports: try again in")
    assert 0 < int(refused["Retry-After"]) <= REPORTS_PER_HOUR.window_seconds
    assert Report.objects.count() == 3
    # Others still report; the reporter again in the next hour.
    assert report(cast.client("editor"), bodies[0]).status_code == 201
    clock.now += REPORTS_PER_HOUR.window_seconds
    assert report(client, bodies[0]).status_code == 200


def test_refused_bodies_do_not_spend_the_hour_s_reports(cast: FullCast, subjects, clock):
    client = cast.client("viewer")
    for _ in range(REPORTS_PER_HOUR.attempts + 2):
        assert report(client, about("take", subjects["take"], "rude")).status_code == 400

    assert report(client, about("take", subjects["take"])).status_code == 201


# Concurrent reports

REPORTERS = 8


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_people_reporting_one_take_at_once_make_one_case_with_eight_reports(
    cast: Cast, media_root
) -> None:
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    clients = []
    for n in range(REPORTERS):
        reporter = make_user(f"reporter{n}")
        Membership.objects.create(project=cast.project, user=reporter, role=Role.VIEWER)
        client = APIClient()
        client.force_authenticate(reporter)
        clients.append(client)

    answers = at_once(
        *(lambda client=client: report(client, about("take", take.pk)) for client in clients)
    )

    assert [answer.status_code for answer in answers] == [201] * REPORTERS
    case = Case.objects.get()
    assert (case.take_id, case.state) == (take.pk, "open")
    assert case.reports_count == REPORTERS
    assert case.reports.count() == REPORTERS
