"""A whole project as one JSON document, and back: `export_project` and `import_project`.

The document (`format`, `version`) holds the project's fields, its sequences with their
settings and their shots with dialogue. Elements are named by `@handle` in the text (as the
storyboard writes them) and listed once with their library's name, never by id: an import
attaches the importing user's library of that name that holds the handle, or reports it.

With media, the export is a zip of `project.json` and the sequences' first and end frames
(`media/…`). Takes are not exported: they are generated results, rebuilt by generating again,
and a moderator's decisions about them must not be undone by an import. Review states, versions,
ids and dates are not exported either: an import is a new draft project.

Titles and speakers are written on one line (exports/plain_text.py); the texts keep their line
breaks, which JSON escapes, as a shot's action may well run over several lines.
"""

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from elements_app import actions as element_actions
from elements_app.access import attachable_libraries, elements_for_project, speakers_of_project
from exports.import_checks import (
    DOCUMENT_NAME,
    FORMAT,
    MAX_IMPORT_BYTES,
    MAX_SEQUENCES,
    VERSION,
    Checker,
    ImportRefused,
    parse,
    read_zip,
    refuse,
)
from exports.plain_text import one_line
from media import MediaRejected, check_image
from script import rules
from script.mentions import find_mentions
from storyboard_app import actions
from storyboard_app.choices import FIELD_CHOICES
from storyboard_app.models import (
    LINE_CONTENT_FIELDS,
    MAX_TITLE_CHARS,
    SEQUENCE_CONTENT_FIELDS,
    SHOT_CONTENT_FIELDS,
    Project,
)

FRAMES = ("first_frame", "end_frame")
# What a sequence gets when the document leaves a field out (the model's defaults).
SEQUENCE_DEFAULTS = {"title": "", "prompt": "", "negative_prompt": "", "native_audio": True}
ZIP_MAGIC = b"PK\x03\x04"


# Export


def export_project(project: Project, with_media: bool = False) -> tuple[bytes, str]:
    """The document as JSON bytes, or a zip with the frames: (content, "json" or "zip")."""
    media: dict[str, str] = {}
    sequences = []
    for number, sequence in enumerate(
        project.sequences.prefetch_related("shots__dialogue"), start=1
    ):
        row = {name: getattr(sequence, name) for name in SEQUENCE_CONTENT_FIELDS}
        row["title"] = one_line(row["title"]).strip()
        for field in FRAMES:
            stored = getattr(sequence, field).name
            row[field] = None
            if with_media and stored and default_storage.exists(stored):
                suffix = PurePosixPath(stored).suffix.lower().replace(".jpeg", ".jpg")
                row[field] = f"media/sequence-{number}-{field.split('_')[0]}{suffix}"
                media[row[field]] = stored
        row["shots"] = [
            {
                **{name: getattr(shot, name) for name in SHOT_CONTENT_FIELDS},
                "dialogue": [
                    {
                        **{name: getattr(line, name) for name in LINE_CONTENT_FIELDS},
                        "speaker": one_line(line.speaker).strip(),
                    }
                    for line in shot.dialogue.all()
                ],
            }
            for shot in sequence.shots.all()
        ]
        sequences.append(row)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "project": {"title": one_line(project.title).strip(), "aspect_ratio": project.aspect_ratio},
        "elements": _elements_named(project, sequences),
        "sequences": sequences,
    }
    content = json.dumps(document, ensure_ascii=False, indent=1).encode()
    if not with_media:
        return content, "json"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, content)
        for name, stored in media.items():
            with default_storage.open(stored, "rb") as source:
                archive.writestr(name, source.read())
    return out.getvalue(), "zip"


