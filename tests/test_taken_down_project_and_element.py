"""A project or an element a moderator took down.

The project closes to its members too: its editor page, its API and its media answer 403 with
the moderator's reason; open editors are told (`project.removed`) and closed with 4403, new
sockets are refused; its review links answer 410; the dashboard still lists it, marked "Taken
down", so the owner knows what happened (and appeals from the moderation page).

The element keeps its place in its library, marked removed: its media is served to no one, its
API shows it with no URLs, it cannot be changed, and it leaves the elements every project may
use (the editor's timeline, @-completion, and generation).
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.access import speakers_of_project
from elements_app.models import Element, ElementImage
from jobs.models import GenerationJob
from jobs.snapshot import storyboard_of
from media import check_image
from moderation import cases
from moderation.models import Case
from moderation_desk import actions as moderation_actions
from sharing import actions as sharing_actions
from storyboard_app import actions
from storyboard_app.models import Project
from tests.conftest import Cast, image_bytes
from tests.job_helpers import queued_job
from tests.role_helpers import MEMBERS, FullCast, with_more_roles
from tests.socket_helpers import db, member_socket, open_socket, run, session_cookie

REASON = "Extremist symbols on every frame."
PROJECT_REFUSAL = f"This project was taken down by a moderator: {REASON}"
ELEMENT_REFUSAL = f"This element was taken down by a moderator ({REASON}); it cannot be changed."
AT_ONCE_SECONDS = 2.0


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


def take_down(kind: str, subject_id: int, moderator) -> Case:
    case, _ = cases.file_report(moderator, kind, subject_id, "extremism", "")
    return moderation_actions.take_down(case.pk, moderator, REASON)


# The project


@pytest.fixture
def first_frame(cast: FullCast, media_root) -> str:
    """The private URL of the sequence's first frame (a file of the project)."""
    frame = ContentFile(image_bytes(), name="first.jpg")
    return actions.set_sequence_frame(cast.sequence, "first_frame", frame).first_frame.url


def project_api_urls(cast: Cast) -> list[str]:
    return [
        reverse("api-project", args=[cast.project.pk]),
        reverse("api-project-timeline", args=[cast.project.pk]),
        reverse("api-sequence", args=[cast.sequence.pk]),
        reverse("api-shot", args=[cast.shots[0].pk]),
        reverse("api-project-jobs", args=[cast.project.pk]),
        reverse("api-project-activity", args=[cast.project.pk]),
    ]


@pytest.mark.parametrize("who", MEMBERS)
def test_members_are_refused_the_project_with_the_reason(cast: FullCast, first_frame, who):
    page_client, api = cast.page_client(who), cast.client(who)
    editor_url = reverse("editor", args=[cast.project.pk])
    assert page_client.get(editor_url).status_code == 200
    assert page_client.get(first_frame).status_code == 200

    take_down("project", cast.project.pk, cast.moderator)

    page = page_client.get(editor_url)
    assert page.status_code == 403
    assert PROJECT_REFUSAL in page.content.decode()
    assert reverse("moderation-cases") in page.content.decode()  # where the owner appeals
    media = page_client.get(first_frame)
    assert media.status_code == 403
    assert PROJECT_REFUSAL in media.content.decode()
    for url in project_api_urls(cast):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": PROJECT_REFUSAL}
    # Writes too: nothing of it can be changed.
    renamed = api.patch(reverse("api-project", args=[cast.project.pk]), {"title": "x"})
    assert renamed.status_code == 403
    assert Project.objects.get(pk=cast.project.pk).title == "Lighthouse"


def test_a_stranger_still_gets_404_for_a_taken_down_project(cast: FullCast) -> None:
    take_down("project", cast.project.pk, cast.moderator)

    response = cast.client("outsider").get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 404


def test_the_dashboard_lists_the_project_as_taken_down(cast: FullCast) -> None:
    before = cast.page_client("owner").get(reverse("dashboard")).content.decode()
    assert "Taken down" not in before

    take_down("project", cast.project.pk, cast.moderator)

    for who in ("owner", "viewer"):
        html = cast.page_client(who).get(reverse("dashboard")).content.decode()
        assert "Lighthouse" in html
        assert "Taken down" in html
        assert REASON in html  # the chip's title


