"""A project's reel as plain data: its sequences in order, their shots with their dialogue, and
the take each sequence shows (the chosen one, unless a moderator took it down).

`reel_of` reads it in four queries whatever the size (sequences, shots, dialogue lines, chosen
takes with their job's frozen storyboard); `exports/edit.py` turns it into a timeline and
`exports/edit_import.py` compares an edited timeline with it, so neither touches the database.
"""

from collections import defaultdict
from pathlib import Path

import av
from django.core.files.storage import default_storage

from jobs.models import Take
from storyboard_app.models import (
    LINE_CONTENT_FIELDS,
    SHOT_ROW_FIELDS,
    DialogueLine,
    Project,
    Sequence,
    Shot,
)

DEFAULT_FPS = 24


def media_name(sequence_number: int, take_id: int, path: str) -> str:
    """The take's file name in an export: every take is stored as `video.mp4`, so the name says
    which sequence and take it is (and starts with the sequence, which is what an EDL's eight
    character reel name keeps)."""
    return f"S{sequence_number:02d}-take-{take_id}{Path(path).suffix.lower() or '.mp4'}"


def frames_per_second(path: str) -> float:
    """The video's frame rate from its header (no decoding); the default if it cannot tell."""
    try:
        with av.open(path) as container:
            rate = container.streams.video[0].average_rate
        return float(rate) if rate else DEFAULT_FPS
    except (OSError, ValueError, IndexError, av.error.FFmpegError):
        return DEFAULT_FPS


def _frozen_durations(storyboard: dict | None) -> list[float] | None:
    """The shot durations the take was rendered from, if its job kept them readably."""
    shots = (storyboard or {}).get("shots")
    if not isinstance(shots, list):
        return None
    durations = [shot.get("duration") if isinstance(shot, dict) else None for shot in shots]
    if not all(isinstance(d, int | float) and d > 0 for d in durations):
        return None
    return [float(d) for d in durations]


def _take_row(take: dict, number: int) -> dict:
    path = default_storage.path(take["video"])
    return {
        "id": take["id"],
        "path": path,
        "media_name": media_name(number, take["id"], take["video"]),
        "duration": take["duration"],
        "width": take["width"],
        "height": take["height"],
        "has_audio": take["has_audio"],
        "fps": frames_per_second(path),
        "shot_durations": _frozen_durations(take["job__storyboard"]),
    }


def reel_of(project: Project) -> dict:
    sequences = list(
        Sequence.objects.filter(project=project)
        .order_by("position", "id")
        .values("id", "title", "version")
    )
    ids = [sequence["id"] for sequence in sequences]
    shots = defaultdict(list)
    shot_rows = Shot.objects.filter(sequence_id__in=ids).order_by("position", "id")
    for shot in shot_rows.values(*SHOT_ROW_FIELDS):
        shot["dialogue"] = []
        shots[shot["sequence"]].append(shot)
    by_id = {shot["id"]: shot for rows in shots.values() for shot in rows}
    lines = DialogueLine.objects.filter(shot__sequence_id__in=ids).order_by("order", "id")
    for line in lines.values("shot_id", *LINE_CONTENT_FIELDS):
        by_id[line.pop("shot_id")]["dialogue"].append(line)
    # Only a take nobody took down may be exported or linked (issue 8).
    takes = {
        take["sequence_id"]: take
        for take in Take.objects.filter(sequence_id__in=ids, chosen=True, removed_at=None).values(
            "id",
            "sequence_id",
            "video",
            "duration",
            "width",
            "height",
            "has_audio",
            "job__storyboard",
        )
    }
    rows = []
    for number, sequence in enumerate(sequences, start=1):
        take = takes.get(sequence["id"])
        rows.append(
            {
                **sequence,
                "number": number,
                "shots": shots[sequence["id"]],
                "take": _take_row(take, number) if take else None,
            }
        )
    return {"id": project.pk, "title": project.title, "sequences": rows}
