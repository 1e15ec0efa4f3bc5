"""A sequence's review state: draft, in review, changes requested, approved. Owners and editors
set it; approving needs a chosen take and locks the shots and the take (409, nothing changed)
until an owner or editor reopens it; approval and edits never cross (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.urls import reverse

from jobs import actions as job_actions
from jobs.access import has_chosen_take
from storyboard_app import actions
from storyboard_app.approval import SequenceLocked
from storyboard_app.models import Membership, Sequence
from tests.conftest import Cast, image_bytes, needs_postgresql
from tests.job_helpers import delivered_take, queued_job

LOCKED = "“Sequence 1” is approved: reopen it to change its shots or its take."


def review(cast: Cast, who: str, state: str):
    url = reverse("api-sequence-review", args=[cast.sequence.pk])
    return cast.client(who).post(url, {"state": state}, format="json")


@pytest.fixture
def chosen(cast: Cast, media_root):
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    job_actions.choose_take(take)
    return take


def test_owners_and_editors_set_the_state_others_cannot(cast: Cast, chosen) -> None:
    commenter = User.objects.create_user("commenter")
    Membership.objects.create(project=cast.project, user=commenter, role="commenter")
    assert review(cast, "editor", "in_review").json()["review_state"] == "in_review"
    assert review(cast, "owner", "changes_requested").json()["review_state"] == "changes_requested"
    refused = review(cast, "viewer", "approved")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Only the project's owner and editors")
    client = cast.client(None)
    client.force_authenticate(commenter)
    url = reverse("api-sequence-review", args=[cast.sequence.pk])
    assert client.post(url, {"state": "approved"}, format="json").status_code == 403
    assert review(cast, "outsider", "approved").status_code == 404
    assert review(cast, "editor", "finished").json() == {
        "state": ['"finished" is not a valid choice.']
    }
    cast.sequence.refresh_from_db()
    assert cast.sequence.review_state == "changes_requested"


def test_approving_needs_a_chosen_take(cast: Cast) -> None:
    answer = review(cast, "editor", "approved")
    assert answer.status_code == 400
    assert answer.json() == {
        "state": ["Choose a take before approving: the approval is of a take."]
    }


def edits(cast: Cast, other_take) -> dict:
    """Every change an approved sequence refuses, as a callable per name."""
    shot, sequence = cast.shots[0], cast.sequence
    client = cast.client("editor")
    return {
        "edit a shot": lambda: client.patch(
            reverse("api-shot", args=[shot.pk]), {"version": 1, "text": "x"}, format="json"
        ),
        "add a shot": lambda: client.post(
            reverse("api-sequence-shots", args=[sequence.pk]), {}, format="json"
        ),
        "duplicate a shot": lambda: client.post(reverse("api-shot-duplicate", args=[shot.pk])),
        "delete a shot": lambda: client.delete(reverse("api-shot", args=[shot.pk])),
        "reorder": lambda: client.post(
            reverse("api-sequence-reorder", args=[sequence.pk]),
            {"shot_ids": [s.pk for s in reversed(cast.shots)]},
            format="json",
        ),
        "edit the sequence": lambda: client.patch(
            reverse("api-sequence", args=[sequence.pk]),
            {"version": Sequence.objects.get(pk=sequence.pk).version, "title": "x"},
            format="json",
        ),
        "set a frame": lambda: client.put(
            reverse("api-sequence-frame", args=[sequence.pk, "first"]),
            {"image": SimpleUploadedFile("f.png", image_bytes("PNG"), "image/png")},
            format="multipart",
        ),
        "delete the sequence": lambda: client.delete(reverse("api-sequence", args=[sequence.pk])),
        "choose another take": lambda: client.post(
            reverse("api-take-choose", args=[other_take.pk])
        ),
    }


def test_an_approved_sequence_refuses_every_change_of_its_shots_and_take(
    cast: Cast, chosen, db_rows
) -> None:
    other = delivered_take(queued_job(cast.editor, cast.sequence))
    assert review(cast, "editor", "approved").json()["review_state"] == "approved"
    before = db_rows()
    for name, change in edits(cast, other).items():
        answer = change()
        assert answer.status_code == 409, (name, answer.content)
        assert answer.json() == {"detail": LOCKED}, name
    assert db_rows() == before


def test_reopening_lets_the_changes_through_again(cast: Cast, chosen) -> None:
    review(cast, "owner", "approved")
    assert review(cast, "editor", "changes_requested").status_code == 200
    answer = cast.client("editor").patch(
        reverse("api-shot", args=[cast.shots[0].pk]), {"version": 1, "text": "Better"}
    )
    assert answer.status_code == 200


def test_the_review_state_is_in_the_timeline_and_its_event(
    cast: Cast, chosen, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    sent = []
    monkeypatch.setattr("storyboard_app.events.send_now", lambda p, e, t=None: sent.append(e))
    with django_capture_on_commit_callbacks(execute=True):
        review(cast, "editor", "in_review")
    assert [(e["type"], e["sequence"]["review_state"]) for e in sent] == [
        ("sequence.updated", "in_review")
    ]
    timeline = cast.client("viewer").get(reverse("api-project-timeline", args=[cast.project.pk]))
    assert timeline.json()["sequences"][0]["review_state"] == "in_review"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_approval_waits_for_an_edit_in_flight_and_the_next_edit_is_refused(
    cast: Cast, media_root
) -> None:
    job_actions.choose_take(delivered_take(queued_job(cast.editor, cast.sequence)))
    editing, approved = threading.Event(), threading.Event()
    release = threading.Event()

    def slow_edit():
        with transaction.atomic():
            shot = cast.shots[0]
            actions.update_shot(shot, 1, {"text": "In flight"})
            editing.set()
            release.wait(10)
        connections.close_all()

    def approve():
        editing.wait(10)
        actions.set_review_state(cast.sequence, "approved", has_chosen_take)
        approved.set()
        connections.close_all()

    threads = [threading.Thread(target=slow_edit), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    editing.wait(10)
    time.sleep(0.3)
    assert not approved.is_set()  # the approval waits for the edit to commit
    release.set()
    for thread in threads:
        thread.join(10)
    assert approved.is_set()
    shot = cast.shots[0]
    shot.refresh_from_db()
    assert shot.text == "In flight"  # approved with the edit in it
    with pytest.raises(SequenceLocked):
        actions.update_shot(shot, shot.version, {"text": "Too late"})