def test_its_review_links_answer_410(cast: FullCast) -> None:
    _, token = sharing_actions.create_review_link(cast.project, cast.owner, label="Client")
    visitor = Client()
    assert visitor.get(reverse("review", args=[token])).status_code == 200

    take_down("project", cast.project.pk, cast.moderator)

    page = visitor.get(reverse("review", args=[token]))
    assert page.status_code == 410
    assert "This project was taken down by a moderator." in page.content.decode()
    comment = visitor.post(
        reverse("review-comment", args=[token]), {"take": 1, "name": "Client", "body": "Hm"}
    )
    assert comment.status_code == 410


def test_a_restored_project_opens_again(cast: FullCast, first_frame) -> None:
    case = take_down("project", cast.project.pk, cast.moderator)

    moderation_actions.restore(case.pk, cast.moderator, "Misread the symbols.")

    browser = cast.page_client("viewer")
    assert browser.get(reverse("editor", args=[cast.project.pk])).status_code == 200
    assert browser.get(first_frame).status_code == 200
    assert cast.client("viewer").get(project_api_urls(cast)[1]).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
def test_open_editors_are_told_and_closed_and_new_sockets_refused(cast: FullCast) -> None:
    async def scenario():
        owner, _ = await member_socket(cast.project.pk, cast.owner)
        viewer, _ = await member_socket(cast.project.pk, cast.viewer)
        await db(take_down, "project", cast.project.pk, cast.moderator)
        for socket in (owner, viewer):
            told = await socket.next_of("project.removed", AT_ONCE_SECONDS)
            assert told["removed"] is True
            assert await socket.closed_with(AT_ONCE_SECONDS) == 4403
        cookie = await db(session_cookie, cast.editor)
        late, accepted = await open_socket(cast.project.pk, cookie)
        assert accepted  # then closed at once, with the code that says "do not come back"
        assert await late.receive_output(AT_ONCE_SECONDS) == {
            "type": "websocket.close",
            "code": 4403,
        }

    run(scenario())


# The element


@pytest.fixture
def element(cast: FullCast, media_root) -> Element:
    """Mara, with two pictures, in the owner's library attached to the project; the first
    shot shows her and gives her a line."""
    library = element_actions.create_library(cast.owner, "Cast", "shared")
    element_actions.share_library(library, cast.editor, can_edit=True)
    element_actions.attach_library(cast.project, library, cast.owner)
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    for angle in ("front", "side"):
        element_media.add_image(mara, check_image(image_bytes()), angle)
    shot = cast.shots[0]
    actions.update_shot(
        shot,
        shot.version,
        {
            "text": "@Mara climbs the lighthouse stairs",
            "dialogue": [{"speaker": "Mara", "text": "Almost there.", "language": "en"}],
        },
        speakers=speakers_of_project,
    )
    return mara


def image_urls(element: Element) -> list[str]:
    return [image.file.url for image in element.images.order_by("position")]


def thumbnail_urls(element: Element) -> list[str]:
    return [
        reverse("api-element-image-thumbnail", args=[image.pk])
        for image in element.images.order_by("position")
    ]


def test_the_element_s_media_reaches_no_one(cast: FullCast, element) -> None:
    readers = {who: cast.page_client(who) for who in MEMBERS}
    for client in readers.values():
        assert [client.get(url).status_code for url in image_urls(element)] == [200, 200]
    assert [cast.client("owner").get(url).status_code for url in thumbnail_urls(element)] == [
        200,
        200,
    ]

    take_down("element", element.pk, cast.moderator)

    for client in readers.values():
        assert [client.get(url).status_code for url in image_urls(element)] == [404, 404]
    for who in MEMBERS:
        thumbnails = [cast.client(who).get(url).status_code for url in thumbnail_urls(element)]
        assert thumbnails == [404, 404], who


def test_the_api_shows_the_element_removed_with_no_urls(cast: FullCast, element) -> None:
    take_down("element", element.pk, cast.moderator)
    client = cast.client("owner")

    detail = client.get(reverse("api-element", args=[element.pk]))
    listed = client.get(reverse("api-library-elements", args=[element.library_id]))

    assert detail.status_code == listed.status_code == 200
    [row] = listed.json() if isinstance(listed.json(), list) else listed.json()["results"]
    for shown in (detail.json(), row):
        assert shown["removed"] is True
        assert shown["removed_reason"] == REASON
        assert len(shown["images"]) == 2
        assert all(image["url"] is None for image in shown["images"])
    directory = f"elements/{element.pk}/"
    assert directory not in json.dumps(detail.json())
    assert directory not in json.dumps(listed.json())


