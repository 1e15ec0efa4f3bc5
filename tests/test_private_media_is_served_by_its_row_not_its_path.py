"""A private file is served only at the exact name its database row holds.

Every kind of private file (a take's video, poster and shot thumbnail, a sequence's frame, an
element's picture and voice) answers 200 to a member at its own URL, and 404 at every other
spelling of it (`//`, `/./`, `..`, a trailing slash, a backslash, a percent-encoded `./`),
so a taken-down file cannot be reached by writing its path another way. A file on disk that no
row holds is served to no one.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.models import ElementVideo
from media import check_image, check_voice
from moderation import cases
from moderation_desk import actions as moderation_actions
from storyboard_app import actions
from tests.conftest import Cast, image_bytes
from tests.job_helpers import delivered_take, queued_job
from tests.media_samples import speech_wav
from tests.role_helpers import FullCast, with_more_roles

PREFIX = "/media/"


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    return with_more_roles(cast)


@pytest.fixture
def take(cast: FullCast, media_root):
    made = delivered_take(queued_job(cast.editor, cast.sequence))
    directory = Path(made.video.path).parent
    (directory / "poster.jpg").write_bytes(b"\xff\xd8poster")
    (directory / "shot-1.jpg").write_bytes(b"\xff\xd8thumbnail")
    made.shot_thumbnails = [f"{made.video.name.rsplit('/', 1)[0]}/shot-1.jpg"]
    made.save(update_fields=["shot_thumbnails"])
    return made


@pytest.fixture
def element(cast: FullCast, media_root, tmp_path):
    library = element_actions.create_library(cast.owner, "Cast", "private")
    element_actions.attach_library(cast.project, library, cast.owner)
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    element_media.add_image(mara, check_image(image_bytes()), "front")
    voice = speech_wav(tmp_path / "v.wav", "This is the voice of Mara, clear and slow, for a test.")
    element_media.set_voice(mara, check_voice(str(voice)))
    # The reference video's row and file (what is stored, not how it was checked, matters here).
    reference = ElementVideo(element=mara, duration=4.0, width=640, height=360, fps=25.0)
    reference.file.save("reference.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    return mara


@pytest.fixture
def names(cast: FullCast, take, element) -> dict[str, str]:
    frame = ContentFile(image_bytes(), name="first.jpg")
    sequence = actions.set_sequence_frame(cast.sequence, "first_frame", frame)
    return {
        "take video": take.video.name,
        "take poster": take.poster.name,
        "shot thumbnail": take.shot_thumbnails[0],
        "sequence frame": sequence.first_frame.name,
        "element image": element.images.get().file.name,
        "element voice": element.voice.file.name,
        "element video": element.video.file.name,
    }


def spellings(name: str) -> list[str]:
    """Other ways of writing the path of `name` that a lax server would take for it."""
    head, _, tail = name.partition("/projects/")
    if not tail:
        head, _, tail = name.partition("/libraries/")
        middle = "libraries"
    else:
        middle = "projects"
    first, rest = tail.split("/", 1)
    return [
        f"{head}/{middle}/{first}//{rest}",
        f"{head}/{middle}/{first}/./{rest}",
        f"{head}/{middle}/x/../{first}/{rest}",
        f"{head}//{middle}/{first}/{rest}",
        f"{name}/",
        f"{head}/{middle}/{first}/{rest.replace('/', '//')}",
        f"{head}/{middle}/{first}/.%2F{rest}",
        f"{head}/{middle}/{first}\\{rest}",
    ]


def member(cast: FullCast) -> Client:
    return cast.page_client("editor")


def test_each_file_answers_at_its_own_name_and_at_no_other(cast: FullCast, names):
    client = member(cast)
    for kind, name in names.items():
        assert client.get(PREFIX + name).status_code == 200, kind
        for other in spellings(name):
            assert client.get(PREFIX + other).status_code == 404, (kind, other)


def test_a_taken_down_take_is_reached_by_no_spelling(cast: FullCast, take, names):
    case, _ = cases.file_report(cast.moderator, "take", take.pk, "violence", "")
    moderation_actions.take_down(case.pk, cast.moderator, "Violence.")
    client = member(cast)
    for kind in ("take video", "take poster", "shot thumbnail"):
        name = names[kind]
        for spelling in [name, *spellings(name)]:
            assert client.get(PREFIX + spelling).status_code == 404, (kind, spelling)


def test_a_taken_down_element_is_reached_by_no_spelling(cast: FullCast, element, names):
    case, _ = cases.file_report(cast.moderator, "element", element.pk, "likeness", "")
    moderation_actions.take_down(case.pk, cast.moderator, "A real person's face.")
    client = member(cast)
    for kind in ("element image", "element voice", "element video"):
        for spelling in [names[kind], *spellings(names[kind])]:
            assert client.get(PREFIX + spelling).status_code == 404, (kind, spelling)


def test_a_file_no_row_holds_is_served_to_no_one(cast: FullCast, take, element):
    """A stray file in a take's or an element's folder (an old thumbnail, a leftover of a crash)
    is not a file of any row: even the project's owner gets 404."""
    strays = [
        Path(take.video.path).parent / "stray.mp4",
        Path(element.images.get().file.path).parent / "stray.jpg",
    ]
    for stray in strays:
        stray.write_bytes(b"not for anyone")
        name = stray.relative_to(settings.MEDIA_ROOT).as_posix()
        for who in ("owner", "editor"):
            assert cast.page_client(who).get(PREFIX + name).status_code == 404, (who, name)


def test_strangers_get_404_and_anonymous_users_the_login_page(cast: FullCast, names):
    for kind, name in names.items():
        assert cast.page_client("outsider").get(PREFIX + name).status_code == 404, kind
        assert cast.page_client(None).get(PREFIX + name).status_code == 302, kind


# The file fields of every model, each with the kind above that proves it is served: a new file
# field must be added here, with its finder and a case in `names`, or this test fails.
COVERED_FIELDS = {
    ("jobs.Take", "video"): "take video",
    ("jobs.Take", "poster"): "take poster",
    ("storyboard_app.Sequence", "first_frame"): "sequence frame",
    ("storyboard_app.Sequence", "end_frame"): "sequence frame",
    ("elements_app.ElementImage", "file"): "element image",
    ("elements_app.ElementVoice", "file"): "element voice",
    ("elements_app.ElementVideo", "file"): "element video",
}


def test_every_file_field_of_every_model_is_declared_here():
    from django.apps import apps
    from django.db.models import FileField

    fields = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    }
    assert fields == set(COVERED_FIELDS)
