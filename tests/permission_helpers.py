"""The pieces of the permission tables (tests/permission_tables/) and of the tests that read them.

An `Endpoint` declares one route and method, what each role of tests/role_helpers.ROLES gets
from it (`by_role` and its shorthands: `read`, `edit`, `manage`, `anyone_signed_in`, `comment`,
`members`, `public`), and how to call it. The ids below find (or make) the objects the URLs name.
`assert_the_declared_outcome` and `assert_a_json_401` are the bodies of the two tests
tests/test_permissions_of_every_endpoint.py runs over the tables; `matrix_rows` is the database
snapshot they compare.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from discussion.models import Comment, Notification
from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import ElementLibrary
from jobs.models import Take
from media import check_image
from moderation.models import Appeal, Case, Notice, Report
from sharing.models import ReviewLink
from tests.conftest import Cast, image_bytes
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import ROLES, STRANGERS, role_label
from tests.sharing_helpers import sharing_rows

LOGIN = "redirect to login"
ANONYMOUS_API = 401


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


def route_url(name: str, *args: Callable[[Cast], int]) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, args=[arg(cast) for arg in args])


def project_id(cast: Cast) -> int:
    return cast.project.pk


def sequence_id(cast: Cast) -> int:
    return cast.sequence.pk


def shot_id(cast: Cast) -> int:
    return cast.shots[1].pk


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


def library_id(cast: Cast) -> int:
    return cast_library(cast).pk


def element_id(cast: Cast) -> int:
    return cast_library(cast).elements.get().pk


def take_id(cast: Cast) -> int:
    take = Take.objects.filter(sequence=cast.sequence).first()
    return (take or delivered_take(queued_job(cast.owner, cast.sequence))).pk


def cases(table: list[Endpoint]) -> list:
    """Every endpoint of `table` with every role, named "METHOD name as role"."""
    return [
        pytest.param(endpoint, role, id=f"{endpoint} as {role_label(role)}")
        for endpoint in table
        for role in ROLES
    ]


def matrix_rows() -> dict[str, list[dict]]:
    """Every storyboard and sharing row, those of the discussion and of moderation."""
    rows = sharing_rows()
    for model in (ReviewLink, Comment, Notification, Case, Report, Appeal, Notice):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


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


def assert_the_declared_outcome(endpoint: Endpoint, role, cast, db_rows) -> None:
    """The body of `test_each_role_gets_the_declared_status_and_a_refused_write_changes_nothing`."""
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


def assert_a_json_401(endpoint: Endpoint, cast) -> None:
    """The body of `test_anonymous_api_calls_are_refused_with_a_json_401_and_no_redirect`."""
    response = send(cast, endpoint, cast.client(None), endpoint.url(cast))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