def test_the_taken_down_element_cannot_be_changed(cast: FullCast, element) -> None:
    take_down("element", element.pk, cast.moderator)
    first_image = element.images.order_by("position").first()
    before = (
        list(Element.objects.values()),
        list(ElementImage.objects.order_by("pk").values()),
    )

    for who in ("owner", "editor"):
        client = cast.client(who)
        answers = [
            client.patch(
                reverse("api-element", args=[element.pk]),
                {"description": "Harmless now."},
                format="json",
            ),
            client.delete(reverse("api-element", args=[element.pk])),
            client.post(
                reverse("api-element-images", args=[element.pk]),
                {"image": ContentFile(image_bytes(), name="a.jpg"), "angle": "back"},
                format="multipart",
            ),
            client.patch(
                reverse("api-element-image", args=[first_image.pk]),
                {"angle": "left"},
                format="json",
            ),
            client.delete(reverse("api-element-image", args=[first_image.pk])),
        ]
        for answer in answers:
            assert answer.status_code == 403
            assert answer.json() == {"detail": ELEMENT_REFUSAL}
    after = (
        list(Element.objects.values()),
        list(ElementImage.objects.order_by("pk").values()),
    )
    assert after == before


def test_the_element_leaves_the_project_s_elements(cast: FullCast, element) -> None:
    client = cast.client("editor")
    timeline_url = reverse("api-project-timeline", args=[cast.project.pk])
    mentions_url = reverse("api-project-mentions", args=[cast.project.pk]) + "?q=Ma"
    assert [e["handle"] for e in client.get(timeline_url).json()["elements"]] == ["Mara"]
    assert [e["handle"] for e in client.get(mentions_url).json()["elements"]] == ["Mara"]

    take_down("element", element.pk, cast.moderator)

    assert client.get(timeline_url).json()["elements"] == []
    assert client.get(mentions_url).json()["elements"] == []


def test_generation_no_longer_uses_the_element(cast: FullCast, element) -> None:
    generate_url = reverse("api-sequence-generate", args=[cast.sequence.pk])
    client = cast.client("editor")
    before = queued_job(cast.editor, cast.sequence)
    assert [e["handle"] for e in storyboard_of(cast.sequence)["elements"]] == ["Mara"]
    assert before.request["shots"][0]["picture"] is not None  # her picture, frozen

    take_down("element", element.pk, cast.moderator)

    assert storyboard_of(cast.sequence)["elements"] == []
    # A shot that still names her is refused at its field, as for any unknown @mention.
    refused = client.post(generate_url, {"provider": "animatic"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "shots.0.text": ["@Mara is not an element of this project's libraries."]
    }
    shot = cast.shots[0]
    shot.refresh_from_db()
    actions.update_shot(shot, shot.version, {"text": "Mara climbs the lighthouse stairs"})
    queued = client.post(generate_url, {"provider": "animatic"}, format="json")
    assert queued.status_code == 202, queued.json()
    after = GenerationJob.objects.get(pk=queued.json()["id"])
    assert [shot["picture"] for shot in after.request["shots"]] == [None, None, None]
    assert "/elements/" not in json.dumps(after.request)
    assert "/elements/" not in json.dumps(after.storyboard)


def test_a_restored_element_is_usable_and_served_again(cast: FullCast, element) -> None:
    case = take_down("element", element.pk, cast.moderator)

    moderation_actions.restore(case.pk, cast.moderator, "It was a costume.")

    client = cast.page_client("viewer")
    assert [client.get(url).status_code for url in image_urls(element)] == [200, 200]
    timeline = cast.client("viewer").get(reverse("api-project-timeline", args=[cast.project.pk]))
    assert [e["handle"] for e in timeline.json()["elements"]] == ["Mara"]
    changed = cast.client("owner").patch(
        reverse("api-element", args=[element.pk]), {"description": "Keeper."}, format="json"
    )
    assert changed.status_code == 200
