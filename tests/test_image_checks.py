"""check_image and thumbnail: real pictures pass re-encoded and clean, everything else gets a 4xx.

Pure: no database. Every file is made here (Pillow, pillow-heif, PNGs written byte by byte).
"""

import io
import zipfile

import numpy as np
import pytest
from PIL import Image, ImageCms

from media import MediaRejected, check_image, thumbnail
from media import images as media_images
from tests.media_samples import huge_black_png, photo, png_bytes, rgb16_png


def pixels(content: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(content))
    picture.load()
    return picture


def refused(data: bytes) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        check_image(data)
    return caught.value


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def frames(fmt: str, count: int = 3) -> bytes:
    pictures = [Image.new("RGB", (400, 400), (80 * n, 40, 200 - 50 * n)) for n in range(count)]
    out = io.BytesIO()
    pictures[0].save(out, fmt, save_all=True, append_images=pictures[1:], duration=100, loop=0)
    return out.getvalue()


# Accepted


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "jpg"), ("WEBP", "jpg")])
def test_a_photo_comes_back_re_encoded_at_its_size(fmt, extension):
    checked = check_image(photo((1200, 900), fmt))

    assert (checked.extension, checked.width, checked.height) == (extension, 1200, 900)
    assert pixels(checked.content).format == "JPEG"


def test_a_heic_photo_from_a_phone_is_accepted_as_a_jpeg():
    out = io.BytesIO()
    Image.open(io.BytesIO(photo((480, 360)))).save(out, "HEIF", quality=80)
    assert out.getvalue()[4:12] == b"ftypheic"

    checked = check_image(out.getvalue())

    assert (checked.extension, checked.width, checked.height) == ("jpg", 480, 360)
    assert pixels(checked.content).mode == "RGB"


def test_a_multi_picture_jpeg_from_a_phone_is_not_taken_for_a_polyglot():
    first, second = (Image.open(io.BytesIO(photo((800, 600), seed=n))) for n in (1, 2))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    checked = check_image(out.getvalue())

    assert (checked.extension, checked.width, checked.height) == ("jpg", 800, 600)


def test_a_cmyk_jpeg_keeps_its_colours_in_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (400, 400), (255, 0, 0, 0)).save(out, "JPEG", quality=95)  # pure cyan

    picture = pixels(check_image(out.getvalue()).content)

    assert picture.mode == "RGB"
    red, green, blue = picture.getpixel((200, 200))
    assert red < 20
    assert min(green, blue) > 235


def test_a_16_bit_grey_png_keeps_its_tones_instead_of_turning_white():
    ramp = np.tile(np.linspace(0, 65535, 600).astype(np.uint16), (400, 1))
    out = io.BytesIO()
    Image.fromarray(ramp).save(out, "PNG")
    assert Image.open(io.BytesIO(out.getvalue())).mode == "I;16"

    grey = np.asarray(pixels(check_image(out.getvalue()).content).convert("L"), np.float32)

    assert grey[:, :20].mean() < 10
    assert 110 < grey[:, 290:310].mean() < 145
    assert grey[:, -20:].mean() > 245


def test_a_16_bit_rgb_png_keeps_its_colours():
    picture = pixels(check_image(rgb16_png(400, 300)).content)

    red, green, blue = (np.asarray(picture, np.float32)[150, :, c] for c in range(3))
    assert red[:10].mean() < 10
    assert red[-10:].mean() > 245
    assert green.max() < 10
    assert 110 < blue.mean() < 145


def test_a_colour_profile_is_applied_and_then_dropped():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 120, 40)).save(out, "PNG", icc_profile=profile)

    checked = check_image(out.getvalue())

    picture = pixels(checked.content)
    assert "icc_profile" not in picture.info
    assert np.abs(np.subtract(picture.getpixel((5, 5)), (200, 120, 40))).max() <= 3


