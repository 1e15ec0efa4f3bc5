"""The prompt director's result as storyboard rows: what `POST /api/director/split/` shows and
what applying it saves. The director itself is pure (director/); this module binds its speakers
to the project's elements and writes sequences through the actions."""

from django.db import transaction

from director.direct import DirectedShot, Direction, direct
from elements_app.access import elements_for_project, speakers_of_project
from script import rules
from script.mentions import HandleIndex
from storyboard_app import actions
from storyboard_app.choices import SequenceMode
from storyboard_app.models import Project

MAX_DIRECTOR_PROMPT_CHARS = 10_000


def direct_for(prompt: str, total: int | None, project: Project | None) -> tuple[Direction, dict]:
    """The director's reading of `prompt`, with the project's element handles (so that
    `@Old Sailor` is one speaker), and those handles (casefolded) with their element ids."""
    rows = (
        list(elements_for_project(project.pk).values_list("handle", "id"))
        if project is not None
        else []
    )
    index = HandleIndex(handle for handle, _ in rows) if rows else None
    return direct(prompt, total, index), {handle.casefold(): pk for handle, pk in rows}


def _clip(text: str, limit: int) -> str:
    return text[:limit]


def shot_row(shot: DirectedShot, handles: dict[str, int]) -> dict:
    """A directed shot in the API's shot fields (plus its beats), within the storage limits."""
    return {
        "duration": shot.duration,
        "shot_size": shot.shot_size,
        "camera_angle": shot.camera_angle,
        "camera_movement": shot.camera_movement,
        "text": _clip(shot.text, rules.MAX_TEXT_STORED),
        "lettering": _clip(shot.lettering, rules.MAX_TEXT_STORED),
        "dialogue": [
            {
                "speaker": _clip(line.speaker, rules.MAX_SHORT_TEXT_STORED),
                "speaker_element": handles.get(line.speaker[1:].casefold())
                if line.speaker.startswith("@")
                else None,
                "text": _clip(line.text, rules.MAX_TEXT_STORED),
                "language": line.language,
                "delivery": _clip(line.delivery, rules.MAX_SHORT_TEXT_STORED),
                "voice_over": line.voice_over,
            }
            for line in shot.dialogue[: rules.MAX_DIALOGUE_LINES_STORED]
        ],
        "beats": [{"at": beat.at, "text": beat.text} for beat in shot.beats],
    }


def direction_rows(direction: Direction, handles: dict[str, int]) -> dict:
    return {
        "sequences": [
            {
                "duration": sum(shot.duration for shot in sequence),
                "shots": [shot_row(shot, handles) for shot in sequence],
            }
            for sequence in direction.sequences
        ],
        "messages": direction.messages,
    }


@transaction.atomic
def apply_direction(project: Project, prompt: str, total: int | None, mode: str, by=None) -> list:
    """Add the directed storyboard to the project as new sequences: `custom` ones holding the
    shots (to be changed at will), or one `auto` sequence keeping the prompt itself."""
    direction, handles = direct_for(prompt, total, project)
    if mode == SequenceMode.AUTO:
        seconds = sum(shot.duration for shot in direction.shots) or rules.MIN_SEQUENCE_SECONDS
        duration = min(max(seconds, rules.MIN_SEQUENCE_SECONDS), rules.MAX_SEQUENCE_SECONDS)
        data = {"mode": SequenceMode.AUTO, "prompt": prompt.strip(), "auto_duration": duration}
        return [actions.add_sequence(project, data, by=by)]
    added = []
    for shots in direction.sequences:
        sequence = actions.add_sequence(project, {"mode": SequenceMode.CUSTOM}, by=by)
        for shot in shots:
            row = shot_row(shot, handles)
            row.pop("beats")
            for line in row["dialogue"]:
                line.pop("speaker_element")  # the "@handle" speaker binds it again
            actions.add_shot(sequence, row, by=by, speakers=speakers_of_project)
        added.append(sequence)
    return added
