"""A storyboard compiled for Kling 3.0, the legacy `/v1/` design of docs/kling_api.md.

Pure Python, no Django. `build(storyboard, cost)` returns the request the Kling adapter sends:

    {"provider": "kling", "endpoint": "/v1/videos/...", "body": {...}, "elements": [...],
     "seconds": int, "cost": int}

- The model family picks the endpoint (contract §4): `standard` is `kling-v3` text-to-video,
  or image-to-video once there is a first frame; `omni` is `kling-v3-omni` omni-video.
- A custom storyboard travels as structure (§5.1): `multi_shot` + `customize` + one
  `multi_prompt` entry per shot; an auto one as `intelligence` with the whole prompt.
- `@handle` mentions (shot text, auto prompt, dialogue speakers) become `<<<element_N>>>`,
  N being the element's place in `element_list` (§4.4); the top-level `elements` tells the
  adapter how to register an element Kling does not know yet (§8.1).
- The body carries no `callback_url` / `external_task_id`: the pipeline adds those per attempt.

Everything Kling cannot do is added to the storyboard's report as an error that says what to do.
"""

from math import ceil
from typing import TYPE_CHECKING

from script import rules
from script.drafts import shot_draft

if TYPE_CHECKING:
    from compiler.storyboard import Storyboard

PROVIDER = "kling"

# Model family -> model name (contract "Decisions").
STANDARD_MODEL = "kling-v3"
OMNI_MODEL = "kling-v3-omni"
OMNI_FAMILY = "omni"
TEXT_TO_VIDEO = "/v1/videos/text2video"
IMAGE_TO_VIDEO = "/v1/videos/image2video"
OMNI_VIDEO = "/v1/videos/omni-video"

# Legacy std/pro map to 720p/1080p (contract §6.4, the integrators' mapping).
MODE_BY_QUALITY = {"720p": "std", "1080p": "pro"}
PRO_QUALITY = "1080p"

# Element counts (contract §4.2, §4.4).
MAX_IMAGE_TO_VIDEO_ELEMENTS = 3
MAX_OMNI_IMAGES_AND_ELEMENTS = 7
MAX_OMNI_ELEMENTS_WITH_BOTH_FRAMES = 3

# How the prompt names the N-th entry of `element_list` (contract §4.4).
ELEMENT_REFERENCE = "<<<element_{}>>>"

# Element registration (contract §8.1): name ≤20, description ≤100, 1–3 reference images.
MAX_ELEMENT_NAME_CHARS = 20
MAX_ELEMENT_DESCRIPTION_CHARS = 100
MAX_REFER_IMAGES = 3
# tag ids: o_102 character, o_104 item, o_106 scene, o_108 others.
TAG_BY_KIND = {"character": "o_102", "prop": "o_104", "logo": "o_104", "scene": "o_106"}
OTHER_TAG = "o_108"

# Images Kling accepts on the legacy design (contract §10): jpg/jpeg/png, ≤10 MB, ≥300 px a
# side, ratio 1:2.5–2.5:1. "10 MB" is read as 10,000,000 bytes, the stricter reading: a refusal
# here costs a re-export, a refusal by Kling costs a failed job.
IMAGE_FORMATS = ("JPEG", "PNG")
MAX_IMAGE_BYTES = 10_000_000
MIN_IMAGE_SIDE = 300
MAX_IMAGE_RATIO = 2.5

# Image-to-video output follows its first frame: warn when the frame's shape is visibly not the
# project's: beyond 2 %, so a frame a few pixels off (1366×768 for 16:9) never warns.
PROJECT_RATIOS = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0}
RATIO_TOLERANCE = 0.02


