"""A storyboard compiled for the animatic, the built-in renderer that previews it on the CPU.

Pure Python, no Django. `build(storyboard, cost)` returns what the renderer draws, shot by shot:

    {"provider": "animatic", "seconds", "cost", "width", "height", "fps", "audio",
     "first_frame", "end_frame", "shots": [{"index", "start", "duration", ..., "picture",
     "dialogue": [...]}]}

The animatic can draw everything a storyboard holds, so it adds no errors of its own: an element
without an image becomes a drawn card (`picture` None), a transition is drawn as asked. Mentions
are written as the handle's name without the sign, as a subtitle or a card would show them.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobs.compiler import Storyboard

PROVIDER = "animatic"
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
    compiled = []
    start = 0
    for index, shot in enumerate(shots):
        compiled.append(_shot(board, shot, index, start))
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


def _shot(board: "Storyboard", shot: dict, index: int, start: int) -> dict:
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
        "dialogue": [_line(board, line) for line in shot["dialogue"]],
    }


def _name(element: dict) -> str:
    return element["handle"].strip()


def _picture(board: "Storyboard", shot: dict) -> dict | None:
    """Who the shot shows: the first on-screen speaker with an image, else the first element
    the text mentions with one; None draws a card."""
    speakers = [board.speaker_of(line) for line in shot["dialogue"] if not line["voice_over"]]
    for element in [*speakers, *board.mentioned(shot["text"])]:
        if element is not None and (front := board.front_image(element)) is not None:
            return board.file_ref(front)
    return None


def _line(board: "Storyboard", line: dict) -> dict:
    element = board.speaker_of(line)
    if line["voice_over"]:
        speaker = ""  # a voice-over is heard, not shown: no name on the subtitle
    elif element is not None:
        speaker = _name(element)
    else:
        speaker = line["speaker"].strip()
    return {
        "speaker": speaker,
        "text": line["text"],
        "language": line["language"],
        "delivery": line["delivery"],
        "voice_over": line["voice_over"],
        # Kept for a voice-over too: the element's voice may still say it.
        "element": element["id"] if element is not None else None,
    }
