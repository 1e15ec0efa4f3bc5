"""The PDF storyboard sheet: every shot's number, timing, framing, words and picture, in any
script, on A4 or Letter, read back with pdfminer.six."""

import io
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTFigure, LTImage
from PIL import Image

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from elements_app.access import speakers_of_project
from exports.sheet import SheetData, SheetShot, storyboard_pdf
from exports.sheet_data import sheet_data
from jobs.models import Take
from media import check_image
from storyboard_app import actions
from tests.conftest import image_bytes
from tests.job_helpers import delivered_take, queued_job

CJK = {
    "zh": "灯塔的光扫过黑色的海面。",
    "ja": "「ここで待っていて」と彼女は言った。",
    "ko": "등대 불빛이 바다를 비춘다.",
}


def _pdf_text(content: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(content)).split())


def _images(content: bytes) -> int:
    def count(item) -> int:
        if isinstance(item, LTImage):
            return 1
        if isinstance(item, LTFigure):
            return sum(count(child) for child in item)
        return 0

    return sum(count(item) for page in extract_pages(io.BytesIO(content)) for item in page)


def _edit(shot, **changes):
    shot.refresh_from_db()
    return actions.update_shot(shot, shot.version, changes)


def test_every_shot_shows_its_number_duration_framing_text_and_dialogue(cast, media_root):
    _edit(cast.shots[0], shot_size="close_up", camera_angle="low", camera_movement="push_in")
    _edit(
        cast.shots[1],
        dialogue=[{"speaker": "Tom", "text": "Get down!", "delivery": "shouting"}],
    )

    text = _pdf_text(storyboard_pdf(sheet_data(cast.project)))

    assert "Lighthouse" in text
    assert "S1 · Shot 1 — 2 s" in text
    assert "S1 · Shot 2 — 3 s" in text
    assert "S1 · Shot 3 — 4 s" in text
    assert "Close-up · Low angle · Push in" in text
    assert "Medium · Eye level · Static" in text
    for number in (1, 2, 3):
        assert f"Shot {number} action" in text
    assert "Mara: Line 1" in text
    assert "Tom: Get down! (shouting)" in text
    assert "Page 1 of 1" in text


def test_chinese_japanese_and_korean_text_is_extracted_as_written(cast, media_root):
    for shot, (language, words) in zip(cast.shots, CJK.items(), strict=True):
        _edit(shot, text=words, dialogue=[{"speaker": "林", "text": words, "language": language}])

    text = _pdf_text(storyboard_pdf(sheet_data(cast.project)))

    for words in CJK.values():
        assert words in text
        assert f"林: {words}" in text


def test_long_text_wraps_onto_lines_without_losing_a_character(cast, media_root):
    long_latin = " ".join(f"word{i}" for i in range(120))
    long_chinese = "海浪拍打着礁石" * 20
    _edit(cast.shots[0], text=long_latin)
    _edit(cast.shots[1], text=long_chinese)

    text = extract_text(io.BytesIO(storyboard_pdf(sheet_data(cast.project))))

    assert " ".join(text.split()).count("word") == 120
    assert "".join(text.split()).count("海浪拍打着礁石") == 20
    assert max(len(line) for line in text.splitlines()) < 100  # wrapped, not one long line


def test_a4_and_letter_pages_have_their_sizes(cast, media_root):
    data = sheet_data(cast.project)
    sizes = {}
    for paper in ("a4", "letter"):
        page = next(extract_pages(io.BytesIO(storyboard_pdf(data, paper))))
        sizes[paper] = (round(page.width), round(page.height))

    assert sizes == {"a4": (595, 842), "letter": (612, 792)}


def test_many_shots_fill_several_numbered_pages():
    shots = [SheetShot(f"S1 · Shot {i}", 2, "Wide · Eye level · Static", "x") for i in range(1, 21)]

    text = _pdf_text(storyboard_pdf(SheetData("Long film", shots)))

    assert "S1 · Shot 20" in text
    assert "Page 1 of 4" in text
    assert "Page 4 of 4" in text


def _thumbnail(media_root: Path, name: str, colour: tuple[int, int, int]) -> str:
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 180), colour).save(path, "JPEG")
    return name


def _chosen_take(cast, media_root: Path) -> Take:
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    names = [_thumbnail(media_root, f"thumbs/{i}.jpg", (200, 30, 30)) for i in range(3)]
    Take.objects.filter(pk=take.pk).update(shot_thumbnails=names)
    return take


def test_pictures_come_from_the_chosen_take_then_the_first_frame_then_an_element(cast, media_root):
    _chosen_take(cast, media_root)
    data = sheet_data(cast.project)
    assert [Path(s.picture).name for s in data.shots] == ["0.jpg", "1.jpg", "2.jpg"]
    assert _images(storyboard_pdf(data)) == 3


def test_a_taken_down_take_is_never_shown(cast, media_root):
    take = _chosen_take(cast, media_root)
    Take.objects.filter(pk=take.pk).update(removed_at=timezone.now(), removed_reason="x")

    assert [s.picture for s in sheet_data(cast.project).shots] == [None, None, None]

    frame = actions.set_sequence_frame(
        cast.sequence, "first_frame", _upload("first.jpg", image_bytes())
    )
    pictures = {s.picture for s in sheet_data(cast.project).shots}
    assert pictures == {str(media_root / frame.first_frame.name)}


def _upload(name: str, content: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(content, name=name)


def test_a_shot_without_take_or_frame_shows_the_element_it_mentions(cast, media_root):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    image = element_media.add_image(element, check_image(image_bytes()), "front")
    _edit(cast.shots[0], text="@Mara walks in.")

    data = sheet_data(cast.project)

    assert data.shots[0].picture == str(media_root / image.file.name)
    assert data.shots[1].picture is None
    pdf = storyboard_pdf(data)
    assert _images(pdf) == 1
    assert "@Mara walks in." in _pdf_text(pdf)


def test_the_data_is_gathered_in_a_fixed_number_of_queries(cast, media_root):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    element = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    element_media.add_image(element, check_image(image_bytes()), "front")
    for _ in range(3):
        sequence = actions.add_sequence(cast.project, {})
        for i in range(4):
            actions.add_shot(
                sequence,
                {"text": f"t{i}", "dialogue": [{"text": "hi"}]},
                speakers=speakers_of_project,
            )
    with CaptureQueriesContext(connection) as queries:
        data = sheet_data(cast.project)

    assert len(data.shots) == 15
    assert len(queries) == 6