def build(board: "Storyboard", cost: int) -> dict:
    """The Kling request of `board`; capability errors and warnings go to `board.report`."""
    sequence = board.sequence
    omni = sequence["model_family"] == OMNI_FAMILY
    first, end = sequence["first_frame"], sequence["end_frame"]
    references = _References()

    body: dict = {"model_name": OMNI_MODEL if omni else STANDARD_MODEL}
    if omni:
        endpoint = OMNI_VIDEO
        frames = [(first, "first_frame"), (end, "end_frame")]
        image_list = [
            {"image_url": board.file_ref(image), "type": kind} for image, kind in frames if image
        ]
        if image_list:
            body["image_list"] = image_list
    elif first:
        endpoint = IMAGE_TO_VIDEO
        body["image"] = board.file_ref(first)
        if end:
            body["image_tail"] = board.file_ref(end)
    else:
        endpoint = TEXT_TO_VIDEO
    body.update(_storyboard_fields(board, references))
    if sequence["negative_prompt"].strip():
        if omni:
            board.report.error(
                "negative_prompt",
                "Kling does not confirm negative prompts on the omni model family: clear the "
                "negative prompt or switch to the standard model family.",
            )
        body["negative_prompt"] = sequence["negative_prompt"]
    if references.elements:
        body["element_list"] = [
            {"element_id": {"$element": element["id"]}} for element in references.elements
        ]
    if endpoint == TEXT_TO_VIDEO or (omni and not first):
        body["aspect_ratio"] = board.aspect_ratio
    body["duration"] = str(board.seconds)
    body["mode"] = MODE_BY_QUALITY[sequence["quality"]]
    body["sound"] = "on" if sequence["native_audio"] else "off"
    body["watermark_info"] = {"enabled": False}

    _check_frames(board)
    _check_element_counts(board, references.elements, endpoint)
    _check_element_images(board, references.elements)
    _warn_what_kling_ignores(board)
    return {
        "provider": PROVIDER,
        "endpoint": endpoint,
        "body": body,
        "elements": [_element_entry(board, element) for element in references.elements],
        "seconds": board.seconds,
        "cost": cost,
    }


class _References:
    """`element_list` in the making: an element's number is its place of first mention."""

    def __init__(self) -> None:
        self.elements: list[dict] = []
        self._numbers: dict[int, int] = {}

    def token(self, element: dict) -> str:
        number = self._numbers.get(element["id"])
        if number is None:
            self.elements.append(element)
            number = self._numbers[element["id"]] = len(self.elements)
        return ELEMENT_REFERENCE.format(number)


def _storyboard_fields(board: "Storyboard", references: _References) -> dict:
    if board.auto:
        prompt = board.rewrite(board.sequence["prompt"], references.token)
        if len(prompt) > rules.MAX_WHOLE_PROMPT_CHARS >= len(board.sequence["prompt"]):
            board.report.error(
                "prompt",
                f"The prompt becomes {len(prompt)} characters once its @mentions are written as "
                f"Kling element references; the limit is {rules.MAX_WHOLE_PROMPT_CHARS}. "
                "Shorten it.",
            )
        return {"multi_shot": True, "shot_type": "intelligence", "prompt": prompt}

    def speaker(line: dict) -> str:
        # A voice-over is written "Voice-over" by rules.shot_prompt whoever speaks it.
        element = None if line["voice_over"] else board.speaker_of(line)
        return references.token(element) if element else line["speaker"]

    multi_prompt = []
    whole = 0
    for index, shot in enumerate(board.shots):
        # Mentions are rewritten in the shot's text and speakers only, where the rules look for
        # them: lettering and spoken words are shown or said as written.
        rewritten = dict(shot, text=board.rewrite(shot["text"], references.token))
        prompt = rules.shot_prompt(shot_draft(rewritten, speaker))
        whole += len(prompt)
        if len(prompt) > rules.MAX_SHOT_PROMPT_CHARS >= board.report.shot_prompt_chars[index]:
            board.report.error(
                f"shots.{index}.text",
                f"Shot {index + 1}'s prompt becomes {len(prompt)} characters once its @mentions "
                f"are written as Kling element references; the limit is "
                f"{rules.MAX_SHOT_PROMPT_CHARS}. Shorten its text or dialogue.",
            )
        multi_prompt.append(
            {"index": index + 1, "prompt": prompt, "duration": str(shot["duration"])}
        )
    if whole > rules.MAX_WHOLE_PROMPT_CHARS >= board.report.whole_prompt_chars:
        board.report.error(
            "prompt",
            f"The whole prompt becomes {whole} characters once @mentions are written as Kling "
            f"element references; the limit is {rules.MAX_WHOLE_PROMPT_CHARS}. Shorten the shots.",
        )
    return {"multi_shot": True, "shot_type": "customize", "multi_prompt": multi_prompt}


