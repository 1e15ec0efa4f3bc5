"""Who may use the timeline export and the edit import: every member exports (a viewer hands
the cut to an editor too), only those who may change the storyboard import an edit or apply
one; strangers get 404, anonymous callers 401, and a refused request changes nothing.

The same declarations belong in tests/permission_tables/exports.py."""

from collections.abc import Callable
from dataclasses import dataclass

import opentimelineio as otio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.api.urls import urlpatterns
from exports.edit import FORMATS, timeline_of
from exports.reel import reel_of
from storyboard_app.models import Shot
from tests.conftest import storyboard_rows
from tests.role_helpers import ROLES, STRANGERS, FullCast, role_label, with_more_roles

ANONYMOUS = 401


def read() -> dict:
    return {None: ANONYMOUS, **dict.fromkeys(STRANGERS, 404)} | dict.fromkeys(
        ("viewer", "commenter", "editor", "owner"), 200
    )


def edit(ok: int) -> dict:
    return {None: ANONYMOUS, **dict.fromkeys(STRANGERS, 404)} | {
        "viewer": 403,
        "commenter": 403,
        "editor": ok,
        "owner": ok,
    }


def edit_file(cast: FullCast) -> dict:
    text = otio.adapters.write_to_string(timeline_of(reel_of(cast.project)), "otio_json")
    return {"file": SimpleUploadedFile("edit.otio", text.encode())}


def reversed_and_longer(cast: FullCast) -> dict:
    shots = Shot.objects.filter(sequence=cast.sequence).order_by("-position")
    rows = [
        {"id": s.pk, "version": s.version, "position": s.position, "duration": s.duration + 1}
        for s in shots
    ]
    return {"sequences": [{"id": cast.sequence.pk, "shots": rows}]}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: Callable[[FullCast], str]
    expect: dict
    body: Callable[[FullCast], dict] | None = None
    multipart: bool = False
    writes: bool = False
    binary: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.url.__name__}"


def export_url(kind: str) -> Callable[[FullCast], str]:
    def export(cast: FullCast) -> str:
        return reverse(f"api-project-export-{kind}", args=[cast.project.pk])

    export.__name__ = f"export_{kind}"
    return export


def export_edl_with_media(cast: FullCast) -> str:
    return reverse("api-project-export-edl", args=[cast.project.pk]) + "?media=1"


def edit_import(cast: FullCast) -> str:
    return reverse("api-project-edit-import", args=[cast.project.pk])


def edit_import_apply(cast: FullCast) -> str:
    return reverse("api-project-edit-import-apply", args=[cast.project.pk])


ROUTES = [
    *(
        Route(f"api-project-export-{kind}", "GET", export_url(kind), read(), binary=True)
        for kind in FORMATS
    ),
    Route("api-project-export-edl", "GET", export_edl_with_media, read(), binary=True),
    Route("api-project-edit-import", "POST", edit_import, edit(200), edit_file, multipart=True),
    Route(
        "api-project-edit-import-apply",
        "POST",
        edit_import_apply,
        edit(200),
        reversed_and_longer,
        writes=True,
    ),
]


@pytest.fixture
def cast(cast) -> FullCast:
    return with_more_roles(cast)


def send(cast: FullCast, route: Route, role: str | None):
    client = cast.client(role)
    url = route.url(cast)
    if route.method == "GET":
        return client.get(url)
    body = route.body(cast) if route.body else None
    return client.post(url, body, format="multipart" if route.multipart else "json")


@pytest.mark.parametrize(
    ("route", "role"),
    [pytest.param(r, role, id=f"{r} as {role_label(role)}") for r in ROUTES for role in ROLES],
)
def test_each_role_gets_the_declared_status_and_a_refusal_changes_nothing(
    route: Route, role, cast: FullCast, media_root
):
    before = storyboard_rows()

    response = send(cast, route, role)

    expected = route.expect[role]
    assert response.status_code == expected, getattr(response, "content", b"")[:300]
    refused = expected in (401, 403, 404)
    if refused or not route.writes:
        assert storyboard_rows() == before
    else:
        assert storyboard_rows() != before
    if refused:
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
    elif not route.binary:
        assert response["Content-Type"] == "application/json"


def test_every_timeline_route_is_declared_here():
    edit_routes = {
        pattern.name
        for pattern in urlpatterns
        if pattern.callback.view_class.__module__ == "exports.api.edits"
    }
    assert edit_routes == {route.name for route in ROUTES}
