"""The storyboard as the compiler reads it, and the job's own copy of the files it names.

`storyboard_of` reads a sequence, its shots and dialogue and the elements its project may use
into the plain dict `compiler/storyboard.py` takes (six queries whatever the size). `freeze_inputs`
gives a compiled request its own copies of the files it references (hard links where the file
system allows), so replacing a frame or an element image after the job was made never changes
what the job sends.
"""

import hashlib
import os
import shutil
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from elements_app.access import elements_for_project
from elements_app.models import ElementImage, ElementVoice
from jobs.models import RemoteElement
from jobs.providers.base import replace_files
from storyboard_app.models import (
    LINE_ROW_FIELDS,
    SEQUENCE_GENERATION_FIELDS,
    SHOT_CONTENT_FIELDS,
    DialogueLine,
    Sequence,
    Shot,
)

SEQUENCE_FIELDS = ("id", *SEQUENCE_GENERATION_FIELDS)


def _image(name: str, width: int | None = None, height: int | None = None) -> dict | None:
    if not name:
        return None
    path = Path(default_storage.path(name))
    try:
        size = path.stat().st_size
        with Image.open(path) as picture:  # reads the header only
            width, height, image_format = picture.width, picture.height, picture.format
    except (OSError, ValueError):
        return None
    return {"file": name, "width": width, "height": height, "bytes": size, "format": image_format}


def content_hash(image_names: list[str]) -> str:
    """Which images an element had: a provider's copy of it is valid for exactly these."""
    return hashlib.sha256("\n".join(image_names).encode()).hexdigest()


def _elements(project_id: int) -> list[dict]:
    elements = list(
        elements_for_project(project_id)
        .order_by("handle", "id")
        .values("id", "handle", "kind", "description", "voice_language", "voice_accent")
    )
    ids = [element["id"] for element in elements]
    images = defaultdict(list)
    for row in (
        ElementImage.objects.filter(element_id__in=ids)
        .order_by("element_id", "position")
        .values("element_id", "file", "width", "height")
    ):
        images[row["element_id"]].append(row)
    voices = {
        row["element_id"]: {"file": row["file"], "duration": row["duration"]}
        for row in ElementVoice.objects.filter(element_id__in=ids).values(
            "element_id", "file", "duration"
        )
    }
    remote = defaultdict(dict)
    for row in RemoteElement.objects.filter(element_id__in=ids).values(
        "element_id", "provider", "content_hash", "remote_id"
    ):
        remote[row["element_id"]][(row["provider"], row["content_hash"])] = row["remote_id"]
    for element in elements:
        rows = images[element["id"]]
        names = [row["file"] for row in rows]
        current = content_hash(names)
        element["images"] = [
            picture for row in rows if (picture := _image(row["file"])) is not None
        ]
        element["voice"] = voices.get(element["id"])
        element["content_hash"] = current
        element["remote_ids"] = {
            provider: remote_id
            for (provider, digest), remote_id in remote[element["id"]].items()
            if digest == current
        }
    return elements


def storyboard_of(sequence: Sequence) -> dict:
    """The compiler's input for `sequence` (see compiler/storyboard.py)."""
    row = {field: getattr(sequence, field) for field in SEQUENCE_FIELDS}
    row["first_frame"] = _image(sequence.first_frame.name)
    row["end_frame"] = _image(sequence.end_frame.name)
    shots = list(
        Shot.objects.filter(sequence=sequence)
        .order_by("position", "id")
        .values("id", *SHOT_CONTENT_FIELDS)
    )
    lines = defaultdict(list)
    for line in (
        DialogueLine.objects.filter(shot__sequence=sequence)
        .order_by("order", "id")
        .values("shot_id", *LINE_ROW_FIELDS)
    ):
        lines[line.pop("shot_id")].append(line)
    for shot in shots:
        shot["dialogue"] = lines[shot.pop("id")]
    row["shots"] = shots
    return {
        "aspect_ratio": sequence.project.aspect_ratio,
        "sequence": row,
        "elements": _elements(sequence.project_id),
    }


def project_media_dir(project_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "projects" / str(project_id)


def inputs_dir(project_id: int, external_task_id: str) -> Path:
    """The job's own copies of its input files."""
    return project_media_dir(project_id) / "jobs" / external_task_id


def takes_dir(project_id: int, job_id: int) -> Path:
    """Where the job's take is written (one subdirectory per claim, see pipeline.take_dir)."""
    return project_media_dir(project_id) / "takes" / str(job_id)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy does as well
        shutil.copyfile(source, target)


def freeze_inputs(request: dict, directory: Path) -> dict:
    """`request` with every `{"$file": storage name}` copied into `directory` and renamed to
    its name there. The caller removes `directory` if the job is not saved."""
    directory.mkdir(parents=True, exist_ok=True)
    copied: dict[str, str] = {}

    def freeze(name: str) -> str:
        if name not in copied:
            local = f"{len(copied) + 1}{Path(name).suffix.lower()}"
            _link_or_copy(Path(default_storage.path(name)), directory / local)
            copied[name] = local
        return copied[name]

    return replace_files(request, freeze)
