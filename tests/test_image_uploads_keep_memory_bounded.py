"""Checking an image upload stays under 64 MB, and a user has at most 2 media checks in flight.

Memory is measured in a fresh process per picture: the rise of its peak resident set (VmHWM,
reset through /proc/self/clear_refs after the imports). tracemalloc does not see Pillow's
pixels (its own allocator), and a child's ru_maxrss starts at the parent's size on Linux.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageOps

from elements_app import actions
from media import check_image
from media.image_memory import MEMORY_BUDGET_BYTES, UPRIGHT, normalised
from plumbing.upload_slots import MEDIA_CHECKS_PER_USER, slot_key, take_slot
from tests.conftest import image_bytes

pillow_heif.register_heif_opener()
REPO = Path(__file__).resolve().parent.parent
ATTACK_SIZE = (6320, 6315)  # the attacker's 170 KB PNG decoded to 160 MB
PHOTO_SIZE = (4000, 3000)
ORIENTATION = 0x0112

MEASURE = """
import gc, json, sys, time
from pathlib import Path
from media import MediaRejected, check_image
def kb(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    line = next(l for l in lines if l.startswith(field))
    return int(line.split()[1])
data = Path(sys.argv[1]).read_bytes()
gc.collect()
Path("/proc/self/clear_refs").write_text("5")
before = kb("VmRSS:")
try:
    checked = check_image(data)
    outcome = [checked.extension, checked.width, checked.height]
except MediaRejected as rejected:
    outcome = rejected.status
print(json.dumps({"rise": (kb("VmHWM:") - before) * 1024, "outcome": outcome}))
"""


def saved(picture: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def mostly_empty(mode: str = "RGB") -> Image.Image:
    picture = Image.new("RGB", ATTACK_SIZE)
    ImageDraw.Draw(picture).rectangle((100, 100, 400, 400), fill=(200, 30, 30))
    return picture.convert(mode)


def photo(size=PHOTO_SIZE) -> Image.Image:
    grain = np.random.default_rng(1).integers(0, 255, (300, 400, 3), dtype=np.uint8)
    return Image.fromarray(grain).resize(size, Image.Resampling.BILINEAR)


def turned(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return exif


def checked_in_a_fresh_process(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "upload"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# (a) Memory

ADVERSARIAL = {
    "the 170 KB PNG of 6320×6315 with alpha": lambda: saved(mostly_empty("RGBA"), "PNG"),
    "a 6320×6315 progressive JPEG": lambda: saved(
        mostly_empty(), "JPEG", progressive=True, quality=95, subsampling=0
    ),
    "a 6320×6315 WebP": lambda: saved(mostly_empty(), "WEBP", lossless=True),
    "a 6320×6315 baseline JPEG": lambda: saved(mostly_empty(), "JPEG", quality=95),
    "a 12 MP photo turned by its EXIF": lambda: saved(photo(), "JPEG", exif=turned(6)),
    "a 12 MP HEIC photo": lambda: saved(photo(), "HEIF", quality=60),
}


@pytest.mark.parametrize("case", list(ADVERSARIAL))
def test_checking_an_adversarial_image_adds_less_than_64_mb_at_its_peak(case, tmp_path):
    result = checked_in_a_fresh_process(ADVERSARIAL[case](), tmp_path)

    assert result["rise"] < MEMORY_BUDGET_BYTES, result


def test_a_12_mp_photo_is_still_checked_at_full_size_within_the_budget(tmp_path):
    result = checked_in_a_fresh_process(saved(photo(), "JPEG", quality=90), tmp_path)

    assert result["outcome"] == ["jpg", *PHOTO_SIZE]
    assert result["rise"] < MEMORY_BUDGET_BYTES


# (b) What was accepted is still accepted, stored the same


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        (image_bytes("JPEG", (1200, 900)), ("jpg", 1200, 900)),
        (image_bytes("PNG", (1000, 800), "RGBA"), ("png", 1000, 800)),
        (image_bytes("PNG", (1000, 800), "P"), ("png", 1000, 800)),
        (image_bytes("PNG", (1000, 800), "L"), ("jpg", 1000, 800)),
        (image_bytes("WEBP", (1200, 900)), ("jpg", 1200, 900)),
        (image_bytes("HEIF", (1200, 900)), ("jpg", 1200, 900)),
        (image_bytes("JPEG", (800, 600), exif=turned(6)), ("jpg", 600, 800)),
        (image_bytes("JPEG", (800, 600), "CMYK"), ("jpg", 800, 600)),
    ],
    ids=["jpeg", "rgba png", "palette png", "grey png", "webp", "heic", "turned jpeg", "cmyk"],
)
def test_an_image_accepted_before_is_stored_with_the_same_size_and_format(data, stored):
    checked = check_image(data)

    assert (checked.extension, checked.width, checked.height) == stored
    assert (
        Image.open(io.BytesIO(checked.content)).format == {"jpg": "JPEG", "png": "PNG"}[stored[0]]
    )


@pytest.mark.parametrize("orientation", [1, *UPRIGHT])
@pytest.mark.parametrize("reduce", [1, 2])
def test_the_copy_built_in_strips_is_the_upright_picture(orientation, reduce):
    source = photo((640, 410))
    exif = turned(orientation)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(saved(source, "PNG", exif=exif))))
    expected = expected.reduce(reduce) if reduce > 1 else expected

    copy = normalised(
        lambda top, bottom: source.crop((0, top, source.width, bottom)),
        source.size,
        "RGB",
        "RGB",
        None,
        orientation,
        reduce,
    )

    assert copy.size == expected.size
    assert np.abs(np.asarray(copy, np.int16) - np.asarray(expected, np.int16)).max() <= 1


# (c) Through the API


@pytest.fixture
def element(cast):
    library = actions.create_library(cast.owner, "Cast", "shared")
    return actions.create_element(library, {"handle": "Mara", "kind": "character"})


@pytest.fixture(autouse=True)
def no_slots_taken(cast):
    for user in (cast.owner, cast.editor):
        cache.delete(slot_key(user.pk))
    yield
    for user in (cast.owner, cast.editor):
        cache.delete(slot_key(user.pk))


def upload_image(cast, element, content: bytes, who: str = "owner"):
    return cast.client(who).post(
        f"/api/elements/{element.pk}/images/",
        {"image": ContentFile(content, name="a.png"), "angle": "front"},
        format="multipart",
    )


def test_an_image_too_big_to_decode_in_the_budget_gets_a_clear_error_on_its_field(
    cast, element, media_root
):
    response = upload_image(cast, element, saved(mostly_empty("RGBA"), "PNG"))

    assert response.status_code == 413, response.content
    (message,) = response.json()["image"]
    assert "6320×6315 pixels" in message
    assert "save it as a JPEG or make it smaller" in message


def test_a_frame_too_big_to_decode_in_the_budget_gets_a_clear_error_on_its_field(cast, media_root):
    response = cast.client("owner").put(
        f"/api/sequences/{cast.sequence.pk}/frames/first/",
        {"image": ContentFile(saved(mostly_empty(), "PNG"), name="f.png")},
        format="multipart",
    )

    assert response.status_code == 413, response.content
    assert "6320×6315 pixels" in response.json()["image"][0]


# (d) Media checks in flight per user


def test_a_third_upload_while_two_are_checked_is_refused_with_429(cast, element, media_root):
    for _ in range(MEDIA_CHECKS_PER_USER):
        take_slot(cast.owner.pk)  # two uploads of the owner's being checked

    response = upload_image(cast, element, image_bytes("PNG", (800, 600)))

    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) > 0
    assert "uploads being checked" in response.json()["image"][0]
    assert not element.images.exists()


def test_another_user_may_upload_while_one_user_has_two_checks_in_flight(cast, element, media_root):
    actions.share_library(element.library, cast.editor, can_edit=True)
    for _ in range(MEDIA_CHECKS_PER_USER):
        take_slot(cast.owner.pk)

    response = upload_image(cast, element, image_bytes("PNG", (800, 600)), who="editor")

    assert response.status_code == 201, response.content


def test_the_slot_is_given_back_after_a_refused_check(cast, element, media_root):
    take_slot(cast.owner.pk)

    refused = upload_image(cast, element, b"not a picture at all")
    accepted = upload_image(cast, element, image_bytes("PNG", (800, 600)))

    assert refused.status_code == 415
    assert accepted.status_code == 201, accepted.content
    assert cache.get(slot_key(cast.owner.pk)) == 1  # only the one taken here