def _check_frames(board: "Storyboard") -> None:
    first, end = board.sequence["first_frame"], board.sequence["end_frame"]
    for path, name, image in (
        ("first_frame", "The first frame", first),
        ("end_frame", "The end frame", end),
    ):
        for problem in image_problems(image) if image else ():
            board.report.error(path, f"{name} {problem}: replace it.")
    if end and not first:
        board.report.error(
            "end_frame",
            "An end frame needs a first frame: add a first frame or remove the end frame.",
        )
    if end and board.sequence["quality"] != PRO_QUALITY:
        board.report.error(
            "end_frame",
            "An end frame needs Kling's pro mode: choose 1080p or remove the end frame.",
        )
    if first and first["height"] > 0:
        ratio = first["width"] / first["height"]
        wanted = PROJECT_RATIOS[board.aspect_ratio]
        if abs(ratio / wanted - 1) > RATIO_TOLERANCE:
            board.report.warnings.append(
                f"The first frame is {first['width']}×{first['height']}, not "
                f"{board.aspect_ratio}: Kling follows the frame's shape, so the take will not be "
                f"{board.aspect_ratio}. Crop the frame to {board.aspect_ratio} to keep the "
                "project's shape."
            )


def _check_element_counts(board: "Storyboard", elements: list[dict], endpoint: str) -> None:
    if not elements:
        return
    count = len(elements)
    names = ", ".join(f"@{element['handle']}" for element in elements)
    first, end = board.sequence["first_frame"], board.sequence["end_frame"]
    if endpoint == TEXT_TO_VIDEO:
        board.report.error(
            "elements",
            f"Text-to-video cannot take elements ({names}): add a first frame or switch to the "
            "omni model family.",
        )
    elif endpoint == IMAGE_TO_VIDEO and count > MAX_IMAGE_TO_VIDEO_ELEMENTS:
        board.report.error(
            "elements",
            f"Image-to-video takes at most {MAX_IMAGE_TO_VIDEO_ELEMENTS} elements; this sequence "
            f"mentions {count} ({names}). Mention fewer or switch to the omni model family.",
        )
    elif endpoint == OMNI_VIDEO:
        images = sum(1 for frame in (first, end) if frame)
        if images + count > MAX_OMNI_IMAGES_AND_ELEMENTS:
            board.report.error(
                "elements",
                f"The omni model takes at most {MAX_OMNI_IMAGES_AND_ELEMENTS} frames and elements "
                f"together; this sequence has {images} frame(s) and {count} elements ({names}). "
                "Mention fewer elements or remove a frame.",
            )
        if first and end and count > MAX_OMNI_ELEMENTS_WITH_BOTH_FRAMES:
            board.report.error(
                "elements",
                f"With both a first and an end frame the omni model takes at most "
                f"{MAX_OMNI_ELEMENTS_WITH_BOTH_FRAMES} elements; this sequence mentions {count} "
                f"({names}). Mention fewer or remove the end frame.",
            )


