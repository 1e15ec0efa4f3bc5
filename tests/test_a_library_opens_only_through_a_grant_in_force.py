"""Every way a user can come to read a library, and who may read it after each grant ends.

A library (with a reference image and a voice) is read by its owner, by the users it is shared
with while it is shared, and through a project it is attached to by the project's members —
but only while the attachment was made by someone who still may attach it: its owner, or an
editor the owner allowed to. Reading is checked on the library API, the element API and the
element's files under /media/private/ alike: all answer 200, or all 404.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from elements_app import actions
from elements_app import media_actions as element_media
from elements_app.models import Element, ElementLibrary, ProjectLibrary
from media import check_image, check_voice
from sharing import actions as sharing_actions
from storyboard_app import actions as project_actions
from storyboard_app.choices import Role
from storyboard_app.models import Project
from tests.conftest import image_bytes, make_user
from tests.media_samples import speech_wav
from tests.socket_helpers import db as in_thread
from tests.socket_helpers import member_socket, run

pytestmark = pytest.mark.django_db

READS = (200, 200, 200, 200)
NOTHING = (404, 404, 404, 404)


def reads(user: User, element: Element) -> tuple[int, ...]:
    """What the user gets for the library, the element, its image and its voice."""
    client = Client()
    client.force_login(user)
    urls = [
        f"/api/libraries/{element.library_id}/",
        f"/api/elements/{element.pk}/",
        element.images.get().file.url,
        element.voice.file.url,
    ]
    return tuple(client.get(url).status_code for url in urls)


def attach(user: User, project: Project, library: ElementLibrary) -> int:
    client = Client()
    client.force_login(user)
    return client.post(f"/api/projects/{project.pk}/libraries/{library.pk}/").status_code


def project_of(owner: User, *members: tuple[User, str]) -> Project:
    project = project_actions.create_project(owner, f"{owner.username}'s film")
    for user, role in members:
        sharing_actions.add_member(project, user.username, role)
    return project


@pytest.fixture
def people() -> dict[str, User]:
    return {
        name: make_user(name)
        for name in ("alice", "reader", "writer", "sharer", "viewer", "friend", "stranger")
    }


@pytest.fixture
def element(people, media_root, tmp_path) -> Element:
    """Alice's library, shared: read-only with `reader`, for editing with `writer`, for editing
    and attaching with `sharer`. Its element has a picture and a voice."""
    library = actions.create_library(people["alice"], "Faces and voices", "shared")
    actions.share_library(library, people["reader"], can_edit=False)
    actions.share_library(library, people["writer"], can_edit=True)
    actions.share_library(library, people["sharer"], can_edit=True, can_attach=True)
    mara = actions.create_element(library, {"handle": "Mara", "kind": "character"})
    element_media.add_image(mara, check_image(image_bytes()), "front")
    voice = speech_wav(
        tmp_path / "voice.wav",
        "I am Mara, and this is my own voice. Keep it safe, and do not let anyone borrow it.",
    )
    element_media.set_voice(mara, check_voice(str(voice)))
    return mara


def test_the_owner_and_the_people_it_is_shared_with_read_it(people, element):
    for name in ("alice", "reader", "writer", "sharer"):
        assert reads(people[name], element) == READS, name
    for name in ("viewer", "friend", "stranger"):
        assert reads(people[name], element) == NOTHING, name


def test_unsharing_or_making_it_private_closes_it_at_once(people, element):
    library = element.library
    actions.unshare_library(library, people["reader"])
    assert reads(people["reader"], element) == NOTHING

    actions.update_library(library, {"visibility": "private"})
    for name in ("writer", "sharer"):
        assert reads(people[name], element) == NOTHING, name
    assert reads(people["alice"], element) == READS


def test_members_read_it_through_a_project_the_owner_attached_it_to(people, element):
    film = project_of(people["alice"], (people["viewer"], Role.VIEWER))
    assert attach(people["alice"], film, element.library) == 201
    assert reads(people["viewer"], element) == READS

    sharing_actions.remove_member(film, people["viewer"].pk)
    assert reads(people["viewer"], element) == NOTHING


def test_a_reader_through_a_project_cannot_carry_it_into_a_project_of_their_own(people, element):
    """The attack: a viewer of the owner's project attaches the library to their own project
    and adds a friend. Attaching needs the right to share the library."""
    film = project_of(people["alice"], (people["viewer"], Role.VIEWER))
    attach(people["alice"], film, element.library)
    theirs = project_of(people["viewer"], (people["friend"], Role.VIEWER))

    assert attach(people["viewer"], theirs, element.library) == 403
    assert not ProjectLibrary.objects.filter(project=theirs).exists()
    assert reads(people["friend"], element) == NOTHING


@pytest.mark.parametrize("who", ["reader", "writer"])
def test_a_share_without_the_right_to_attach_cannot_attach(people, element, who):
    theirs = project_of(people[who], (people["friend"], Role.VIEWER))
    assert attach(people[who], theirs, element.library) == 403
    assert reads(people["friend"], element) == NOTHING


def test_an_editor_allowed_to_attach_opens_it_to_their_project(people, element):
    theirs = project_of(people["sharer"], (people["friend"], Role.VIEWER))
    assert attach(people["sharer"], theirs, element.library) == 201
    assert reads(people["friend"], element) == READS


@pytest.mark.parametrize(
    "end_the_grant",
    [
        pytest.param(lambda lib, u: actions.unshare_library(lib, u), id="unshared"),
        pytest.param(
            lambda lib, u: actions.share_library(lib, u, can_edit=True), id="right-to-attach-taken"
        ),
        pytest.param(
            lambda lib, u: actions.update_library(lib, {"visibility": "private"}),
            id="made-private",
        ),
        pytest.param(lambda lib, u: u.delete(), id="attacher-deleted"),
    ],
)
def test_when_the_attacher_loses_the_right_the_project_loses_the_library(
    people, element, end_the_grant
):
    theirs = project_of(people["stranger"], (people["sharer"], Role.EDITOR))
    sharing_actions.add_member(theirs, people["friend"].username, Role.VIEWER)
    assert attach(people["sharer"], theirs, element.library) == 201
    assert reads(people["friend"], element) == READS

    end_the_grant(element.library, people["sharer"])

    assert reads(people["friend"], element) == NOTHING
    assert reads(people["stranger"], element) == NOTHING
    assert reads(people["alice"], element) == READS


def test_a_lapsed_attachment_left_in_the_database_opens_nothing(people, element):
    """An attachment made under the old rule by someone who only could read (as after an
    upgrade) is inert: the rule is read on every request, not only when grants change."""
    theirs = project_of(people["reader"], (people["friend"], Role.VIEWER))
    ProjectLibrary.objects.create(
        project=theirs, library=element.library, attached_by=people["reader"]
    )
    assert reads(people["friend"], element) == NOTHING
    assert reads(people["reader"], element) == READS  # the reader still reads by their share


def test_deleting_the_project_closes_what_it_opened(people, element):
    film = project_of(people["alice"], (people["viewer"], Role.VIEWER))
    attach(people["alice"], film, element.library)
    project_actions.delete_project(film)
    assert reads(people["viewer"], element) == NOTHING


def test_the_owner_sees_every_attachment_and_detaches_any(people, element):
    mine = project_of(people["alice"])
    attach(people["alice"], mine, element.library)
    theirs = project_of(people["stranger"], (people["sharer"], Role.EDITOR))
    sharing_actions.add_member(theirs, people["friend"].username, Role.VIEWER)
    attach(people["sharer"], theirs, element.library)
    owner = Client()
    owner.force_login(people["alice"])
    url = f"/api/libraries/{element.library_id}/attachments/"

    listed = owner.get(url).json()

    assert listed["hidden"] == 1
    projects = {row["attached_by"]: row["project"] for row in listed["attachments"]}
    assert projects == {"alice": {"id": mine.pk, "title": mine.title}, "sharer": None}
    assert all(row["in_force"] for row in listed["attachments"])
    hidden = next(row["id"] for row in listed["attachments"] if row["project"] is None)
    assert owner.delete(f"{url}{hidden}/").status_code == 204
    assert reads(people["friend"], element) == NOTHING
    assert owner.get(url).json()["hidden"] == 0


def test_only_the_owner_lists_or_detaches_attachments(people, element):
    theirs = project_of(people["sharer"])
    attach(people["sharer"], theirs, element.library)
    attachment = ProjectLibrary.objects.get(project=theirs)
    url = f"/api/libraries/{element.library_id}/attachments/"
    for name, status in (("sharer", 403), ("reader", 403), ("stranger", 404)):
        client = Client()
        client.force_login(people[name])
        assert client.get(url).status_code == status, name
        assert client.delete(f"{url}{attachment.pk}/").status_code == status, name
    assert ProjectLibrary.objects.filter(pk=attachment.pk).exists()


def test_the_right_to_attach_needs_the_right_to_edit(people, element):
    owner = Client()
    owner.force_login(people["alice"])
    response = owner.post(
        f"/api/libraries/{element.library_id}/shares/",
        {"username": "reader", "can_edit": False, "can_attach": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "edit" in response.json()["can_attach"][0]


def test_a_project_import_attaches_only_libraries_the_importer_may_attach(people, element):
    """Importing a project that names the library attaches it only for someone who may."""
    from exports.project_json import _libraries_for

    named = [{"library": element.library.name, "handle": "Mara"}]
    assert _libraries_for(people["reader"], named)[0] == []
    assert [lib.pk for lib in _libraries_for(people["sharer"], named)[0]] == [element.library_id]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_keys")
def test_open_editors_hear_at_once_when_the_library_leaves_their_project(people, element):
    theirs = project_of(people["stranger"], (people["sharer"], Role.EDITOR))
    attach(people["sharer"], theirs, element.library)

    async def scenario():
        editor, _ = await member_socket(theirs.pk, people["stranger"])
        await in_thread(actions.unshare_library, element.library, people["sharer"])
        await editor.next_of("elements.changed")
        await editor.disconnect()

    run(scenario())
    assert reads(people["stranger"], element) == NOTHING


def test_the_listing_says_who_may_attach_so_the_editor_offers_only_those(people, element):
    expected = {"alice": True, "sharer": True, "writer": False, "reader": False}
    for name, may in expected.items():
        client = Client()
        client.force_login(people[name])
        listed = client.get("/api/libraries/").json()
        assert [row["can_attach"] for row in listed] == [may], name
        detail = client.get(f"/api/libraries/{element.library_id}/").json()
        assert detail["can_attach"] is may, name
