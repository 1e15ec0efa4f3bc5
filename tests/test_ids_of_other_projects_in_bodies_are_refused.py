"""Ids of other projects placed in request bodies (and socket messages) are refused.

The URL's object is loaded through the access functions (404 to outsiders); the ids a body
names are checked too: a shot of another sequence in a reorder, an element of a library the
project does not use as a speaker, a user who is not a member as the new owner or the member to
change, a shot, take or comment of another project under a comment, another user's
notifications, an image of another element, a shot of another project selected on the socket.
Each is a clear refusal at its field (400), or changes nothing, and never a 500; an id that
exists elsewhere is refused in the same words as one that exists nowhere, so a refusal does not
tell which ids exist. The hardest case is tried each time: the user is a member of both
projects, so loading the foreign object alone would succeed.
"""

import pytest
from django.urls import reverse

from discussion import actions as discussion_actions
from discussion.models import Comment, Notification
from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import Element, ElementImage
from media import check_image
from sharing import actions as sharing_actions
from sharing.models import ReviewLink
from storyboard_app import actions
from storyboard_app.models import DialogueLine, Membership, Project, Shot
from tests.conftest import Cast, image_bytes
from tests.job_helpers import delivered_take, queued_job
from tests.sharing_helpers import invite, sharing_rows
from tests.socket_helpers import db, member_socket, run

MISSING = 2**40  # an id no row has
NOT_A_MEMBER = {"user": ["That user is not a member of this project."]}


def all_rows() -> dict[str, list[dict]]:
    rows = sharing_rows()
    for model in (ReviewLink, Comment, Notification):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


@pytest.fixture
def db_rows():
    return all_rows


def owners_second_project(cast: Cast) -> Project:
    """Another project of the cast's owner, with a shot (one that can be generated): the owner
    may load its objects."""
    project = Project.objects.filter(owner=cast.owner, title="Second film").first()
    if project is None:
        project = actions.create_project(cast.owner, "Second film", "16:9")
        actions.add_shot(project.sequences.get(), {"duration": 5, "text": "A gull elsewhere."})
    return project


def owners_other_shot(cast: Cast) -> Shot:
    return Shot.objects.get(sequence__project=owners_second_project(cast))


def outsiders_shot(cast: Cast) -> Shot:
    sequence = Project.objects.get(owner=cast.outsider).sequences.get()
    return actions.add_shot(sequence, {"duration": 2, "text": "Not yours"})


FOREIGN_SHOTS = {
    "of the owner's other project": owners_other_shot,
    "of the outsider's project": outsiders_shot,
    "of no project": lambda cast: Shot(pk=MISSING),
}


# A reorder


@pytest.mark.parametrize("whose", FOREIGN_SHOTS)
@pytest.mark.parametrize("instead", [True, False], ids=["in place of one", "added"])
def test_a_reorder_naming_a_shot_of_another_project_is_refused(cast: Cast, db_rows, whose, instead):
    foreign = FOREIGN_SHOTS[whose](cast).pk
    own = [shot.pk for shot in reversed(cast.shots)]
    shot_ids = [*own[:-1], foreign] if instead else [*own, foreign]
    before = db_rows()

    response = cast.client("owner").post(
        reverse("api-sequence-reorder", args=[cast.sequence.pk]), {"shot_ids": shot_ids}, "json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "shot_ids": [
            "List every shot of the sequence exactly once: "
            f"it has 3 shots, the request named {len(shot_ids)}."
        ]
    }
    assert db_rows() == before


# A dialogue line's speaker element, and @mentions of elements


def outsiders_unshared_element(cast: Cast) -> Element:
    library = element_actions.create_library(cast.outsider, "Secret", "private")
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


def owners_unattached_element(cast: Cast) -> Element:
    library = element_actions.create_library(cast.owner, "Drawer", "private")
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


def element_of_another_project(cast: Cast) -> Element:
    """Of a library attached to the owner's other project (not to this one)."""
    library = element_actions.create_library(cast.owner, "Elsewhere", "private")
    element_actions.attach_library(owners_second_project(cast), library, cast.owner)
    return element_actions.create_element(library, {"handle": "Ghost", "kind": "character"})


FOREIGN_ELEMENTS = {
    "of an unshared library of the outsider": outsiders_unshared_element,
    "of the owner's library not attached": owners_unattached_element,
    "of a library of another project": element_of_another_project,
    "of no library": lambda cast: Element(pk=MISSING),
}


