"""A whole project as JSON (or a zip with its frames) and back: the round trip is exact, and
malformed or hostile files are refused with a message at the field, writing nothing."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from elements_app import actions as element_actions
from elements_app.access import speakers_of_project
from exports.import_checks import ImportRefused
from exports.project_json import export_project, import_project
from storyboard_app import actions
from storyboard_app.models import Project
from tests.conftest import image_bytes


def _document(project, media=False) -> dict:
    content, kind = export_project(project, with_media=media)
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return json.loads(archive.read("project.json"))
    return json.loads(content)


def _upload(content: bytes, name="project.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def rich(cast, media_root):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    sequence = actions.add_sequence(cast.project, {"title": "海边", "seed": 7, "mode": "auto"})
    actions.add_shot(
        sequence,
        {
            "shot_size": "close_up",
            "text": "@Mara 看着灯塔。",
            "dialogue": [
                {"speaker": "@Mara", "text": "ここで待って", "language": "ja", "delivery": "soft"},
                {"speaker": "민수", "text": "안녕", "language": "ko", "voice_over": True},
            ],
        },
        speakers=speakers_of_project,
    )
    return cast


def test_export_import_export_gives_the_same_document(rich):
    before = _document(rich.project)

    project, missing = import_project(rich.owner, _upload(json.dumps(before).encode()))

    assert missing == []
    assert project.pk != rich.project.pk
    assert _document(project) == before
    assert before["elements"] == [{"handle": "Mara", "library": "Cast"}]
    line = project.sequences.get(position=1).shots.get().dialogue.first()
    assert line.speaker_element.handle == "Mara"


def test_a_zip_with_the_frames_round_trips_too(rich):
    actions.set_sequence_frame(
        rich.sequence, "first_frame", ContentFile(image_bytes(), name="first.jpg")
    )
    content, kind = export_project(rich.project, with_media=True)
    assert kind == "zip"

    project, _ = import_project(rich.owner, _upload(content, "p.zip"))

    assert project.sequences.get(position=0).first_frame.name
    assert _document(project, media=True) == _document(rich.project, media=True)


def test_an_element_the_importer_cannot_use_is_reported(rich):
    content, _ = export_project(rich.project)

    project, missing = import_project(rich.outsider, _upload(content))

    assert missing == ["@Mara (Cast) was not found."]
    assert project.owner == rich.outsider


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _changed(document: dict, change) -> bytes:
    change(document)
    return json.dumps(document).encode()


def _set(path: list, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _hostile(rich) -> list[tuple[str, bytes, int, str, str]]:
    good = _document(rich.project)
    doc = lambda: json.loads(json.dumps(good))  # noqa: E731
    seq = ["sequences", 1]
    shot = [*seq, "shots", 0]
    deep = ("[" * 5000 + "]" * 5000).encode()
    bomb = _zip({"project.json": json.dumps(good).encode() + b" " * 3_000_000})
    return [
        ("not json", b"\x89PNG not json", 415, "file", "not JSON"),
        ("broken json", b'{"format": ', 415, "file", "not valid JSON"),
        ("format", _changed(doc(), _set(["format"], "other")), 400, "format", "format"),
        ("version", _changed(doc(), _set(["version"], 99)), 400, "version", "Version 99"),
        (
            "type",
            _changed(doc(), _set([*shot, "duration"], "5")),
            400,
            "sequences[1].shots[0].duration",
            "whole number",
        ),
        (
            "choice",
            _changed(doc(), _set([*shot, "shot_size"], "giant")),
            400,
            "sequences[1].shots[0].shot_size",
            "Unknown choice",
        ),
        (
            "long",
            _changed(doc(), _set([*shot, "text"], "x" * 4001)),
            400,
            "sequences[1].shots[0].text",
            "At most 4000",
        ),
        (
            "lines",
            _changed(doc(), _set([*shot, "dialogue"], [{"text": "a"}] * 21)),
            400,
            "sequences[1].shots[0].dialogue",
            "At most 20",
        ),
        (
            "sequences",
            _changed(doc(), _set(["sequences"], [good["sequences"][0]] * 51)),
            400,
            "sequences",
            "At most 50",
        ),
        (
            "shots",
            _changed(doc(), _set([*seq, "shots"], [good["sequences"][1]["shots"][0]] * 31)),
            400,
            "sequences[1].shots",
            "At most 30",
        ),
        ("deep", deep, 400, "file", "nests deeper"),
        ("bomb", bomb, 413, "file", "zip bomb"),
        (
            "traversal",
            _zip({"project.json": b"{}", "../../etc/x.jpg": b"x"}),
            400,
            "file",
            "never writes",
        ),
        (
            "not an image",
            _zip(
                {
                    "project.json": _changed(doc(), _set([*seq, "first_frame"], "media/a.jpg")),
                    "media/a.jpg": b"<?php echo 1; ?>" * 10,
                }
            ),
            415,
            "sequences[1].first_frame",
            "",
        ),
    ]


def test_each_malformed_or_hostile_file_is_refused_at_its_field_and_writes_nothing(rich, db_rows):
    before = db_rows()
    for label, content, status, field, words in _hostile(rich):
        with pytest.raises(ImportRefused) as refused:
            import_project(rich.owner, _upload(content))
        assert refused.value.status == status, label
        assert field in refused.value.errors, (label, refused.value.errors)
        assert words in " ".join(refused.value.errors[field]), (label, refused.value.errors)
    assert db_rows() == before


def test_a_zip_whose_header_lies_about_its_size_is_refused(rich):
    content = bytearray(_zip({"project.json": b'{"format": "x"}' * 50}))
    at = content.find(b"PK\x01\x02")  # the central directory's record of the member
    content[at + 24 : at + 28] = (10).to_bytes(4, "little")  # declared: 10 bytes unpacked

    with pytest.raises(ImportRefused) as refused:
        import_project(rich.owner, _upload(bytes(content)))
    assert refused.value.status in (413, 415)


def test_a_failure_halfway_leaves_no_project_and_no_file(rich, media_root, monkeypatch):
    actions.set_sequence_frame(
        rich.sequence, "first_frame", ContentFile(image_bytes(), name="first.jpg")
    )
    content, _ = export_project(rich.project, with_media=True)
    files_before = sorted(p for p in media_root.rglob("*") if p.is_file())
    count = Project.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "add_shot", boom)
    with pytest.raises(RuntimeError):
        import_project(rich.owner, _upload(content, "p.zip"))

    assert Project.objects.count() == count
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files_before
