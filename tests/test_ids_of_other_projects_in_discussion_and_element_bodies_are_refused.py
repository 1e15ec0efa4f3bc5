"""Ids of other projects in comment, notification and element image bodies are refused: a
comment on a shot, take or thread of another project, a mention of someone outside the
project (nobody is notified), marking someone else's notifications read, and an image of
another element in an image reorder. Each refusal changes nothing.
"""

import pytest
from django.urls import reverse

from discussion import actions as discussion_actions
from discussion.models import Comment, Notification
from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import ElementImage
from media import check_image
from storyboard_app.models import Shot
from tests.conftest import Cast, image_bytes
from tests.foreign_id_helpers import (
    MISSING,
    all_rows,
    owners_other_shot,
    owners_second_project,
)
from tests.job_helpers import delivered_take, queued_job


@pytest.fixture
def db_rows():
    return all_rows


# Comments and notifications


def comments_url(cast: Cast) -> str:
    return reverse("api-project-comments", args=[cast.project.pk])


def owners_other_take(cast: Cast):
    project = owners_second_project(cast)
    return delivered_take(queued_job(cast.owner, project.sequences.get()))


def owners_other_comment(cast: Cast) -> Comment:
    project = owners_second_project(cast)
    shot = Shot.objects.get(sequence__project=project)
    return discussion_actions.post_comment(project, cast.owner, "Elsewhere", shot=shot)


FOREIGN_TARGETS = {
    "shot": owners_other_shot,
    "take": owners_other_take,
    "parent": owners_other_comment,
}


@pytest.mark.parametrize("field", FOREIGN_TARGETS)
@pytest.mark.parametrize("where", ["of the owner's other project", "of no project"])
def test_a_comment_on_a_shot_take_or_thread_of_another_project_is_refused(
    cast: Cast, db_rows, media_root, field, where
):
    target = FOREIGN_TARGETS[field](cast).pk if where != "of no project" else MISSING
    before = db_rows()

    response = cast.client("owner").post(
        comments_url(cast), {field: target, "body": "Which shot is this?"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {field: [f"No such {field} in this project."]}
    assert db_rows() == before


def test_a_mention_of_someone_outside_the_project_notifies_nobody(cast: Cast):
    response = cast.client("owner").post(
        comments_url(cast), {"shot": cast.shots[0].pk, "body": "@outsider @editor look"}, "json"
    )

    assert response.status_code == 201
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["editor"]


def test_marking_the_notifications_of_someone_else_read_changes_nothing(cast: Cast, db_rows):
    discussion_actions.post_comment(
        cast.project, cast.owner, "@editor the gull", shot=cast.shots[0]
    )
    theirs = list(Notification.objects.values_list("pk", flat=True))
    before = db_rows()

    response = cast.client("viewer").post(
        reverse("api-notifications-read"), {"ids": theirs}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"marked": 0}
    assert db_rows() == before


# Images of an element


def test_an_image_reorder_naming_an_image_of_another_element_is_refused(
    cast: Cast, db_rows, media_root
):
    library = element_actions.create_library(cast.owner, "Cast", "private")
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    tomas = element_actions.create_element(library, {"handle": "Tomas", "kind": "character"})
    for element, angle in ((mara, "front"), (mara, "side"), (tomas, "front")):
        element_media.add_image(element, check_image(image_bytes()), angle)
    own = list(ElementImage.objects.filter(element=mara).values_list("pk", flat=True))
    foreign = ElementImage.objects.get(element=tomas).pk
    before = db_rows()

    response = cast.client("owner").post(
        reverse("api-element-images-reorder", args=[mara.pk]),
        {"image_ids": [own[1], foreign]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "image_ids": [
            "List every image of the element exactly once: it has 2 images, the request named 2."
        ]
    }
    assert db_rows() == before
