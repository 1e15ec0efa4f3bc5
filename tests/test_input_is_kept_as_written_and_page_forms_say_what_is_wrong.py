"""What is accepted stays accepted: a project without an aspect ratio is landscape, read-only
fields in a body are ignored, unicode text with newlines and tabs is kept as written; the
dashboard and settings forms show their errors and change nothing.
"""

from django.urls import reverse

from storyboard_app.models import Project
from tests.bad_input_helpers import (
    send,
    url_of,
)

# What is accepted stays accepted


def test_a_project_created_without_an_aspect_ratio_is_landscape(cast):
    response = send(cast.client("owner"), "POST", url_of(cast, "projects"), {"title": "Plain"})

    assert response.status_code == 201
    assert response.json()["aspect_ratio"] == "16:9"
    assert Project.objects.get(pk=response.json()["id"]).aspect_ratio == "16:9"


def test_read_only_fields_in_a_body_are_ignored(cast):
    shot = cast.shots[0]

    response = send(
        cast.client("owner"),
        "PATCH",
        url_of(cast, "shot"),
        {"version": 1, "id": 999, "sequence": 999, "position": 7, "text": "kept"},
    )

    assert response.status_code == 200
    shot.refresh_from_db()
    assert (shot.pk, shot.sequence_id, shot.position, shot.text) == (
        cast.shots[0].pk,
        cast.sequence.pk,
        0,
        "kept",
    )


def test_unicode_text_newlines_and_tabs_are_kept_as_written(cast):
    text = "  Mara whispers:\n\t«ça va?» 你好 👋  "

    response = send(
        cast.client("owner"), "PATCH", url_of(cast, "shot"), {"version": 1, "text": text}
    )

    assert response.status_code == 200
    assert response.json()["text"] == text


def test_the_dashboard_form_shows_an_error_for_an_empty_title_and_creates_nothing(cast, db_rows):
    client = cast.page_client("owner")
    before = db_rows()

    response = client.post(reverse("dashboard"), {"title": "", "aspect_ratio": "16:9"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert db_rows() == before


def test_the_settings_form_refuses_an_unknown_aspect_ratio(cast, db_rows):
    client = cast.page_client("owner")
    before = db_rows()

    response = client.post(
        reverse("project-settings", args=[cast.project.pk]), {"title": "x", "aspect_ratio": "4:3"}
    )

    assert response.status_code == 200
    assert "aspect_ratio" in response.context["form"].errors
    assert db_rows() == before
