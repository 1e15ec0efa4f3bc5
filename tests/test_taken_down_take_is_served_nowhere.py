"""A take a moderator took down is served by no URL: not its video, poster or shot thumbnails
through private media (to any member, owner included), not through the API (the take keeps its
place, says it was removed and why, with no URL), not in the WebSocket snapshot (and open
editors hear of it at once), not on a review link. It leaves the cut and cannot be chosen again.
A restore brings it all back, into the cut again if nothing else was chosen meanwhile.

The exports (OTIO, EDL, FCP, the zip with media, the PDF sheet) leave it out as well: see
tests/test_timeline_exports_open_in_their_libraries.py and tests/test_storyboard_sheet_pdf.py.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from jobs import actions as job_actions
from jobs.models import GenerationJob, Take
from moderation import cases
from moderation.models import Case
from moderation_desk import actions as moderation_actions
from sharing import actions as sharing_actions
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.role_helpers import MEMBERS, FullCast, with_more_roles
from tests.socket_helpers import db, member_socket, run

REASON = "Graphic violence in the second shot."
REFUSED_CHOICE = "This take was taken down by a moderator; it cannot go into the cut."
THUMBNAILS = 3


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


def with_files(take: Take) -> Take:
    """The take with a real poster and a thumbnail per shot, as the pipeline leaves them."""
    directory = take.video.path.rsplit("/", 1)[0]
    with open(f"{directory}/poster.jpg", "wb") as poster:
        poster.write(b"\xff\xd8poster")
    names = []
    for n in range(1, THUMBNAILS + 1):
        with open(f"{directory}/shot-{n}.jpg", "wb") as thumbnail:
            thumbnail.write(b"\xff\xd8thumbnail %d" % n)
        names.append(f"{take.video.name.rsplit('/', 1)[0]}/shot-{n}.jpg")
    take.shot_thumbnails = names
    take.save(update_fields=["shot_thumbnails"])
    return take


def new_take(cast: Cast) -> Take:
    return with_files(delivered_take(queued_job(cast.editor, cast.sequence)))


@pytest.fixture
def take(cast: FullCast, media_root) -> Take:
    """The editor's take, the sequence's first and so the chosen one."""
    made = new_take(cast)
    assert made.chosen
    return made


def file_urls(take: Take) -> list[str]:
    return [take.video.url, take.poster.url] + [f"/media/{name}" for name in take.shot_thumbnails]


def take_down(take: Take, moderator, reason: str = REASON) -> Case:
    case, _ = cases.file_report(moderator, "take", take.pk, "violence", "")
    return moderation_actions.take_down(case.pk, moderator, reason)


def restore(case: Case, moderator) -> Case:
    return moderation_actions.restore(case.pk, moderator, "On a second look, it is fine.")


def fetched(client: Client, url: str, **headers) -> int:
    return client.get(url, headers=headers).status_code


# Private media


@pytest.mark.parametrize("who", MEMBERS)
def test_no_member_gets_the_files_of_a_taken_down_take(cast: FullCast, take, who) -> None:
    other = new_take(cast)
    client = cast.page_client(who)
    assert [fetched(client, url) for url in file_urls(take)] == [200] * (2 + THUMBNAILS)

    take_down(take, cast.moderator)

    assert [fetched(client, url) for url in file_urls(take)] == [404] * (2 + THUMBNAILS)
    assert fetched(client, take.video.url, Range="bytes=0-99") == 404
    # The other take of the sequence is served as before.
    assert [fetched(client, url) for url in file_urls(other)] == [200] * (2 + THUMBNAILS)


def test_restoring_the_take_serves_its_files_again(cast: FullCast, take) -> None:
    case = take_down(take, cast.moderator)

    restore(case, cast.moderator)

    client = cast.page_client("viewer")
    assert [fetched(client, url) for url in file_urls(take)] == [200] * (2 + THUMBNAILS)


# The API


def test_the_api_shows_the_take_removed_with_its_reason_and_no_url(cast: FullCast, take) -> None:
    take_down(take, cast.moderator)
    client = cast.client("viewer")

    listed = client.get(reverse("api-sequence-takes", args=[cast.sequence.pk]))
    detail = client.get(reverse("api-take", args=[take.pk]))
    timeline = client.get(reverse("api-project-timeline", args=[cast.project.pk]))

    assert listed.status_code == detail.status_code == timeline.status_code == 200
    [row] = listed.json()
    timeline_row = next(t for t in timeline.json()["takes"] if t["id"] == take.pk)
    for shown in (row, detail.json(), timeline_row):
        assert shown["id"] == take.pk
        assert shown["removed"] is True
        assert shown["removed_reason"] == REASON
        assert shown["video_url"] is None
        assert shown["poster_url"] is None
        assert shown["chosen"] is False
    # Nothing in any answer leads to the take's files.
    directory = take.video.name.rsplit("/", 2)[0]
    for response in (listed, detail, timeline):
        assert directory not in json.dumps(response.json())


def test_a_take_not_taken_down_is_shown_with_its_urls(cast: FullCast, take) -> None:
    detail = cast.client("viewer").get(reverse("api-take", args=[take.pk])).json()

    assert detail["removed"] is False
    assert detail["removed_reason"] == ""
    assert detail["video_url"] == take.video.url
    assert detail["poster_url"] == take.poster.url


# The cut


def test_the_taken_down_take_leaves_the_cut_and_cannot_be_chosen(cast: FullCast, take) -> None:
    take_down(take, cast.moderator)

    take.refresh_from_db()
    assert not take.chosen
    assert not Take.objects.filter(sequence=cast.sequence, chosen=True).exists()
    for who in ("editor", "owner"):
        response = cast.client(who).post(reverse("api-take-choose", args=[take.pk]))
        assert response.status_code == 409
        assert response.json() == {"detail": REFUSED_CHOICE}
    take.refresh_from_db()
    assert not take.chosen


def test_a_taken_down_take_cannot_be_generated_again(cast: FullCast, take) -> None:
    take_down(take, cast.moderator)
    jobs_before = GenerationJob.objects.count()

    response = cast.client("editor").post(reverse("api-take-generate-again", args=[take.pk]))

    assert response.status_code == 409
    assert response.json() == {"detail": REFUSED_CHOICE}
    assert GenerationJob.objects.count() == jobs_before


def test_a_restored_take_is_chosen_again_if_nothing_else_was(cast: FullCast, take) -> None:
    case = take_down(take, cast.moderator)

    restore(case, cast.moderator)

    take.refresh_from_db()
    assert take.chosen
    assert take.removed_at is None
    assert take.removed_reason == ""
    shown = cast.client("viewer").get(reverse("api-take", args=[take.pk])).json()
    assert (shown["removed"], shown["video_url"]) == (False, take.video.url)


def test_a_restored_take_stays_out_of_the_cut_when_another_was_chosen(cast: FullCast, take) -> None:
    other = new_take(cast)
    case = take_down(take, cast.moderator)
    chose = cast.client("editor").post(reverse("api-take-choose", args=[other.pk]))
    assert chose.status_code == 200

    restore(case, cast.moderator)

    take.refresh_from_db()
    other.refresh_from_db()
    assert (take.chosen, other.chosen) == (False, True)
    assert take.removed_at is None
    # It may be chosen again by hand now.
    assert cast.client("editor").post(reverse("api-take-choose", args=[take.pk])).status_code == 200


def test_a_take_that_was_not_chosen_is_not_chosen_by_its_restore(cast: FullCast, take) -> None:
    other = new_take(cast)
    case = take_down(other, cast.moderator)
    job_actions.choose_take(take)
    take_down(take, cast.moderator)  # now no take of the sequence is chosen

    restore(case, cast.moderator)

    other.refresh_from_db()
    assert not other.chosen


# Review links


def test_a_review_link_no_longer_offers_the_take(cast: FullCast, take) -> None:
    _, token = sharing_actions.create_review_link(cast.project, cast.owner, label="Client")
    visitor = Client()
    page_url = reverse("review", args=[token])
    media = [reverse("review-media", args=[token, take.pk, kind]) for kind in ("video", "poster")]
    before = visitor.get(page_url).content.decode()
    assert all(url in before for url in media)
    assert [fetched(visitor, url) for url in media] == [200, 200]

    take_down(take, cast.moderator)

    page = visitor.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert not any(url in html for url in media)
    assert f'name="take" value="{take.pk}"' not in html
    assert "No take chosen yet." in html
    assert [fetched(visitor, url) for url in media] == [404, 404]
    comment = visitor.post(
        reverse("review-comment", args=[token]), {"take": take.pk, "name": "Client", "body": "Hm"}
    )
    assert comment.status_code == 404


# The live view


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
def test_open_editors_hear_of_the_takedown_and_the_snapshot_shows_it(
    cast: FullCast, media_root
) -> None:
    take = new_take(cast)
    directory = take.video.name.rsplit("/", 2)[0]

    async def scenario():
        socket, snapshot = await member_socket(cast.project.pk, cast.viewer)
        assert [t["video_url"] for t in snapshot["takes"]] == [take.video.url]
        case = await db(take_down, take, cast.moderator)
        updated = await socket.next_of("take.updated")
        assert updated["take"]["id"] == take.pk
        assert updated["take"]["removed"] is True
        assert updated["take"]["removed_reason"] == REASON
        assert updated["take"]["video_url"] is None
        assert updated["take"]["poster_url"] is None
        assert updated["take"]["chosen"] is False
        # A snapshot asked for now, and a new socket's, show it removed and lead to no file.
        await socket.send({"type": "snapshot"})
        again = await socket.next_of("snapshot")
        late, fresh = await member_socket(cast.project.pk, cast.owner)
        for shown in (again, fresh):
            [row] = shown["takes"]
            assert (row["removed"], row["removed_reason"]) == (True, REASON)
            assert row["video_url"] is row["poster_url"] is None
            assert directory not in json.dumps(shown)
        # The restore is heard as well.
        await db(restore, case, cast.moderator)
        back = await socket.next_of("take.updated")
        assert back["take"]["removed"] is False
        assert back["take"]["video_url"] == take.video.url
        assert back["take"]["chosen"] is True
        await socket.disconnect()
        await late.disconnect()

    run(scenario())
