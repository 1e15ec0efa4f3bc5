"""What the PDF sheet shows of a project, gathered in a fixed number of queries (six).

Each shot's picture is the first of: its thumbnail in the sequence's chosen take (never a take
a moderator took down), the sequence's first frame, the first image of an element the shot
mentions or that speaks in it (never a removed element), else none (the sheet draws one).
"""

from django.core.files.storage import default_storage
from django.db.models import Prefetch

from elements_app.access import elements_for_project
from elements_app.models import ElementImage
from exports.sheet import SheetData, SheetLine, SheetShot
from jobs.models import Take
from script.mentions import HandleIndex, find_mentions
from storyboard_app.choices import CameraAngle, CameraMovement, ShotSize
from storyboard_app.models import DialogueLine, Project, Shot


def sheet_data(project: Project) -> SheetData:
    sequences = project.sequences.prefetch_related(
        Prefetch("shots", Shot.objects.order_by("position")),
        Prefetch("shots__dialogue", DialogueLine.objects.order_by("order", "id")),
    )
    thumbnails = {
        take.sequence_id: take.shot_thumbnails
        for take in Take.objects.filter(project=project, chosen=True, removed_at=None).only(
            "sequence_id", "shot_thumbnails"
        )
    }
    first_images = _element_pictures(project.pk)
    handles = HandleIndex(first_images)
    shots = []
    for number, sequence in enumerate(sequences, start=1):
        frame = _path(sequence.first_frame.name) if sequence.first_frame else None
        taken = thumbnails.get(sequence.pk, [])
        for shot in sequence.shots.all():
            lines = list(shot.dialogue.all())
            picture = _path(taken[shot.position]) if shot.position < len(taken) else None
            picture = picture or frame or _mentioned(shot, lines, handles, first_images)
            shots.append(
                SheetShot(
                    number=f"S{number} · Shot {shot.position + 1}",
                    duration=shot.duration,
                    framing=" · ".join(_labels(shot)),
                    text=shot.text,
                    lettering=shot.lettering,
                    sound_notes=shot.sound_notes,
                    dialogue=[
                        SheetLine(line.speaker, line.text, line.delivery, line.voice_over)
                        for line in lines
                    ],
                    picture=picture,
                )
            )
    return SheetData(title=project.title, shots=shots)


def _labels(shot: Shot) -> list[str]:
    return [
        ShotSize(shot.shot_size).label,
        CameraAngle(shot.camera_angle).label,
        CameraMovement(shot.camera_movement).label,
    ]


def _element_pictures(project_id: int) -> dict[str, str]:
    """Handle → path of the first image, for the project's usable elements that have one."""
    elements = elements_for_project(project_id).prefetch_related(
        Prefetch("images", ElementImage.objects.order_by("position", "id"))
    )
    pictures = {}
    for element in elements:
        images = list(element.images.all())
        if images and (path := _path(images[0].file.name)):
            pictures[element.handle] = path
    return pictures


def _mentioned(shot: Shot, lines: list, handles: HandleIndex, pictures: dict) -> str | None:
    speakers = [line.speaker[1:] for line in lines if line.speaker.startswith("@")]
    named = [m.handle for m in find_mentions(shot.text, handles) if m.handle] + speakers
    folded = {handle.casefold(): path for handle, path in pictures.items()}
    for handle in named:
        if path := folded.get(handle.strip().casefold()):
            return path
    return None


def _path(name: str) -> str | None:
    """The file's path on disk, or None if it is not stored (the sheet shows a placeholder)."""
    if not name:
        return None
    try:
        path = default_storage.path(name)
    except (NotImplementedError, ValueError):  # ValueError: a name escaping the storage root
        return None
    return path if default_storage.exists(name) else None
