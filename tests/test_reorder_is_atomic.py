"""Shot positions stay 0..n-1, unique and dense, through reorders, adds, duplicates and deletes."""

import itertools
import threading

import pytest
from django.db import connection
from django.urls import reverse

from storyboard_app import actions
from storyboard_app.models import Sequence, Shot
from tests.conftest import needs_postgresql


def reorder_url(sequence: Sequence) -> str:
    return reverse("api-sequence-reorder", args=[sequence.pk])


def order_of(sequence: Sequence) -> list[int]:
    """The shot ids of a sequence by position, after checking the positions are 0..n-1."""
    rows = list(
        Shot.objects.filter(sequence=sequence).order_by("position").values_list("position", "pk")
    )
    assert [position for position, _ in rows] == list(range(len(rows))), rows
    return [pk for _, pk in rows]


def test_a_reorder_listing_every_shot_applies_that_order_with_positions_0_to_n(cast):
    new_order = [cast.shots[2].pk, cast.shots[0].pk, cast.shots[1].pk]

    response = cast.client("editor").post(
        reorder_url(cast.sequence), {"shot_ids": new_order}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"shot_ids": new_order}
    assert order_of(cast.sequence) == new_order


def test_the_timeline_shows_shots_in_their_new_order(cast):
    new_order = [cast.shots[1].pk, cast.shots[2].pk, cast.shots[0].pk]
    client = cast.client("owner")

    client.post(reorder_url(cast.sequence), {"shot_ids": new_order}, format="json")

    timeline = client.get(reverse("api-project-timeline", args=[cast.project.pk])).json()
    shots = timeline["sequences"][0]["shots"]
    assert [shot["id"] for shot in shots] == new_order
    assert [shot["position"] for shot in shots] == [0, 1, 2]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_every_permutation_of_the_shots_can_be_applied(cast, order):
    new_order = [cast.shots[i].pk for i in order]

    response = cast.client("owner").post(
        reorder_url(cast.sequence), {"shot_ids": new_order}, format="json"
    )

    assert response.status_code == 200
    assert order_of(cast.sequence) == new_order


def test_the_same_order_applied_twice_is_harmless(cast):
    ids = [shot.pk for shot in cast.shots]
    client = cast.client("owner")

    for _ in range(2):
        assert (
            client.post(reorder_url(cast.sequence), {"shot_ids": ids}, format="json").status_code
            == 200
        )

    assert order_of(cast.sequence) == ids


BAD_ORDERS = {
    "one shot missing": lambda cast, other: [cast.shots[0].pk, cast.shots[1].pk],
    "an extra unknown id": lambda cast, other: [s.pk for s in cast.shots] + [999_999],
    "a shot listed twice": lambda cast, other: [
        cast.shots[0].pk,
        cast.shots[0].pk,
        cast.shots[1].pk,
    ],
    "every shot plus a duplicate": lambda cast, other: (
        [s.pk for s in cast.shots] + [cast.shots[0].pk]
    ),
    "a shot of another sequence": lambda cast, other: [
        cast.shots[0].pk,
        cast.shots[1].pk,
        other["sibling"],
    ],
    "another user's shot": lambda cast, other: [
        cast.shots[0].pk,
        cast.shots[1].pk,
        other["foreign"],
    ],
    "nothing": lambda cast, other: [],
}


@pytest.fixture
def other_shots(cast) -> dict[str, int]:
    """A shot in a second sequence of the same project, and a shot of the outsider's project."""
    sibling = actions.add_sequence(cast.project, {"title": "Night"})
    foreign_sequence = Sequence.objects.get(project__owner=cast.outsider)
    return {
        "sibling": actions.add_shot(sibling, {"duration": 2}).pk,
        "foreign": actions.add_shot(foreign_sequence, {"duration": 2}).pk,
    }