@pytest.mark.parametrize("whose", FOREIGN_ELEMENTS)
def test_a_shot_edit_naming_a_speaker_element_the_project_does_not_use_is_refused(
    cast: Cast, db_rows, whose
):
    element = FOREIGN_ELEMENTS[whose](cast)
    line = {"speaker_element": element.pk, "text": "Who goes there?", "language": "en"}
    before = db_rows()

    response = cast.client("owner").patch(
        reverse("api-shot", args=[cast.shots[0].pk]),
        {"version": 1, "text": "Changed too", "dialogue": [{"text": "Hello."}, line]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"dialogue": ["Line 2: that element is not in this project."]}
    assert db_rows() == before  # neither the text nor the version nor the other line


@pytest.mark.parametrize("whose", FOREIGN_ELEMENTS)
def test_a_new_shot_naming_a_speaker_element_the_project_does_not_use_is_refused(
    cast: Cast, db_rows, whose
):
    element = FOREIGN_ELEMENTS[whose](cast)
    before = db_rows()

    response = cast.client("editor").post(
        reverse("api-sequence-shots", args=[cast.sequence.pk]),
        {"duration": 2, "dialogue": [{"speaker_element": element.pk, "text": "Boo."}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"dialogue": ["Line 1: that element is not in this project."]}
    assert db_rows() == before


def test_an_element_the_project_does_not_use_is_never_bound_nor_offered_by_its_handle(cast: Cast):
    """`@Ghost` written as a speaker or in the text stays plain text: it binds no element of
    another library, the completion does not offer it and the validation names it unknown."""
    ghost = outsiders_unshared_element(cast)
    owner = cast.client("owner")

    response = owner.patch(
        reverse("api-shot", args=[cast.shots[0].pk]),
        {
            "version": 1,
            "text": "@Ghost walks in.",
            "dialogue": [{"speaker": "@Ghost", "text": "Boo"}],
        },
        format="json",
    )
    completion = owner.get(reverse("api-project-mentions", args=[cast.project.pk]), {"q": "Gh"})
    report = owner.post(
        reverse("api-sequence-validate", args=[cast.sequence.pk]), {"provider": "animatic"}, "json"
    )

    assert response.status_code == 200
    assert response.json()["dialogue"][0]["speaker_element"] is None
    assert not DialogueLine.objects.filter(speaker_element=ghost).exists()
    assert completion.status_code == 200
    assert completion.json()["elements"] == []
    errors = report.json()["errors"]
    assert "@Ghost is not an element of this project's libraries." in errors["shots.0.text"]
    speaker_errors = errors["shots.0.dialogue.0.speaker"]
    assert "@Ghost is not an element of this project's libraries." in speaker_errors


# Members and ownership


def user_ids_not_members(cast: Cast) -> dict[str, int]:
    return {"the outsider": cast.outsider.pk, "no user": MISSING}


@pytest.mark.parametrize("who", ["the outsider", "no user"])
def test_ownership_goes_only_to_a_member(cast: Cast, db_rows, who):
    user_id = user_ids_not_members(cast)[who]
    before = db_rows()

    response = cast.client("owner").post(
        reverse("api-project-transfer", args=[cast.project.pk]), {"user": user_id}, "json"
    )

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("who", ["the outsider", "no user"])
def test_a_member_change_of_a_user_of_another_project_is_refused(cast: Cast, db_rows, who, method):
    user_id = user_ids_not_members(cast)[who]
    url = reverse("api-member", args=[cast.project.pk, user_id])
    before = db_rows()

    client = cast.client("owner")
    if method == "PATCH":
        response = client.patch(url, {"role": "editor"}, format="json")
    else:
        response = client.delete(url)

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_owner_cannot_reach_a_member_of_another_project_through_their_own(
    cast: Cast, db_rows, method
):
    """The outsider owns a project too: naming the cast's viewer under it changes nothing."""
    theirs = Project.objects.get(owner=cast.outsider)
    url = reverse("api-member", args=[theirs.pk, cast.viewer.pk])
    before = db_rows()

    client = cast.client("outsider")
    if method == "PATCH":
        response = client.patch(url, {"role": "editor"}, format="json")
    else:
        response = client.delete(url)

    assert response.status_code == 400
    assert response.json() == NOT_A_MEMBER
    assert db_rows() == before
    assert Membership.objects.get(project=cast.project, user=cast.viewer).role == "viewer"


@pytest.mark.parametrize("op", ["role", "remove", "transfer"])
def test_the_sharing_page_refuses_a_user_who_is_not_a_member(cast: Cast, db_rows, op):
    client = cast.page_client("owner")  # logging in writes `last_login`: first
    before = db_rows()

    response = client.post(
        reverse("sharing", args=[cast.project.pk]),
        {"op": op, "member": cast.outsider.pk, "user": cast.outsider.pk, "role": "editor"},
        follow=True,
    )

    assert response.status_code == 200
    assert "That user is not a member of this project." in response.content.decode()
    assert db_rows() == before


@pytest.mark.parametrize("op", ["revoke", "review-revoke"])
def test_the_sharing_page_cannot_revoke_a_link_of_another_project(cast: Cast, db_rows, op):
    """The owner's other project has links: revoking them through this project's page is a
    404, as for a link that does not exist."""
    other = owners_second_project(cast)
    if op == "revoke":
        link = sharing_actions.create_invitation(other, cast.owner, "viewer")[0]
    else:
        link = sharing_actions.create_review_link(other, cast.owner)[0]
    invite(cast, "viewer")  # this project has links of its own
    sharing_actions.create_review_link(cast.project, cast.owner)
    client = cast.page_client("owner")  # logging in writes `last_login`: first
    before = db_rows()

    foreign = client.post(reverse("sharing", args=[cast.project.pk]), {"op": op, "link": link.pk})
    missing = client.post(reverse("sharing", args=[cast.project.pk]), {"op": op, "link": MISSING})

    assert foreign.status_code == missing.status_code == 404
    assert db_rows() == before


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


# The socket


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
@pytest.mark.parametrize("whose", FOREIGN_SHOTS)
def test_selecting_a_shot_of_another_project_on_the_socket_is_an_error(cast: Cast, whose):
    async def scenario():
        foreign = (await db(FOREIGN_SHOTS[whose], cast)).pk
        socket, _ = await member_socket(cast.project.pk, cast.owner)
        await socket.send({"type": "select", "shot": foreign})
        assert await socket.next_of("error") == {
            "type": "error",
            "message": "No such shot in this project.",
        }
        # Nothing was announced: the next answer is the pong, not a presence with that shot.
        await socket.send({"type": "ping"})
        while (answer := await socket.next())["type"] != "pong":
            assert answer["type"] == "presence", answer
            assert answer["shot"] is None, answer
        await socket.disconnect()

    run(scenario())
