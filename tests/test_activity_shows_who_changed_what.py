"""The activity of a project: who changed what and when (shot edits, generations, takes chosen,
review states, membership), a burst of saves folded into one line, filterable by person,
readable by members only."""

from django.urls import reverse

from activity.models import Activity
from plumbing.query_params import OUT_OF_RANGE
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job


def activity(cast: Cast, who: str = "viewer", **params) -> list[dict]:
    url = reverse("api-project-activity", args=[cast.project.pk])
    return cast.client(who).get(url, params).json()


def lines(rows: list[dict]) -> list[str]:
    return [f"{row['actor']} {row['what']}: {row['summary']}" for row in rows]


def patch_shot(cast: Cast, who: str, index: int, **fields):
    shot = cast.shots[index]
    shot.refresh_from_db()
    url = reverse("api-shot", args=[shot.pk])
    return cast.client(who).patch(url, {"version": shot.version, **fields}, format="json")


def test_changes_through_the_api_are_listed_newest_first_with_their_author(
    cast: Cast, media_root
) -> None:
    Activity.objects.all().delete()  # the cast's own making
    patch_shot(cast, "editor", 1, text="The gull lands", duration=4)
    cast.client("owner").post(
        reverse("api-sequence-reorder", args=[cast.sequence.pk]),
        {"shot_ids": [s.pk for s in reversed(cast.shots)]},
        format="json",
    )
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    cast.client("owner").post(reverse("api-take-choose", args=[take.pk]))
    cast.client("owner").post(
        reverse("api-members", args=[cast.project.pk]),
        {"user": "outsider", "role": "commenter"},
        format="json",
    )
    assert lines(activity(cast)) == [
        "owner added a member: outsider as commenter",
        f"owner chose a take: take {take.pk} of sequence 1",
        "editor started a generation: sequence 1 with animatic",
        "owner reordered shots: sequence 1",
        "editor edited a shot: shot 2 of sequence 1: duration, text",
    ]


def test_a_burst_of_saves_of_one_shot_is_one_line(cast: Cast) -> None:
    Activity.objects.all().delete()
    for text in ("T", "Th", "The", "The g", "The gull"):
        patch_shot(cast, "editor", 0, text=text)
    patch_shot(cast, "owner", 0, text="The gull lands")
    rows = activity(cast)
    assert lines(rows) == [
        "owner edited a shot: shot 1 of sequence 1: text",
        "editor edited a shot: shot 1 of sequence 1: text",
    ]
    assert [row["times"] for row in rows] == [1, 5]


def test_the_activity_is_filtered_by_person(cast: Cast) -> None:
    Activity.objects.all().delete()
    patch_shot(cast, "editor", 0, text="Editor's")
    patch_shot(cast, "owner", 1, text="Owner's")
    mine = activity(cast, user=cast.owner.pk)
    assert [row["actor"] for row in mine] == ["owner"]
    assert activity(cast, user=cast.outsider.pk) == []
    assert activity(cast, user="nobody") == {"user": [OUT_OF_RANGE]}  # a 400
    page = cast.page_client("viewer").get(
        reverse("activity", args=[cast.project.pk]), {"person": cast.editor.pk}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "shot 1 of sequence 1: text" in html
    assert "shot 2 of sequence 1" not in html


def test_only_members_read_the_activity(cast: Cast) -> None:
    url = reverse("api-project-activity", args=[cast.project.pk])
    assert cast.client("outsider").get(url).status_code == 404
    assert cast.client(None).get(url).status_code == 401
    page = reverse("activity", args=[cast.project.pk])
    assert cast.page_client("outsider").get(page).status_code == 404


def test_the_activity_costs_the_same_queries_at_any_length(
    cast: Cast, django_assert_num_queries
) -> None:
    for i in range(30):
        patch_shot(cast, "editor" if i % 2 else "owner", i % 3, text=f"Take {i}")
    with django_assert_num_queries(2):  # the project with the role, the rows with their authors
        rows = activity(cast)
    assert len(rows) >= 6
