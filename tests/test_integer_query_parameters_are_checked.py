"""Every integer query parameter of every route (API and pages) answers a clear 400 when it is
no whole number in the signed 64-bit id range, never a 500; valid values, the two ends of the
range included, still work.

The API's integer query parameters are read from the schema the app serves, so a new one is
checked here as soon as it is declared; the pages' ones are listed (they have no schema).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from media import check_image
from plumbing.converters import MAX_ID
from plumbing.query_params import OUT_OF_RANGE
from tests.conftest import Cast, image_bytes

NOT_IDS = ["99999999999999999999", "-9223372036854775809", "", "abc", "1.5"]
EDGES = [str(MAX_ID), str(-MAX_ID - 1)]


@dataclass(frozen=True)
class Route:
    url: Callable[[Cast, int], str]  # the cast, an element image's id
    parameter: str
    valid: Callable[[Cast], str]  # a value that finds something
    api: bool = True


ROUTES = {
    ("/api/projects/{project_id}/comments/", "shot"): Route(
        lambda cast, image: reverse("api-project-comments", args=[cast.project.pk]),
        "shot",
        lambda cast: str(cast.shots[0].pk),
    ),
    ("/api/projects/{project_id}/comments/", "take"): Route(
        lambda cast, image: reverse("api-project-comments", args=[cast.project.pk]),
        "take",
        lambda cast: "1",
    ),
    ("/api/projects/{project_id}/activity/", "user"): Route(
        lambda cast, image: reverse("api-project-activity", args=[cast.project.pk]),
        "user",
        lambda cast: str(cast.owner.pk),
    ),
    ("/api/element-images/{image_id}/thumbnail/", "size"): Route(
        lambda cast, image: reverse("api-element-image-thumbnail", args=[image]),
        "size",
        lambda cast: "320",
    ),
    ("/projects/{project_id}/activity/", "person"): Route(
        lambda cast, image: reverse("activity", args=[cast.project.pk]),
        "person",
        lambda cast: str(cast.owner.pk),
        api=False,
    ),
}
CASES = [(key, value) for key in ROUTES for value in NOT_IDS]


@pytest.fixture
def image_id(cast: Cast, media_root) -> int:
    library = element_actions.create_library(cast.owner, "Cast", "shared")
    element_actions.attach_library(cast.project, library, cast.owner)
    element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    return element_media.add_image(element, check_image(image_bytes()), "front").pk


def get(cast: Cast, route: Route, image_id: int, value: str):
    client = cast.client("owner") if route.api else cast.page_client("owner")
    return client.get(route.url(cast, image_id), {route.parameter: value})


def test_every_integer_query_parameter_of_the_api_is_checked_here(db):
    raw = json.loads(
        Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    declared = {
        (path, parameter["name"])
        for path, item in raw["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("type") == "integer"
    }

    assert declared == {key for key, route in ROUTES.items() if route.api}


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k[1]}={v!r}" for k, v in CASES])
def test_a_value_that_is_no_id_gets_a_400_naming_the_parameter(cast: Cast, image_id, key, value):
    route = ROUTES[key]

    response = get(cast, route, image_id, value)

    assert response.status_code == 400
    if route.api:
        assert response.json() == {route.parameter: [OUT_OF_RANGE]}
    else:
        page = response.content.decode()
        assert f"<code>{route.parameter}</code>: {OUT_OF_RANGE}" in page


@pytest.mark.parametrize("key", list(ROUTES), ids=[k[1] for k in ROUTES])
def test_valid_values_still_work(cast: Cast, image_id, key):
    route = ROUTES[key]

    assert get(cast, route, image_id, route.valid(cast)).status_code == 200
    client = cast.client("owner") if route.api else cast.page_client("owner")
    assert client.get(route.url(cast, image_id)).status_code == 200


@pytest.mark.parametrize("key", [k for k, r in ROUTES.items() if k[1] != "size"])
def test_the_ends_of_the_id_range_are_ids_that_find_nothing(cast: Cast, image_id, key):
    route = ROUTES[key]

    for edge in EDGES:
        response = get(cast, route, image_id, edge)
        assert response.status_code == 200
        if route.api:
            assert response.json() == []


def test_a_thumbnail_size_that_is_a_number_but_not_offered_is_still_not_found(cast: Cast, image_id):
    route = ROUTES["/api/element-images/{image_id}/thumbnail/", "size"]

    assert get(cast, route, image_id, "161").status_code == 404
    assert get(cast, route, image_id, str(MAX_ID)).status_code == 404