def test_a_transparent_png_stays_a_png_with_its_alpha():
    picture = Image.new("RGBA", (400, 400), (10, 200, 30, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")

    checked = check_image(out.getvalue())

    assert checked.extension == "png"
    assert pixels(checked.content).getpixel((0, 0))[3] == 0


# Refused: the test corpus


def polyglot() -> bytes:
    return photo((600, 400), "PNG") + zip_archive()


CORPUS = {
    "a zero-byte file": (b"", 415, "empty"),
    "a truncated JPEG": (photo((1200, 900))[:5000], 415, "not a readable"),
    "a truncated PNG": (photo((1200, 900), "PNG")[:5000], 415, "not a readable"),
    "a PNG with a ZIP appended": (polyglot(), 400, "extra data after the image"),
    "a JPEG with a script appended": (
        photo((600, 400)) + b"<script>alert(1)</script>",
        400,
        "extra data after the image",
    ),
    "a WebP with a shell script appended": (
        photo((600, 400), "WEBP") + b"#!/bin/sh\nrm -rf ~\n",
        400,
        "extra data after the image",
    ),
    "an SVG with a script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
        b"<script>alert(document.cookie)</script><rect width='400' height='400'/></svg>",
        415,
        "This is an SVG drawing, not a picture",
    ),
    "a text file": (b"just some notes, not a picture\n" * 20, 415, "This is a text file"),
    "a PDF": (b"%PDF-1.7\n" + b"0" * 500, 415, "This is a PDF document"),
    "an animated GIF": (frames("GIF"), 415, "animated GIF; a reference image must be a still"),
    "an animated WebP": (frames("WEBP"), 400, "animated (3 frames); a reference image must be"),
    "an animated PNG": (frames("PNG"), 400, "a reference image must be a still"),
    "a still GIF": (frames("GIF", 1), 415, "This is a GIF file"),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_a_file_that_is_not_an_acceptable_still_image_gets_a_clear_4xx(case):
    data, status, says = CORPUS[case]

    rejection = refused(data)

    assert rejection.status == status, rejection.message
    assert says in rejection.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_padding_after_the_picture_is_not_taken_for_hidden_data(fmt):
    padded = photo((600, 400), fmt) + b"\x00" * 300 + b"\xff" * 20

    assert check_image(padded).width == 600


def test_the_appended_zip_of_a_polyglot_is_named_in_the_refusal():
    assert "a ZIP archive" in refused(polyglot()).message


def test_a_real_png_of_30000_by_30000_pixels_is_refused_before_it_is_decoded(monkeypatch):
    data = huge_black_png(30_000)
    assert len(data) < 2_000_000

    def no_decoding(*args, **kwargs):
        raise AssertionError("the 900-megapixel image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)

    rejection = refused(data)

    assert rejection.status == 413
    assert "too large to decode" in rejection.message


def test_a_real_png_just_over_the_pixel_limit_names_its_size():
    width = 8000
    height = media_images.MAX_IMAGE_PIXELS // width + 1
    row = bytes(width // 8)
    rejection = refused(png_bytes(width, height, 1, 0, (row for _ in range(height))))

    assert rejection.status == 413
    assert f"{width}×{height} pixels" in rejection.message


def test_a_hidden_zip_after_a_heic_photo_is_refused():
    out = io.BytesIO()
    Image.open(io.BytesIO(photo((600, 400)))).save(out, "HEIF", quality=60)

    rejection = refused(out.getvalue() + zip_archive())

    assert rejection.status == 400
    assert "extra data after the image" in rejection.message


# Thumbnails


def test_a_thumbnail_is_a_small_jpeg_of_the_same_shape_without_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    original = photo((1600, 1200), quality=90, exif=exif)
    assert b"SecretCam" in original

    small = thumbnail(original, 256)

    picture = pixels(small)
    assert (picture.format, picture.size) == ("JPEG", (256, 192))
    assert dict(picture.getexif()) == {}
    assert b"SecretCam" not in small


def test_a_thumbnail_of_a_transparent_image_is_a_webp_with_its_alpha():
    out = io.BytesIO()
    Image.new("RGBA", (600, 300), (255, 0, 0, 0)).save(out, "PNG")

    picture = pixels(thumbnail(check_image(out.getvalue()).content, 200))

    assert (picture.format, picture.mode, picture.size) == ("WEBP", "RGBA", (200, 100))
    assert picture.getpixel((10, 10))[3] == 0


def test_a_thumbnail_is_never_larger_than_its_image():
    picture = pixels(thumbnail(check_image(photo((400, 300))).content, 1024))

    assert picture.size == (400, 300)


@pytest.mark.parametrize("side", [0, 8, 5000])
def test_a_thumbnail_size_out_of_range_is_a_programming_error(side):
    with pytest.raises(ValueError, match="max_side"):
        thumbnail(photo((400, 300)), side)


@pytest.mark.parametrize("data", [b"", b"not an image", photo((400, 300))[:300]])
def test_a_thumbnail_of_something_that_is_not_a_picture_is_refused(data):
    with pytest.raises(MediaRejected) as caught:
        thumbnail(data, 256)

    assert caught.value.status == 415