def _check_element_images(board: "Storyboard", elements: list[dict]) -> None:
    for element in elements:
        handle = element["handle"]
        if not element["images"]:
            board.report.error(
                "elements", f"@{handle} has no reference image; add one in its library."
            )
        elif not _remote_id(element):
            # A registered element is not sent again, so only new ones must pass.
            for number, image in enumerate(_sent_images(element), start=1):
                for problem in image_problems(image):
                    board.report.error(
                        "elements",
                        f"@{handle}'s image {number} {problem}: replace it in its library.",
                    )


def image_problems(image: dict) -> list[str]:
    """Why Kling would refuse `image`, each reason worded to follow "The first frame"."""
    problems = []
    width, height = image["width"], image["height"]
    kind = (image["format"] or "of an unknown format").upper()
    if kind not in IMAGE_FORMATS:
        problems.append(f"is {kind}, and Kling takes only JPEG or PNG")
    if image["bytes"] > MAX_IMAGE_BYTES:
        # Rounded up, so a file just over the limit never reads as "10.0 MB".
        megabytes = ceil(image["bytes"] / 100_000) / 10
        problems.append(
            f"is {megabytes:.1f} MB, and Kling takes at most {MAX_IMAGE_BYTES // 1_000_000} MB"
        )
    if min(width, height) < MIN_IMAGE_SIDE:
        problems.append(
            f"is {width}×{height} px, and Kling needs at least {MIN_IMAGE_SIDE} px on each side"
        )
    elif max(width, height) / min(width, height) > MAX_IMAGE_RATIO:
        problems.append(
            f"is {width}×{height} px, and Kling needs a shape between 1:{MAX_IMAGE_RATIO} and "
            f"{MAX_IMAGE_RATIO}:1"
        )
    return problems


def _warn_what_kling_ignores(board: "Storyboard") -> None:
    sequence = board.sequence
    if sequence["seed"] is not None:
        board.report.warnings.append(f"Kling has no seed: the seed {sequence['seed']} is ignored.")
    if board.auto:
        return
    shots = board.shots
    with_notes = [str(i + 1) for i, shot in enumerate(shots) if shot["sound_notes"].strip()]
    if with_notes:
        board.report.warnings.append(
            f"Kling receives no sound notes ({_shots(with_notes)}): write the sound you want "
            "into the shot's text."
        )
    with_transitions = [str(i + 1) for i, shot in enumerate(shots) if shot["transition"] != "cut"]
    if with_transitions:
        board.report.warnings.append(
            f"Kling cuts between shots: the transitions of {_shots(with_transitions)} are ignored."
        )
    if not sequence["native_audio"] and any(shot["dialogue"] for shot in shots):
        board.report.warnings.append(
            "Native audio is off, so Kling will not speak the dialogue: turn native audio on to "
            "hear it."
        )


def _shots(numbers: list[str]) -> str:
    return f"shot {numbers[0]}" if len(numbers) == 1 else f"shots {', '.join(numbers)}"


def _remote_id(element: dict) -> str | None:
    return (element.get("remote_ids") or {}).get(PROVIDER)


def _sent_images(element: dict) -> list[dict]:
    """The front image and up to 3 others: what registering the element sends."""
    return element["images"][: 1 + MAX_REFER_IMAGES]


def _element_entry(board: "Storyboard", element: dict) -> dict:
    """What the adapter needs to register `element` (contract §8.1) unless `remote_id` is set."""
    images = _sent_images(element)
    front = images[0] if images else None
    # Kling wants 1–3 reference images besides the front one: the front one again if alone.
    refer = images[1:] or images[:1]
    description = element["description"].strip() or element["kind"]
    return {
        "ref": element["id"],
        "name": element["handle"].strip()[:MAX_ELEMENT_NAME_CHARS].rstrip(),
        "description": description[:MAX_ELEMENT_DESCRIPTION_CHARS].rstrip(),
        "tag": TAG_BY_KIND.get(element["kind"], OTHER_TAG),
        "frontal_image": board.file_ref(front) if front else None,
        "refer_images": [board.file_ref(image) for image in refer],
        "remote_id": _remote_id(element),
    }