def _elements_named(project: Project, sequences: list[dict]) -> list[dict]:
    """The project's elements its shots mention or give lines to, with their library's name."""
    usable = {
        e.handle.casefold(): e for e in elements_for_project(project.pk).select_related("library")
    }
    handles = [e.handle for e in usable.values()]
    named = set()
    for sequence in sequences:
        for shot in sequence["shots"]:
            named |= {m.handle.casefold() for m in find_mentions(shot["text"], handles) if m.handle}
            named |= {
                line["speaker"][1:].strip().casefold()
                for line in shot["dialogue"]
                if line["speaker"].startswith("@")
            }
    found = [usable[key] for key in named if key in usable]
    return sorted(
        ({"handle": e.handle, "library": e.library.name} for e in found),
        key=lambda item: (item["handle"].casefold(), item["library"]),
    )


# Import


def import_project(user, upload) -> tuple[Project, list[str]]:
    """A new project of `user` rebuilt from an export, and notes on elements not found.
    `ImportRefused` (400/413/415, messages per field) when anything is wrong: nothing written."""
    if upload.size > MAX_IMPORT_BYTES:
        refuse(f"The file is over {MAX_IMPORT_BYTES // 2**20} MB.", 413)
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    media: dict[str, bytes] = {}
    if raw.startswith(ZIP_MAGIC):
        unpacked = read_zip(raw)
        raw, media = unpacked.document, unpacked.media
    document = _checked(parse(raw), media)
    frames = _checked_frames(document, media)
    libraries, missing = _libraries_for(user, document["elements"])
    saved: list[str] = []
    try:
        with transaction.atomic():
            project = _build(user, document, frames, libraries, saved)
    except BaseException:
        for name in saved:  # the transaction is undone: its files go too
            default_storage.delete(name)
        raise
    return project, missing


def _checked(document: object, media: dict[str, bytes]) -> dict:
    if not isinstance(document, dict):
        refuse("The document must be a JSON object.")
    if document.get("format") != FORMAT:
        refuse(f"This is not a project export: its format must be {FORMAT!r}.", at="format")
    if document.get("version") != VERSION:
        refuse(
            f"Version {str(document.get('version'))[:20]} is not one this server reads "
            f"(it reads version {VERSION}).",
            at="version",
        )
    check = Checker()
    project = document.get("project")
    if not isinstance(project, dict):
        refuse("Must be an object.", at="project")
    check.text(project, "title", "project.title", MAX_TITLE_CHARS, blank=False)
    _choice(check, project, "aspect_ratio", "project")
    for i, element in enumerate(check.items(document, "elements", "elements", 1000)):
        check.text(element, "handle", f"elements[{i}].handle", 40, blank=False)
        check.text(element, "library", f"elements[{i}].library", 120, blank=False)
    for i, sequence in enumerate(check.items(document, "sequences", "sequences", MAX_SEQUENCES)):
        _check_sequence(check, sequence, f"sequences[{i}]", media)
    if check.errors:
        raise ImportRefused(check.errors)
    return document


def _choice(check: Checker, row: dict, name: str, at: str) -> None:
    check.choice(row, name, f"{at}.{name}", FIELD_CHOICES[name].values)


