"""The media preview of a case: it seeks (ranges) for a moderator even after a takedown, is
refused to anyone else (the owner too), and serves only the files of the case's subject.
"""

import pytest
from django.urls import reverse

from elements_app.models import Element
from jobs.models import Take
from moderation.models import (
    Case,
)
from moderation_desk import actions
from storyboard_app import actions as storyboard_actions
from storyboard_app.models import Project
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.moderation_desk_helpers import (
    Desk,
    element_case,
    make_desk,
    project_case,
    take_case,
)


@pytest.fixture
def desk(db) -> Desk:
    return make_desk()


# The media preview


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content)


def test_the_media_preview_seeks_for_a_moderator_even_after_a_takedown(
    cast: Cast, desk: Desk, media_root
):
    case = take_case(cast)
    take = Take.objects.get(pk=case.take_id)
    stored = (media_root / take.video.name).read_bytes()
    url = reverse("admin:moderation_case_media", args=[case.pk, f"take-{take.pk}-video"])
    client = desk.client("moderator")

    for when in ("before", "after the takedown"):
        answer = client.get(url, HTTP_RANGE="bytes=100-199")
        assert answer.status_code == 206
        assert answer["Content-Range"] == f"bytes 100-199/{len(stored)}"
        assert answer["Content-Type"] == "video/mp4"
        assert {"private", "no-store"} <= set(answer["Cache-Control"].split(", "))
        assert _body(answer) == stored[100:200]
        whole = client.get(url)
        assert whole.status_code == 200
        assert _body(whole) == stored
        if when == "before":
            actions.take_down(case.pk, desk.moderator, "Gore")
            take.refresh_from_db()
            assert take.removed_at is not None


def test_the_media_preview_is_refused_to_anyone_else(cast: Cast, desk: Desk, media_root):
    case = take_case(cast)
    url = reverse("admin:moderation_case_media", args=[case.pk, f"take-{case.take_id}-video"])
    for who in ("staff", "root"):
        assert desk.client(who).get(url, HTTP_RANGE="bytes=0-99").status_code == 403
    answer = desk.client("plain").get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("admin:login"))
    # The take's owner is no moderator either.
    assert cast.page_client("owner").get(url).status_code == 302


def test_the_media_preview_serves_only_files_of_the_cases_subject(
    cast: Cast, desk: Desk, media_root
):
    case = take_case(cast)
    other_take = delivered_take(queued_job(cast.editor, cast.sequence))  # same project
    outsider_sequence = Project.objects.get(owner=cast.outsider).sequences.get()
    storyboard_actions.add_shot(outsider_sequence, {"duration": 4, "text": "Elsewhere"})
    foreign = delivered_take(queued_job(cast.outsider, outsider_sequence))
    element = element_case(cast)
    image = Element.objects.get(pk=element.element_id).images.get()
    project = project_case(cast)
    client = desk.client("moderator")

    def status(of: Case, name: str) -> int:
        return client.get(reverse("admin:moderation_case_media", args=[of.pk, name])).status_code

    assert status(case, f"take-{case.take_id}-video") == 200
    assert status(case, f"take-{other_take.pk}-video") == 404  # another take of the project
    assert status(case, f"take-{foreign.pk}-video") == 404
    assert status(case, f"image-{image.pk}") == 404  # an element's file on a take's case
    assert status(case, f"take-{case.take_id}-thumbnail") == 404
    assert status(case, "take-abc-video") == 404
    assert status(case, "..") == 404
    assert status(element, f"image-{image.pk}") == 200
    assert status(element, f"take-{case.take_id}-video") == 404
    # A project's case previews the project's takes, and only those.
    assert status(project, f"take-{other_take.pk}-video") == 200
    assert status(project, f"take-{foreign.pk}-video") == 404
    assert status(project, f"image-{image.pk}") == 404
    missing = reverse("admin:moderation_case_media", args=[999_999, f"take-{case.take_id}-video"])
    assert client.get(missing).status_code == 404
