"""Ids in URLs: a huge, malformed or foreign (another user's) id in an API or page path is a
404 that changes nothing, and another user's shot in a reorder body is refused.
"""

import pytest
from django.urls import reverse

from storyboard_app import actions
from storyboard_app.models import Project, Sequence
from tests.bad_input_helpers import (
    HUGE_ID,
    send,
    url_of,
)

# Ids in URLs


ID_ROUTES = [
    ("api-project", "GET"),
    ("api-project", "PATCH"),
    ("api-project", "DELETE"),
    ("api-project-timeline", "GET"),
    ("api-project-sequences", "POST"),
    ("api-sequence", "GET"),
    ("api-sequence", "PATCH"),
    ("api-sequence", "DELETE"),
    ("api-sequence-reorder", "POST"),
    ("api-sequence-validate", "POST"),
    ("api-sequence-shots", "POST"),
    ("api-shot", "GET"),
    ("api-shot", "PATCH"),
    ("api-shot", "DELETE"),
    ("api-shot-duplicate", "POST"),
]


@pytest.mark.parametrize("object_id", [HUGE_ID, 2**63, 2**63 - 1, 2**31])
@pytest.mark.parametrize(("name", "method"), ID_ROUTES)
def test_a_huge_id_in_the_url_is_not_found(cast, db_rows, name, method, object_id):
    before = db_rows()

    response = send(cast.client("owner"), method, reverse(name, args=[object_id]), {"version": 1})

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}
    assert db_rows() == before


@pytest.mark.parametrize("which", ["first", "end"])
def test_a_huge_sequence_id_in_a_frame_url_is_not_found(cast, which):
    response = cast.client("owner").delete(f"/api/sequences/{HUGE_ID}/frames/{which}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/projects/{HUGE_ID}/",
        f"/projects/{HUGE_ID}/settings/",
        f"/media/private/projects/{HUGE_ID}/frames/first.jpg",
        "/api/projects/-1/",
        "/api/shots/1e3/",
        "/api/sequences/first/",
        "/api/sequences/1/frames/middle/",
    ],
)
def test_malformed_or_huge_ids_in_page_and_api_paths_are_not_found(cast, path):
    response = cast.page_client("owner").get(path)

    assert response.status_code == 404


@pytest.fixture
def foreign(cast) -> dict[str, int]:
    """Ids of the outsider's own project, sequence and shot."""
    project = Project.objects.get(owner=cast.outsider)
    sequence = Sequence.objects.get(project=project)
    shot = actions.add_shot(sequence, {"duration": 3, "text": "theirs"})
    return {"project": project.pk, "sequence": sequence.pk, "shot": shot.pk}


@pytest.mark.parametrize(("name", "method"), ID_ROUTES)
def test_the_ids_of_another_users_objects_in_the_url_are_not_found(
    cast, foreign, db_rows, name, method
):
    kind = name.removeprefix("api-").split("-")[0]
    before = db_rows()

    response = send(
        cast.client("owner"),
        method,
        reverse(name, args=[foreign[kind]]),
        {"version": 1, "title": "mine now", "text": "mine now", "shot_ids": [foreign["shot"]]},
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}
    assert db_rows() == before


def test_the_id_of_another_users_shot_in_a_reorder_body_is_refused(cast, foreign, db_rows):
    before = db_rows()

    response = send(
        cast.client("owner"),
        "POST",
        url_of(cast, "reorder"),
        {"shot_ids": [s.pk for s in cast.shots[:2]] + [foreign["shot"]]},
    )

    assert response.status_code == 400
    assert "exactly once" in response.json()["shot_ids"][0]
    assert db_rows() == before
