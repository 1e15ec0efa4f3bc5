"""Comments on shots and takes: threads with replies, @mentions and replies that notify (an
in-app list with an unread count), resolving, open counts on the timeline; commenters may
comment, viewers may only read, ids of other projects are refused."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from discussion.models import Notification
from storyboard_app import actions
from storyboard_app.models import Membership
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job


@pytest.fixture
def commenter(cast: Cast) -> User:
    user = User.objects.create_user("carla")
    Membership.objects.create(project=cast.project, user=user, role="commenter")
    return user


def client_of(cast: Cast, user):
    client = cast.client(None)
    client.force_authenticate(user)
    return client


def comments_url(cast: Cast) -> str:
    return reverse("api-project-comments", args=[cast.project.pk])


def post(client, cast: Cast, **data):
    return client.post(comments_url(cast), data, format="json")


def unread(cast: Cast, user) -> int:
    return client_of(cast, user).get(reverse("api-notifications")).json()["unread"]


def test_a_commenter_comments_on_a_shot_and_the_mentioned_member_is_notified(
    cast: Cast, commenter
) -> None:
    shot = cast.shots[1]
    answer = post(client_of(cast, commenter), cast, shot=shot.pk, body="@Editor the gull is late")
    assert answer.status_code == 201
    assert answer.json()["author"] == "carla"
    assert unread(cast, cast.editor) == 1
    assert unread(cast, cast.owner) == 0
    listed = cast.client("editor").get(reverse("api-notifications")).json()["notifications"]
    assert [(n["what"], n["comment"]["body"]) for n in listed] == [
        ("mentioned you", "@Editor the gull is late")
    ]
    # The viewer reads the thread but may not add to it.
    threads = cast.client("viewer").get(comments_url(cast), {"shot": shot.pk}).json()
    assert [t["body"] for t in threads] == ["@Editor the gull is late"]
    refused = post(cast.client("viewer"), cast, shot=shot.pk, body="Me too")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You can view this project but not comment on it."
    assert post(cast.client("outsider"), cast, shot=shot.pk, body="Hi").status_code == 404


def test_replies_join_the_thread_and_notify_its_author(cast: Cast, commenter) -> None:
    root = post(client_of(cast, commenter), cast, shot=cast.shots[0].pk, body="Too dark?").json()
    reply = post(cast.client("editor"), cast, parent=root["id"], body="Brighter in take 2")
    assert reply.status_code == 201
    deeper = post(cast.client("owner"), cast, parent=reply.json()["id"], body="Agreed")
    assert deeper.json()["parent"] == root["id"]  # a reply to a reply stays in the thread
    [thread] = cast.client("viewer").get(comments_url(cast), {"shot": cast.shots[0].pk}).json()
    assert [r["body"] for r in thread["replies"]] == ["Brighter in take 2", "Agreed"]
    kinds = Notification.objects.filter(user=commenter).values_list("kind", flat=True)
    assert sorted(kinds) == ["reply", "reply"]


def test_resolving_a_thread_takes_it_off_the_timeline_count(cast: Cast, commenter) -> None:
    client = client_of(cast, commenter)
    first = post(client, cast, shot=cast.shots[2].pk, body="Lettering typo").json()
    post(client, cast, shot=cast.shots[2].pk, body="And the sound")
    timeline_url = reverse("api-project-timeline", args=[cast.project.pk])
    assert cast.client("viewer").get(timeline_url).json()["open_comments"] == {
        str(cast.shots[2].pk): 2
    }
    resolved = client.post(reverse("api-resolve", args=[first["id"]]), {"resolved": True})
    assert resolved.json()["resolved"] is True
    assert resolved.json()["resolved_by"] == "carla"
    assert cast.client("viewer").get(timeline_url).json()["open_comments"] == {
        str(cast.shots[2].pk): 1
    }
    assert (
        cast.client("viewer")
        .post(reverse("api-resolve", args=[first["id"]]), {"resolved": False})
        .status_code
        == 403
    )


def test_a_take_has_its_own_threads(cast: Cast, commenter, media_root) -> None:
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    answer = post(client_of(cast, commenter), cast, take=take.pk, body="The cut at 4 s jumps")
    assert answer.json()["take"] == take.pk
    threads = cast.client("owner").get(comments_url(cast), {"take": take.pk}).json()
    assert [t["body"] for t in threads] == ["The cut at 4 s jumps"]
    assert cast.client("owner").get(comments_url(cast), {"shot": cast.shots[0].pk}).json() == []


def test_ids_of_other_projects_and_bad_comments_are_refused_at_their_field(
    cast: Cast, commenter, db_rows
) -> None:
    foreign_project = actions.create_project(cast.outsider, "Theirs")
    foreign_shot = actions.add_shot(foreign_project.sequences.get(), {"duration": 3})
    foreign_root = post(cast.client("outsider"), cast, shot=cast.shots[0].pk, body="x")
    assert foreign_root.status_code == 404
    client = client_of(cast, commenter)
    before = db_rows()
    cases = [
        ({"shot": foreign_shot.pk, "body": "Hi"}, {"shot": ["No such shot in this project."]}),
        ({"shot": 10**9, "body": "Hi"}, {"shot": ["No such shot in this project."]}),
        ({"parent": 10**9, "body": "Hi"}, {"parent": ["No such parent in this project."]}),
        ({"body": "On nothing"}, {"shot": ["Comment on one shot or one take."]}),
        ({"shot": cast.shots[0].pk, "body": "   "}, {"body": ["Write something first."]}),
        (
            {"shot": cast.shots[0].pk, "body": "x" * 2001},
            {"body": ["Ensure this field has no more than 2000 characters."]},
        ),
    ]
    for data, errors in cases:
        answer = post(client, cast, **data)
        assert (answer.status_code, answer.json()) == (400, errors), data
    assert db_rows() == before


def test_mentions_notify_members_only_and_never_the_author(cast: Cast, commenter) -> None:
    post(client_of(cast, commenter), cast, shot=cast.shots[0].pk,
         body="@carla @outsider @nobody and @viewer, see this")  # fmt: skip
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"viewer"}


def test_notifications_are_read_by_their_owner_only(cast: Cast, commenter) -> None:
    for text in ("@editor one", "@editor two"):
        post(client_of(cast, commenter), cast, shot=cast.shots[0].pk, body=text)
    first = Notification.objects.filter(user=cast.editor).order_by("id").first()
    outsider = cast.client("outsider").post(reverse("api-notifications-read"), {"ids": [first.pk]})
    assert outsider.json() == {"marked": 0}
    assert unread(cast, cast.editor) == 2
    marked = cast.client("editor").post(
        reverse("api-notifications-read"), {"ids": [first.pk]}, format="json"
    )
    assert marked.json() == {"marked": 1}
    assert unread(cast, cast.editor) == 1
    cast.client("editor").post(reverse("api-notifications-read"), {}, format="json")
    assert unread(cast, cast.editor) == 0


def test_the_threads_of_a_project_cost_the_same_queries_at_any_size(
    cast: Cast, commenter, django_assert_num_queries
) -> None:
    client = client_of(cast, commenter)
    for i in range(12):
        root = post(client, cast, shot=cast.shots[i % 3].pk, body=f"Note {i}").json()
        post(cast.client("editor"), cast, parent=root["id"], body=f"Reply {i}")
    with django_assert_num_queries(3):  # the project with the role, the threads, the replies
        threads = cast.client("viewer").get(comments_url(cast)).json()
    assert len(threads) == 12
    assert all(len(t["replies"]) == 1 for t in threads)


def test_the_top_bar_counts_unread_notifications_and_the_page_lists_and_clears_them(
    cast: Cast, commenter
) -> None:
    post(client_of(cast, commenter), cast, shot=cast.shots[1].pk, body="@editor look at this")
    page = cast.page_client("editor")
    dashboard = page.get(reverse("dashboard")).content.decode()
    assert 'aria-label="Notifications, 1 unread"' in dashboard
    listed = page.get(reverse("notifications")).content.decode()
    assert "carla</strong>\n      mentioned you in" in listed
    assert "shot 2 of sequence 1" in listed
    assert page.post(reverse("notifications")).status_code == 302
    assert 'aria-label="Notifications"' in page.get(reverse("dashboard")).content.decode()
    assert cast.page_client("outsider").get(reverse("notifications")).status_code == 200
    assert (
        "look at this"
        not in cast.page_client("outsider").get(reverse("notifications")).content.decode()
    )


def test_a_member_removed_from_the_project_no_longer_reads_its_comments_in_notifications(
    cast: Cast, commenter
) -> None:
    post(client_of(cast, commenter), cast, shot=cast.shots[0].pk, body="@viewer secret plan")
    assert unread(cast, cast.viewer) == 1
    Membership.objects.filter(project=cast.project, user=cast.viewer).delete()
    answer = cast.client("viewer").get(reverse("api-notifications")).json()
    assert answer == {"unread": 0, "notifications": []}
    page = cast.page_client("viewer").get(reverse("notifications")).content.decode()
    assert "secret plan" not in page