def _check_sequence(check: Checker, sequence: dict, at: str, media: dict) -> None:
    check.text(sequence, "title", f"{at}.title", MAX_TITLE_CHARS)
    _choice(check, sequence, "mode", at)
    check.text(sequence, "prompt", f"{at}.prompt", rules.MAX_TEXT_STORED)
    check.text(sequence, "negative_prompt", f"{at}.negative_prompt", rules.MAX_TEXT_STORED)
    low, high = rules.MIN_SEQUENCE_SECONDS, rules.MAX_SEQUENCE_SECONDS
    check.number(sequence, "auto_duration", f"{at}.auto_duration", low, high)
    _choice(check, sequence, "model_family", at)
    check.flag(sequence, "native_audio", f"{at}.native_audio", default=True)
    _choice(check, sequence, "quality", at)
    check.number(sequence, "seed", f"{at}.seed", 0, rules.MAX_SEED, null=True)
    for field in FRAMES:
        name = sequence.get(field)
        if name is not None and name not in media:
            check.fail(f"{at}.{field}", "Names a file the zip does not hold.")
    for j, shot in enumerate(check.items(sequence, "shots", f"{at}.shots", rules.MAX_SHOTS_STORED)):
        here = f"{at}.shots[{j}]"
        low, high = rules.MIN_SHOT_SECONDS, rules.MAX_SHOT_SECONDS_STORED
        check.number(shot, "duration", f"{here}.duration", low, high)
        for name in ("shot_size", "camera_angle", "camera_movement", "transition"):
            _choice(check, shot, name, here)
        for name in ("text", "lettering", "sound_notes"):
            check.text(shot, name, f"{here}.{name}", rules.MAX_TEXT_STORED)
        limit = rules.MAX_DIALOGUE_LINES_STORED
        for k, line in enumerate(check.items(shot, "dialogue", f"{here}.dialogue", limit)):
            where = f"{here}.dialogue[{k}]"
            short = rules.MAX_SHORT_TEXT_STORED
            check.text(line, "speaker", f"{where}.speaker", short)
            check.text(line, "text", f"{where}.text", rules.MAX_TEXT_STORED, blank=False)
            _choice(check, line, "language", where)
            check.text(line, "delivery", f"{where}.delivery", short)
            check.flag(line, "voice_over", f"{where}.voice_over")


def _checked_frames(document: dict, media: dict[str, bytes]) -> dict[str, object]:
    """Each frame the document names, checked as an image is on upload."""
    frames = {}
    for i, sequence in enumerate(document["sequences"]):
        for field in FRAMES:
            if (name := sequence.get(field)) is not None:
                try:
                    frames[name] = check_image(media[name])
                except MediaRejected as rejected:
                    refuse(rejected.message, rejected.status, at=f"sequences[{i}].{field}")
    return frames


def _libraries_for(user, elements: list[dict]) -> tuple[list, list[str]]:
    """The libraries the user may attach that hold the named elements, and the names of those
    not found (a library only shared with the user to read is not theirs to attach)."""
    libraries, missing = {}, []
    for element in elements:
        library = (
            attachable_libraries(user)
            .filter(
                name=element["library"],
                elements__handle__iexact=element["handle"],
                elements__removed_at__isnull=True,
            )
            .order_by("id")
            .first()
        )
        if library is None:
            missing.append(f"@{element['handle']} ({element['library']}) was not found.")
        else:
            libraries[library.pk] = library
    return list(libraries.values()), missing


def _build(user, document: dict, frames: dict, libraries: list, saved: list[str]) -> Project:
    fields = document["project"]
    project = actions.create_project(user, fields["title"], fields["aspect_ratio"])
    for library in libraries:  # before the shots: their `@speakers` bind to these elements
        element_actions.attach_library(project, library, user)
    first = project.sequences.get()
    if not document["sequences"]:
        actions.delete_sequence(first)
    for i, row in enumerate(document["sequences"]):
        settings = {
            name: row.get(name, SEQUENCE_DEFAULTS.get(name)) for name in SEQUENCE_CONTENT_FIELDS
        }
        if i == 0:
            sequence = actions.update_sequence(first, first.version, settings)
        else:
            sequence = actions.add_sequence(project, settings)
        for field in FRAMES:
            if (name := row.get(field)) is not None:
                checked = frames[name]
                upload = ContentFile(checked.content, name=f"{field}.{checked.extension}")
                sequence = actions.set_sequence_frame(sequence, field, upload)
                saved.append(getattr(sequence, field).name)
        for shot in row.get("shots", []):
            data = {name: shot[name] for name in SHOT_CONTENT_FIELDS if name in shot}
            data["dialogue"] = [
                {name: line[name] for name in LINE_CONTENT_FIELDS if name in line}
                for line in shot.get("dialogue", [])
            ]
            actions.add_shot(sequence, data, speakers=speakers_of_project)
    return project
