"""A title or a shot's text full of CR, LF and other control characters adds nothing to an export.

The same reel is exported clean, then with every title, speaker and text replaced by a string
that tries to inject EDL records ("\\n* FROM CLIP NAME: evil\\n001  AX  V  C  …") and control
characters XML 1.0 cannot carry. The EDL keeps the clean one's lines one for one (its events
and clip names exactly), both Final Cut XML files parse with no control character in any value,
the JSON documents keep titles on one line, the zip's names are plain, and every download's
Content-Disposition is one clean header line.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.urls import reverse

from exports.plain_text import attachment, one_line
from storyboard_app.models import DialogueLine, Project, Sequence, Shot
from tests.export_helpers import Reel, make_reel

# Every control character but NUL (which PostgreSQL cannot store), and the separators.
CONTROLS = "".join(chr(c) for c in [*range(1, 32), *range(0x7F, 0xA0)]) + "\u2028\u2029"
EVENT = "001  AX       V     C        00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00"
EVIL = f"Night\r\n* FROM CLIP NAME: evil\n{EVENT}\r\nFCM: DROP FRAME\x0b\x0c\x1c\x1d\x1e\x85"
EVIL_TEXT = EVIL + "\u2028\u2029\x07\x1b[31m" + CONTROLS
# What a title becomes: one line, without the spaces the folding left at its end.
TITLE = "Night * FROM CLIP NAME: evil " + EVENT + " FCM: DROP FRAME"
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
EVENT_LINE = re.compile(r"^\d{3}\s")
CLEAN_DISPOSITION = re.compile(r"""attachment; filename(="[^"\\\x00-\x1f]+"|\*=utf-8''[\w%.-]+)""")


@pytest.fixture
def reel(cast, media_root) -> Reel:
    return make_reel(cast)


def dirty(reel: Reel) -> None:
    """Every title and text of the project becomes the injection attempt."""
    project = reel.cast.project
    Project.objects.filter(pk=project.pk).update(title=EVIL)
    Sequence.objects.filter(project=project).update(title=EVIL)
    Shot.objects.filter(sequence__project=project).update(text=EVIL_TEXT, lettering=EVIL)
    DialogueLine.objects.filter(shot__sequence__project=project).update(
        speaker=EVIL, text=EVIL_TEXT, delivery=EVIL
    )


def export(reel: Reel, kind: str, query: str = ""):
    url = reverse(f"api-project-export-{kind}", args=[reel.cast.project.pk])
    response = reel.cast.client("viewer").get(url + query)
    assert response.status_code == 200, kind
    return response


def text_of(response) -> str:
    return response.content.decode()


def assert_one_clean_header(response) -> None:
    disposition = response["Content-Disposition"]
    assert CLEAN_DISPOSITION.fullmatch(disposition), disposition


def test_the_edl_keeps_the_clean_projects_lines_one_for_one(reel: Reel) -> None:
    clean = text_of(export(reel, "edl")).splitlines()
    dirty(reel)
    answered = export(reel, "edl")
    lines = text_of(answered).splitlines()

    assert len(lines) == len(clean)
    assert [line for line in lines if EVENT_LINE.match(line)] == [
        line for line in clean if EVENT_LINE.match(line)
    ]
    assert [line for line in lines if line.startswith("* FROM CLIP NAME")] == [
        line for line in clean if line.startswith("* FROM CLIP NAME")
    ]
    # Line for line the same kind of record: only the title's and the markers' words differ.
    assert [line.split(":")[0] for line in lines] == [line.split(":")[0] for line in clean]
    assert not any(CONTROL.search(line) for line in lines)
    assert lines[0] == f"TITLE: {TITLE}"
    assert_one_clean_header(answered)


@pytest.mark.parametrize("kind", ["fcp7", "fcpx"])
def test_the_final_cut_xml_parses_with_no_control_character_in_any_value(
    reel: Reel, kind: str
) -> None:
    dirty(reel)
    answered = export(reel, kind)
    root = ET.fromstring(answered.content)  # XML 1.0: a control character would not parse

    values = [
        value for element in root.iter() for value in (element.text, *element.attrib.values())
    ]
    written = [value for value in values if value and value.strip()]
    assert any("FROM CLIP NAME: evil" in value for value in written)  # the title is there
    assert [value for value in written if CONTROL.search(value)] == []
    assert_one_clean_header(answered)


def test_the_otio_export_names_are_on_one_line(reel: Reel) -> None:
    dirty(reel)
    answered = export(reel, "otio")
    timeline = json.loads(answered.content)

    assert timeline["name"] == TITLE
    assert_one_clean_header(answered)


def test_the_zip_of_the_timeline_and_its_takes_has_plain_names(reel: Reel) -> None:
    dirty(reel)
    answered = export(reel, "edl", "?media=1")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answered.streaming_content)))

    names = archive.namelist()
    assert names
    assert not any(CONTROL.search(name) for name in names)
    assert all(re.fullmatch(r"[\w.-]+(/[\w.-]+)?", name) for name in names), names
    assert_one_clean_header(answered)


def test_the_project_document_keeps_titles_and_speakers_on_one_line(reel: Reel) -> None:
    dirty(reel)
    url = reverse("api-project-export-json", args=[reel.cast.project.pk])
    answered = reel.cast.client("viewer").get(url)
    document = json.loads(answered.content)

    assert document["project"]["title"] == TITLE
    assert {sequence["title"] for sequence in document["sequences"]} == {TITLE}
    speakers = {
        line["speaker"]
        for sequence in document["sequences"]
        for shot in sequence["shots"]
        for line in shot["dialogue"]
    }
    assert speakers == {TITLE}
    assert_one_clean_header(answered)


def test_the_pdf_sheet_is_drawn_and_downloads_under_a_clean_name(reel: Reel) -> None:
    dirty(reel)
    url = reverse("api-project-export-pdf", args=[reel.cast.project.pk])
    answered = reel.cast.client("viewer").get(url)

    assert answered.status_code == 200
    assert answered.content.startswith(b"%PDF-")
    assert_one_clean_header(answered)


def test_one_line_folds_every_control_character_and_separator_to_a_space() -> None:
    assert one_line("a\r\nb\x0bc\x0cd\x1ce\x85f\u2028g\u2029h\x00i\x7fj") == "a b c d e f g h i j"
    assert one_line(CONTROLS) == " "
    assert one_line("Café — 東京 «ok»\t") == "Café — 東京 «ok» "
    assert one_line(None) == ""


def test_a_download_name_is_one_quoted_header_line() -> None:
    assert attachment('a "b"\r\nSet-Cookie: x.edl') == (
        'attachment; filename="a \\"b\\" Set-Cookie: x.edl"'
    )
    assert attachment("東京.edl") == "attachment; filename*=utf-8''%E6%9D%B1%E4%BA%AC.edl"
