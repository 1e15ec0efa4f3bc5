"""A storyboard compiled for the animatic, the built-in renderer that previews it on the CPU.

Pure Python, no Django. `build(storyboard, cost)` returns what the renderer draws, shot by shot:

    {"provider": "animatic", "seconds", "cost", "width", "height", "fps", "audio",
     "first_frame", "end_frame", "shots": [{"index", "start", "duration", ..., "picture",
     "scene", "dialogue": [{"speaker", "text", "language", "delivery", "accent", "voice",
     "voice_over", "element"}]}]}

A shot shows its subject (`picture`: the front image of its first on-screen speaker with one,
else of the first element it mentions) in front of its `scene` (the image of the first scene
element it mentions). Each distinct speaker of the sequence gets its own `voice` number, in order
of first line; a line in "auto" language is spoken in its speaker's voice language, else the
language its text is written in; an element's voice accent applies to its lines.

The animatic can draw everything a storyboard holds, so it adds no errors of its own: a shot
without images becomes a drawn card (`picture` and `scene` None), a transition is drawn as asked.
Mentions are written as the handle's name without the sign, as a subtitle or a card would show
them.
"""

from typing import TYPE_CHECKING

from script.languages import resolve_language
from script.mentions import fold

if TYPE_CHECKING:
    from compiler.storyboard import Storyboard

PROVIDER = "animatic"
SCENE_KIND = "scene"
AUTO_LANGUAGE = "auto"
FPS = 24
# Frame size by quality and aspect ratio: the short side is the quality's line count.
FRAME_SIZES = {
    "720p": {"16:9": (1280, 720), "9:16": (720, 1280), "1:1": (720, 720)},
    "1080p": {"16:9": (1920, 1080), "9:16": (1080, 1920), "1:1": (1080, 1080)},
}
# An auto sequence is previewed as one shot of these settings holding the whole prompt.
AUTO_SHOT = {
    "shot_size": "medium",
    "camera_angle": "eye_level",
    "camera_movement": "static",
    "lettering": "",
    "transition": "cut",
    "sound_notes": "",
    "dialogue": [],
}


def build(board: "Storyboard", cost: int) -> dict:
    """The animatic request of `board` (no errors to add: see the module docstring)."""
    sequence = board.sequence
    width, height = FRAME_SIZES[sequence["quality"]][board.aspect_ratio]
    if board.auto:
        shots = [dict(AUTO_SHOT, duration=sequence["auto_duration"], text=sequence["prompt"])]
    else:
        shots = board.shots
    first, end = sequence["first_frame"], sequence["end_frame"]
    voices = _voices(board, shots)
    compiled = []
    start = 0
    for index, shot in enumerate(shots):
        compiled.append(_shot(board, shot, index, start, voices))
        start += shot["duration"]
    return {
        "provider": PROVIDER,
        "seconds": board.seconds,
        "cost": cost,
        "width": width,
        "height": height,
        "fps": FPS,
        "audio": sequence["native_audio"],
        "first_frame": board.file_ref(first) if first else None,
        "end_frame": board.file_ref(end) if end else None,
        "shots": compiled,
    }


def _shot(board: "Storyboard", shot: dict, index: int, start: int, voices: dict) -> dict:
    return {
        "index": index + 1,
        "start": start,
        "duration": shot["duration"],
        "shot_size": shot["shot_size"],
        "camera_angle": shot["camera_angle"],
        "camera_movement": shot["camera_movement"],
        "text": board.rewrite(shot["text"], _name),
        "lettering": shot["lettering"],
        "transition": shot["transition"],
        "sound_notes": shot["sound_notes"],
        "picture": _picture(board, shot),
        "scene": _scene(board, shot),
        "dialogue": [_line(board, line, voices) for line in shot["dialogue"]],
    }


def _name(element: dict) -> str:
    return element["handle"].strip()


def _picture(board: "Storyboard", shot: dict) -> dict | None:
    """Who the shot shows: the first on-screen speaker with an image, else the first element
    the text mentions with one (a scene only when nothing else is there to show)."""
    speakers = [board.speaker_of(line) for line in shot["dialogue"] if not line["voice_over"]]
    mentioned = board.mentioned(shot["text"])
    things = [element for element in mentioned if element["kind"] != SCENE_KIND]
    for element in [*speakers, *things]:
        if element is not None and (front := board.front_image(element)) is not None:
            return board.file_ref(front)
    return None


def _scene(board: "Storyboard", shot: dict) -> dict | None:
    """Where the shot is: the image of the first scene element its text mentions."""
    for element in board.mentioned(shot["text"]):
        if element["kind"] == SCENE_KIND and (image := board.front_image(element)) is not None:
            return board.file_ref(image)
    return None


def _speaker_key(board: "Storyboard", line: dict) -> str:
    """Who speaks `line`, as one voice: the element, else the written name (case and width
    folded), else an unnamed voice-over or an unnamed speaker."""
    element = board.speaker_of(line)
    if element is not None:
        return f"element:{element['id']}"
    if name := fold(line["speaker"].strip()):
        return f"name:{name}"
    return "voice-over" if line["voice_over"] else "someone"


def _voices(board: "Storyboard", shots: list[dict]) -> dict[str, int]:
    """A voice number per speaker of the sequence, in order of their first line."""
    voices: dict[str, int] = {}
    for shot in shots:
        for line in shot["dialogue"]:
            voices.setdefault(_speaker_key(board, line), len(voices))
    return voices


def _line(board: "Storyboard", line: dict, voices: dict[str, int]) -> dict:
    element = board.speaker_of(line)
    speaker = _name(element) if element is not None else line["speaker"].strip()
    language = line["language"]
    if language == AUTO_LANGUAGE and element is not None and element["voice_language"]:
        language = element["voice_language"]
    return {
        "speaker": speaker,
        "text": line["text"],
        "language": resolve_language(language, line["text"]),
        "delivery": line["delivery"],
        "accent": element["voice_accent"] if element is not None else "",
        "voice": voices[_speaker_key(board, line)],
        "voice_over": line["voice_over"],
        # Kept for a voice-over too: the element's voice may still say it.
        "element": element["id"] if element is not None else None,
    }
