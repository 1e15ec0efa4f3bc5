"""Element uploads through the API: refusals leave no file and no row; what is kept is private."""

import pytest
from django.core.files.base import ContentFile

from elements_app import actions
from elements_app.models import ElementImage, ElementVideo, ElementVoice
from tests.conftest import image_bytes
from tests.media_samples import speech_wav, tone, video, write_wav


@pytest.fixture
def element(cast):
    library = actions.create_library(cast.owner, "Cast", "shared")
    actions.share_library(library, cast.viewer, can_edit=False)
    return actions.create_element(library, {"handle": "Mara", "kind": "character"})


def stored_files(media_root) -> list:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def upload(cast, element, kind: str, field: str, name: str, content: bytes, who="owner"):
    return cast.client(who).post(
        f"/api/elements/{element.pk}/{kind}/",
        {field: ContentFile(content, name=name)},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("kind", "field", "name", "content", "status"),
    [
        ("images", "image", "a.jpg", b"", 400),
        ("images", "image", "a.jpg", b"plain text, not a picture", 415),
        ("images", "image", "a.jpg", image_bytes()[:500], 415),
        ("images", "image", "tiny.png", image_bytes("PNG", (120, 90)), 400),
        ("video", "video", "clip.mp4", image_bytes("PNG"), 415),
        ("voice", "audio", "voice.mp3", b"ID3 but really just text" * 20, 415),
    ],
    ids=["empty", "text", "truncated", "too small", "png as mp4", "text as mp3"],
)
def test_a_refused_upload_leaves_no_file_and_no_row(
    cast, element, media_root, kind, field, name, content, status
):
    response = upload(cast, element, kind, field, name, content)

    assert response.status_code == status, response.content
    assert response.json()[field]
    assert stored_files(media_root) == []
    assert not ElementImage.objects.exists()
    assert not ElementVideo.objects.exists()
    assert not ElementVoice.objects.exists()


def test_a_short_video_is_refused_with_its_length(cast, element, media_root, tmp_path):
    clip = video(tmp_path / "short.mp4", 2, size=(1280, 720))
    response = upload(cast, element, "video", "video", "short.mp4", clip.read_bytes())
    assert response.status_code == 400
    assert "3 to 8 s" in response.json()["video"][0]
    assert stored_files(media_root) == []


def test_a_tone_is_not_a_voice(cast, element, media_root, tmp_path):
    clip = write_wav(tmp_path / "tone.wav", tone(4.0))
    response = upload(cast, element, "voice", "audio", "tone.wav", clip.read_bytes())
    assert response.status_code == 400
    assert stored_files(media_root) == []


def test_a_reference_video_gives_key_frames_and_its_speech_as_the_voice(
    cast, element, media_root, tmp_path, django_capture_on_commit_callbacks
):
    sound = speech_wav(tmp_path / "v.wav", "Hold the rope, I am coming aboard now, hold it.")
    clip = video(tmp_path / "ref.mp4", 4, size=(1280, 720), sound=sound)
    response = upload(cast, element, "video", "video", "ref.mp4", clip.read_bytes())

    assert response.status_code == 200, response.content
    data = response.json()
    assert 3 <= len([i for i in data["images"] if i["source"] == "video"]) <= 5
    assert data["video"]["duration"] == pytest.approx(4.0, abs=0.1)
    assert data["voice"]["source"] == "video"
    # The voice plays from the private media view, with Range for seeking.
    reader = cast.page_client("viewer")
    ranged = reader.get(data["voice"]["url"], headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206
    assert cast.page_client("outsider").get(data["voice"]["url"]).status_code == 404
    # Replacing the video removes the old file and the frames taken from it.
    with django_capture_on_commit_callbacks(execute=True):
        again = upload(cast, element, "video", "video", "ref.mp4", clip.read_bytes())
    assert again.status_code == 200
    videos = [p for p in stored_files(media_root) if p.suffix == ".mp4"]
    assert len(videos) == 1


def test_a_thumbnail_is_made_once_per_image_and_size(cast, element, media_root):
    image = upload(cast, element, "images", "image", "front.jpg", image_bytes()).json()
    url = f"/api/element-images/{image['id']}/thumbnail/?size=160"
    first = cast.client("viewer").get(url)
    made = stored_files(media_root)
    second = cast.client("viewer").get(url)

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/jpeg"
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)
    assert stored_files(media_root) == made
    assert len([p for p in made if "thumbs" in p.parts]) == 1
    assert cast.client("viewer").get(url.replace("160", "161")).status_code == 404
    assert cast.client("outsider").get(url).status_code == 404