@pytest.mark.parametrize("bad", list(BAD_ORDERS))
def test_a_reorder_that_does_not_list_exactly_the_shots_is_refused_and_changes_nothing(
    cast, other_shots, db_rows, bad
):
    before = db_rows()

    response = cast.client("owner").post(
        reorder_url(cast.sequence), {"shot_ids": BAD_ORDERS[bad](cast, other_shots)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["shot_ids"]
    assert "exactly once" in response.json()["shot_ids"][0]
    assert db_rows() == before


def test_a_reorder_of_the_outsiders_sequence_is_not_found(cast, db_rows):
    foreign = Sequence.objects.get(project__owner=cast.outsider)
    shot = actions.add_shot(foreign, {"duration": 2})
    before = db_rows()

    response = cast.client("owner").post(
        reorder_url(foreign), {"shot_ids": [shot.pk]}, format="json"
    )

    assert response.status_code == 404
    assert db_rows() == before


# Adds, duplicates and deletes keep the positions dense


def shots_url(sequence: Sequence) -> str:
    return reverse("api-sequence-shots", args=[sequence.pk])


@pytest.mark.parametrize(
    ("position", "expected_index"), [(0, 0), (1, 1), (3, 3), (None, 3), (30, 3)]
)
def test_a_shot_added_at_a_position_lands_there_and_the_others_move_down(
    cast, position, expected_index
):
    body = {"duration": 2, "text": "inserted"}
    if position is not None:
        body["position"] = position

    response = cast.client("editor").post(shots_url(cast.sequence), body, format="json")

    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.json()["position"] == expected_index
    expected = [shot.pk for shot in cast.shots]
    expected.insert(expected_index, new_id)
    assert order_of(cast.sequence) == expected


def test_a_duplicate_lands_right_after_its_original_with_the_same_content(cast):
    original = cast.shots[0]

    response = cast.client("editor").post(reverse("api-shot-duplicate", args=[original.pk]))

    assert response.status_code == 201
    copy = response.json()
    assert copy["id"] != original.pk
    assert copy["position"] == 1
    assert copy["version"] == 1
    assert (copy["duration"], copy["text"]) == (original.duration, original.text)
    assert [line["text"] for line in copy["dialogue"]] == ["Line 1"]
    assert order_of(cast.sequence) == [original.pk, copy["id"], cast.shots[1].pk, cast.shots[2].pk]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_deleting_a_shot_closes_the_gap(cast, index):
    doomed = cast.shots[index]

    response = cast.client("editor").delete(reverse("api-shot", args=[doomed.pk]))

    assert response.status_code == 204
    assert order_of(cast.sequence) == [shot.pk for shot in cast.shots if shot.pk != doomed.pk]


def test_a_sequence_of_thirty_shots_refuses_a_thirty_first_and_a_duplicate(cast, db_rows):
    for _ in range(27):
        actions.add_shot(cast.sequence, {"duration": 1})
    before = db_rows()
    client = cast.client("owner")

    added = client.post(shots_url(cast.sequence), {"duration": 1}, format="json")
    copied = client.post(reverse("api-shot-duplicate", args=[cast.shots[0].pk]))

    assert (added.status_code, copied.status_code) == (400, 400)
    assert "at most 30 shots" in added.json()["detail"]
    assert db_rows() == before
    assert len(order_of(cast.sequence)) == 30


def test_a_long_mix_of_edits_keeps_positions_dense(cast):
    client = cast.client("owner")
    for step in range(12):
        ids = order_of(cast.sequence)
        if step % 4 == 0:
            client.post(
                shots_url(cast.sequence), {"duration": 1, "position": step % 3}, format="json"
            )
        elif step % 4 == 1:
            client.post(reverse("api-shot-duplicate", args=[ids[-1]]))
        elif step % 4 == 2:
            client.delete(reverse("api-shot", args=[ids[len(ids) // 2]]))
        else:
            client.post(reorder_url(cast.sequence), {"shot_ids": ids[::-1]}, format="json")
    assert len(order_of(cast.sequence)) == 3 + 6 - 3


# Concurrency (PostgreSQL)

THREADS = 6


def run_together(count: int, work) -> list[BaseException]:
    """Run `work(i)` in `count` threads released at once; each thread closes its connection."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait(timeout=10)
            work(i)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_reorders_leave_one_of_the_requested_orders_with_dense_positions(cast):
    for i in range(3):
        actions.add_shot(cast.sequence, {"duration": 1, "text": f"extra {i}"})
    ids = order_of(cast.sequence)
    orders = [ids[i:] + ids[:i] for i in range(THREADS)]  # six different rotations
    statuses: list[int] = []

    def reorder(i: int) -> None:
        response = cast.client("editor").post(
            reorder_url(cast.sequence), {"shot_ids": orders[i]}, format="json"
        )
        statuses.append(response.status_code)

    assert run_together(THREADS, reorder) == []
    assert statuses == [200] * THREADS
    assert order_of(cast.sequence) in orders


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_duplicates_deletes_and_reorders_keep_positions_dense(cast):
    statuses: list[tuple[str, int]] = []

    def mixed(i: int) -> None:
        client = cast.client("owner")
        kind = ("add", "duplicate", "reorder")[i % 3]
        if kind == "add":
            response = client.post(
                shots_url(cast.sequence), {"duration": 1, "position": 0}, format="json"
            )
        elif kind == "duplicate":
            response = client.post(reverse("api-shot-duplicate", args=[cast.shots[0].pk]))
        else:
            # Named from the three original shots: refused once another thread added one.
            response = client.post(
                reorder_url(cast.sequence),
                {"shot_ids": [s.pk for s in reversed(cast.shots)]},
                format="json",
            )
        statuses.append((kind, response.status_code))

    assert run_together(THREADS, mixed) == []
    adds = [status for kind, status in statuses if kind in ("add", "duplicate")]
    assert adds == [201] * 4
    assert {status for kind, status in statuses if kind == "reorder"} <= {200, 400}
    assert len(order_of(cast.sequence)) == 3 + 4


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_deletes_of_different_shots_leave_the_rest_dense(cast):
    for i in range(THREADS - 3):
        actions.add_shot(cast.sequence, {"duration": 1, "text": f"extra {i}"})
    ids = order_of(cast.sequence)
    keep = ids[0]
    doomed = ids[1:]
    statuses: list[int] = []

    def delete(i: int) -> None:
        if i < len(doomed):
            response = cast.client("editor").delete(reverse("api-shot", args=[doomed[i]]))
            statuses.append(response.status_code)

    assert run_together(THREADS, delete) == []
    assert statuses == [204] * len(doomed)
    assert order_of(cast.sequence) == [keep]
