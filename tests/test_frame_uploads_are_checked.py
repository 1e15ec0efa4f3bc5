"""First and end frames: checked by content, re-encoded without metadata, served only to members."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from media import MediaRejected, check_image
from media import images as media_images
from storyboard_app.models import Sequence
from tests.conftest import image_bytes

MAKER_TAG = 0x010F
ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKER_TAG] = "SecretCam"
    exif[ORIENTATION_TAG] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return exif


def png_claiming(width: int, height: int) -> bytes:
    """A tiny real PNG whose IHDR header is rewritten to claim `width` × `height` pixels."""
    data = bytearray(image_bytes("PNG", (8, 8)))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def frame_url(sequence: Sequence, which: str = "first") -> str:
    return reverse("api-sequence-frame", args=[sequence.pk, which])


def upload(client, sequence: Sequence, content: bytes, name: str = "frame.jpg", which="first"):
    file = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.put(frame_url(sequence, which), {"image": file}, format="multipart")


def stored_path(media_root: Path, url: str) -> Path:
    assert url.startswith("/media/private/projects/")
    return media_root / url.removeprefix("/media/")


# Accepted uploads


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "jpg"), ("WEBP", "jpg")])
@pytest.mark.parametrize("which", ["first", "end"])
def test_a_real_image_is_accepted_and_stored_as_a_private_frame(
    cast, media_root, fmt, extension, which
):
    response = upload(cast.client("editor"), cast.sequence, image_bytes(fmt), which=which)

    assert response.status_code == 200
    url = response.json()[f"{which}_frame"]
    assert url.startswith(f"/media/private/projects/{cast.project.pk}/frames/{which}")
    assert url.endswith(f".{extension}")
    other = "end" if which == "first" else "first"
    assert response.json()[f"{other}_frame"] is None
    assert response.json()["version"] == 2
    with Image.open(stored_path(media_root, url)) as stored:
        assert stored.size == (800, 450)


def test_a_png_with_transparency_stays_a_png_with_its_alpha(cast, media_root):
    response = upload(
        cast.client("owner"), cast.sequence, image_bytes("PNG", mode="RGBA"), name="a.png"
    )

    url = response.json()["first_frame"]
    assert url.endswith(".png")
    with Image.open(stored_path(media_root, url)) as stored:
        assert (stored.format, stored.mode) == ("PNG", "RGBA")


def test_exif_and_gps_are_stripped_from_the_stored_jpeg(cast, media_root):
    original = image_bytes("JPEG", exif=exif_with_gps())
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD), "the upload does carry GPS data"
    assert b"SecretCam" in original

    response = upload(cast.client("owner"), cast.sequence, original)

    stored = stored_path(media_root, response.json()["first_frame"]).read_bytes()
    assert b"SecretCam" not in stored
    assert b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert dict(picture.getexif()) == {}
        assert picture.getexif().get_ifd(GPS_IFD) == {}


def test_text_chunks_and_exif_are_stripped_from_the_stored_png(cast, media_root):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "shot at 48.85N 2.29E by SecretCam")
    original = image_bytes("PNG", mode="RGBA", pnginfo=info, exif=exif_with_gps())

    response = upload(cast.client("owner"), cast.sequence, original, name="a.png")

    stored = stored_path(media_root, response.json()["first_frame"]).read_bytes()
    assert b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert "Comment" not in picture.info
        assert dict(picture.getexif()) == {}


def test_the_exif_orientation_is_applied_before_it_is_dropped(cast, media_root):
    rotated = image_bytes("JPEG", (800, 450), exif=exif_with_gps(orientation=6))

    response = upload(cast.client("owner"), cast.sequence, rotated)

    with Image.open(stored_path(media_root, response.json()["first_frame"])) as stored:
        assert stored.size == (450, 800)
        assert ORIENTATION_TAG not in stored.getexif()


def test_the_file_name_of_the_upload_is_not_used(cast, media_root):
    response = upload(cast.client("owner"), cast.sequence, image_bytes(), name="../../evil.php")

    url = response.json()["first_frame"]
    assert "evil" not in url
    assert url.startswith(f"/media/private/projects/{cast.project.pk}/frames/first")
    assert [p.name for p in media_root.rglob("*") if p.is_file()] == [Path(url).name]


# Served back privately


@pytest.fixture
def stored_frame(cast, media_root) -> tuple[str, bytes]:
    response = upload(cast.client("owner"), cast.sequence, image_bytes("JPEG"))
    url = response.json()["first_frame"]
    return url, stored_path(media_root, url).read_bytes()


@pytest.mark.parametrize("who", ["viewer", "editor", "owner"])
def test_the_stored_frame_is_served_to_members_at_its_url(cast, stored_frame, who):
    url, content = stored_frame

    response = cast.page_client(who).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content) == content


def test_the_stored_frame_is_not_found_for_an_outsider(cast, stored_frame):
    response = cast.page_client("outsider").get(stored_frame[0])

    assert response.status_code == 404


def test_the_stored_frame_sends_an_anonymous_visitor_to_log_in(cast, stored_frame):
    response = cast.page_client(None).get(stored_frame[0])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    "path",
    [
        "projects/{project}/frames/../../../../etc/passwd",
        "projects/{project}/frames/%2e%2e/%2e%2e/secret",
        "projects/{project}/frames/missing.jpg",
        "projects/{project}/",
        "projects/{foreign}/frames/first.jpg",
        "elsewhere/first.jpg",
    ],
)
def test_paths_outside_a_members_project_files_are_not_found(cast, stored_frame, path):
    foreign = cast.outsider.owned_projects.get().pk
    url = "/media/private/" + path.format(project=cast.project.pk, foreign=foreign)

    response = cast.page_client("owner").get(url)

    assert response.status_code == 404


def test_a_new_frame_replaces_the_old_file_once_committed(
    cast, media_root, stored_frame, django_capture_on_commit_callbacks
):
    old_path = stored_path(media_root, stored_frame[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(cast.client("owner"), cast.sequence, image_bytes("PNG", (600, 600)))

    new_url = response.json()["first_frame"]
    assert new_url != stored_frame[0]
    assert not old_path.exists()
    assert cast.page_client("owner").get(new_url).status_code == 200
    assert cast.page_client("owner").get(stored_frame[0]).status_code == 404


def test_delete_clears_the_frame_and_removes_its_file(
    cast, media_root, stored_frame, django_capture_on_commit_callbacks
):
    path = stored_path(media_root, stored_frame[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client("editor").delete(frame_url(cast.sequence))

    assert response.status_code == 200
    assert response.json()["first_frame"] is None
    cast.sequence.refresh_from_db()
    assert not cast.sequence.first_frame
    assert not path.exists()
    assert cast.page_client("owner").get(stored_frame[0]).status_code == 404


def test_delete_of_a_frame_that_was_never_set_is_harmless(cast, media_root):
    response = cast.client("owner").delete(frame_url(cast.sequence, "end"))

    assert response.status_code == 200
    assert response.json()["end_frame"] is None


# Refused uploads


REFUSED = {
    "a text file named .jpg": (b"just some notes, not a picture\n" * 20, 415, "JPEG, PNG or WebP"),
    "an empty file": (b"", 400, "empty"),
    "a GIF": (image_bytes("GIF"), 415, "This is a GIF file"),
    "a BMP": (image_bytes("BMP"), 415, "This is a BMP file"),
    "a cut-off JPEG": (image_bytes("JPEG")[:2000], 415, "not a readable"),
    "a JPEG header and noise": (image_bytes("JPEG")[:200] + b"\x00" * 5000, 415, "not a readable"),
    "a too small image": (image_bytes("JPEG", (299, 400)), 400, "at least 300 px"),
    "a thumbnail": (image_bytes("PNG", (64, 64)), 400, "at least 300 px"),
    "a panorama": (image_bytes("JPEG", (1600, 600)), 400, "2.5:1"),
    "a PNG claiming 50000×50000": (png_claiming(50_000, 50_000), 413, "too large to decode"),
    "a PNG claiming 7000×7000": (png_claiming(7000, 7000), 413, "the limit is 40 megapixels"),
    "an 11 MB upload": (image_bytes("JPEG") + b"\x00" * (11 * 2**20), 413, "the limit is 10 MB"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_upload_that_is_not_an_acceptable_image_is_refused_and_nothing_is_stored(
    cast, media_root, db_rows, case
):
    content, status, says = REFUSED[case]
    before = db_rows()

    response = upload(cast.client("owner"), cast.sequence, content)

    assert response.status_code == status, response.content[:300]
    assert list(response.json()) == ["image"]
    assert says in response.json()["image"][0]
    assert db_rows() == before
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_a_refused_upload_keeps_the_previous_frame(cast, media_root, stored_frame):
    response = upload(cast.client("owner"), cast.sequence, b"not an image")

    assert response.status_code == 415
    assert (
        cast.client("owner")
        .get(reverse("api-sequence", args=[cast.sequence.pk]))
        .json()["first_frame"]
        == (stored_frame[0])
    )
    assert stored_path(media_root, stored_frame[0]).read_bytes() == stored_frame[1]


# check_image on its own


def test_check_image_returns_a_clean_jpeg_with_its_size():
    checked = check_image(image_bytes("JPEG", (800, 450), exif=exif_with_gps()))

    assert (checked.extension, checked.width, checked.height) == ("jpg", 800, 450)
    with Image.open(io.BytesIO(checked.content)) as picture:
        assert (picture.format, picture.size, picture.mode) == ("JPEG", (800, 450), "RGB")
        assert dict(picture.getexif()) == {}


@pytest.mark.parametrize(
    ("mode", "extension", "out_mode"),
    [("RGBA", "png", "RGBA"), ("LA", "png", "RGBA"), ("P", "png", "RGBA"), ("RGB", "jpg", "RGB")],
)
def test_check_image_keeps_alpha_only_where_a_png_may_have_it(mode, extension, out_mode):
    checked = check_image(image_bytes("PNG", (400, 400), mode=mode))

    assert checked.extension == extension
    with Image.open(io.BytesIO(checked.content)) as picture:
        assert picture.mode == out_mode


def test_check_image_turns_a_cmyk_jpeg_into_rgb():
    checked = check_image(image_bytes("JPEG", (400, 400), mode="CMYK"))

    with Image.open(io.BytesIO(checked.content)) as picture:
        assert picture.mode == "RGB"


@pytest.mark.parametrize(
    ("size", "ok"), [((300, 300), True), ((750, 300), True), ((751, 300), False)]
)
def test_check_image_allows_sides_of_at_least_300_px_differing_by_at_most_2_5(size, ok):
    if ok:
        checked = check_image(image_bytes("PNG", size))
        assert (checked.width, checked.height) == size
    else:
        with pytest.raises(MediaRejected) as refused:
            check_image(image_bytes("PNG", size))
        assert refused.value.status == 400


def test_check_image_refuses_a_decompression_bomb_before_decoding_it(monkeypatch):
    bomb = png_claiming(50_000, 50_000)

    def no_decoding(*args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)

    with pytest.raises(MediaRejected) as refused:
        check_image(bomb)
    assert refused.value.status == 413


def test_check_image_refuses_a_real_1_bit_png_over_40_megapixels():
    out = io.BytesIO()
    Image.new("1", (8000, 5001)).save(out, "PNG")
    big = out.getvalue()
    assert len(big) < 1_000_000, "a 1-bit PNG of one colour compresses to almost nothing"

    with pytest.raises(MediaRejected) as refused:
        check_image(big)

    assert refused.value.status == 413
    assert "8000×5001" in refused.value.message


def test_check_image_measures_bytes_before_anything_else(monkeypatch):
    monkeypatch.setattr(media_images.Image, "open", lambda *a, **k: pytest.fail("opened"))

    with pytest.raises(MediaRejected) as refused:
        check_image(b"\x00" * (media_images.MAX_IMAGE_BYTES + 1))

    assert refused.value.status == 413


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0" + b"\x00" * 100, b"%PDF-1.7"]
)
def test_check_image_refuses_fragments_and_other_formats_with_415(data):
    with pytest.raises(MediaRejected) as refused:
        check_image(data)

    assert refused.value.status == 415
