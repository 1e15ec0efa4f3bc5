"""The request checks of the fake server: the bodies of the three legacy video endpoints
(kling_api.md §4.1, §4.2, §4.4, §5) and of the advanced element endpoint (§8.1).

Each check raises a 1201 `KlingError` whose message starts with the offending field, so a test
(or an adapter author) can see which field the server refused. Fields the contract lists but the
fake does not act on (camera_control, masks, cfg_scale...) are only type-checked lightly.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fake_kling.errors import invalid
from fake_kling.images import URL_PREFIXES, check_image

# The model each product accepts here (the project uses kling-v3 and kling-v3-omni only).
MODELS = {"text2video": "kling-v3", "image2video": "kling-v3", "omni-video": "kling-v3-omni"}
MIN_DURATION, MAX_DURATION = 3, 15
DEFAULT_DURATION = "5"
MAX_PROMPT = 2500
MAX_SHOT_PROMPT = 512
MAX_SHOTS = 6
MIN_SHOT_SECONDS = 1
MODES = ("std", "pro", "4k")
SOUNDS = ("on", "off")
ASPECT_RATIOS = ("16:9", "9:16", "1:1")
SHOT_TYPES = ("customize", "intelligence")
MAX_I2V_ELEMENTS = 3
MAX_VOICES = 2
OMNI_MAX_REFERENCES = 7  # images + elements without a reference video
OMNI_MAX_REFERENCES_WITH_VIDEO = 4
OMNI_MAX_ELEMENTS_WITH_FRAMES = 3
OMNI_MAX_VIDEOS = 1
OMNI_IMAGE_TYPES = ("first_frame", "end_frame")
REFER_TYPES = ("feature", "base")
MAX_EXTERNAL_ID = 256
MAX_ELEMENT_NAME = 20
MAX_ELEMENT_DESCRIPTION = 100
MIN_REFER_IMAGES, MAX_REFER_IMAGES = 1, 3
ELEMENT_TAGS = tuple(f"o_{number}" for number in range(101, 109))


@dataclass(frozen=True)
class VideoSpec:
    """What the server keeps of an accepted video request."""

    duration: int
    mode: str
    sound: str
    callback_url: str | None
    external_task_id: str | None


@dataclass(frozen=True)
class ElementSpec:
    """What the server keeps of an accepted element request (not its images)."""

    name: str
    description: str
    tags: tuple[str, ...]
    callback_url: str | None
    external_task_id: str | None


def validate_video(product: str, body: dict, element_exists: Callable[[int], bool]) -> VideoSpec:
    """Check a create body for `product` (text2video, image2video, omni-video)."""
    model = body.get("model_name")
    if model != MODELS[product]:
        raise invalid("model_name", f"{model!r} is not supported here; use {MODELS[product]}")
    duration = _duration(body.get("duration", DEFAULT_DURATION))
    mode = _choice(body, "mode", MODES, "pro" if product == "omni-video" else "std")
    sound = _choice(body, "sound", SOUNDS, "off")
    _optional_text(body, "negative_prompt", MAX_PROMPT)
    # An image-to-video prompt is optional: the start frame alone is a valid request.
    _prompt_and_shots(body, duration, prompt_required=product != "image2video")
    _watermark(body)
    _voices(body, sound)
    if product == "text2video":
        _choice(body, "aspect_ratio", ASPECT_RATIOS, "16:9")
    elif product == "image2video":
        _image_to_video(body, element_exists)
    else:
        _omni(body, element_exists, mode, sound)
    return VideoSpec(duration, mode, sound, _callback(body), _external_id(body))


def validate_element(body: dict) -> ElementSpec:
    """Check an advanced-custom-elements create body (image references only)."""
    name = body.get("element_name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_ELEMENT_NAME:
        raise invalid("element_name", "is required, at most 20 characters")
    description = body.get("element_description")
    if (
        not isinstance(description, str)
        or not description.strip()
        or len(description) > MAX_ELEMENT_DESCRIPTION
    ):
        raise invalid("element_description", "is required, at most 100 characters")
    if body.get("reference_type") != "image_refer":
        raise invalid("reference_type", "must be image_refer (video elements are not served here)")
    images = body.get("element_image_list")
    if not isinstance(images, dict):
        raise invalid("element_image_list", "is required with image_refer")
    check_image(images.get("frontal_image"), "element_image_list.frontal_image")
    refers = images.get("refer_images")
    if not isinstance(refers, list) or not MIN_REFER_IMAGES <= len(refers) <= MAX_REFER_IMAGES:
        raise invalid("element_image_list.refer_images", "must hold 1 to 3 images")
    for index, refer in enumerate(refers):
        field = f"element_image_list.refer_images[{index}].image_url"
        check_image(refer.get("image_url") if isinstance(refer, dict) else None, field)
    tags = body.get("tag_list", [])
    if not isinstance(tags, list):
        raise invalid("tag_list", "must be a list of {tag_id}")
    for index, tag in enumerate(tags):
        if not isinstance(tag, dict) or tag.get("tag_id") not in ELEMENT_TAGS:
            raise invalid(f"tag_list[{index}].tag_id", f"must be one of {', '.join(ELEMENT_TAGS)}")
    return ElementSpec(
        name=name,
        description=description,
        tags=tuple(tag["tag_id"] for tag in tags),
        callback_url=_callback(body),
        external_task_id=_external_id(body),
    )


def _duration(value: object) -> int:
    if not isinstance(value, str) or not value.isdigit():
        raise invalid("duration", 'must be a string of whole seconds such as "5"')
    seconds = int(value)
    if not MIN_DURATION <= seconds <= MAX_DURATION:
        raise invalid("duration", f"must be between {MIN_DURATION} and {MAX_DURATION}")
    return seconds


def _choice(body: dict, field: str, allowed: tuple[str, ...], default: str) -> str:
    value = body.get(field, default)
    if value not in allowed:
        raise invalid(field, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _optional_text(body: dict, field: str, limit: int) -> str:
    value = body.get(field, "")
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if len(value) > limit:
        raise invalid(field, f"is {len(value)} characters; at most {limit}")
    return value


def _prompt_and_shots(body: dict, duration: int, *, prompt_required: bool) -> None:
    prompt = _optional_text(body, "prompt", MAX_PROMPT)
    multi_shot = body.get("multi_shot", False)
    if not isinstance(multi_shot, bool):
        raise invalid("multi_shot", "must be a boolean")
    customize = False
    if multi_shot:
        shot_type = body.get("shot_type")
        if shot_type not in SHOT_TYPES:
            raise invalid("shot_type", "is required with multi_shot: customize or intelligence")
        customize = shot_type == "customize"
    if customize:
        _multi_prompt(body.get("multi_prompt"), duration)
    elif prompt_required and not prompt.strip():
        raise invalid("prompt", "is required unless multi_shot uses shot_type customize")


def _multi_prompt(shots: object, duration: int) -> None:
    if not isinstance(shots, list) or not 1 <= len(shots) <= MAX_SHOTS:
        raise invalid("multi_prompt", f"must hold 1 to {MAX_SHOTS} shots with shot_type customize")
    total = 0
    for number, shot in enumerate(shots):
        field = f"multi_prompt[{number}]"
        if not isinstance(shot, dict):
            raise invalid(field, "must be an object {index, prompt, duration}")
        index = shot.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 1:
            raise invalid(f"{field}.index", "must be a positive integer")
        prompt = shot.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise invalid(f"{field}.prompt", "is required")
        if len(prompt) > MAX_SHOT_PROMPT:
            raise invalid(f"{field}.prompt", f"is {len(prompt)} characters; at most 512")
        seconds = shot.get("duration")
        if not isinstance(seconds, str) or not seconds.isdigit():
            raise invalid(f"{field}.duration", "must be a string of whole seconds")
        if int(seconds) < MIN_SHOT_SECONDS:
            raise invalid(f"{field}.duration", "must be at least 1 second")
        total += int(seconds)
    if total != duration:
        raise invalid("multi_prompt", f"shot durations sum to {total}, not duration {duration}")


def _watermark(body: dict) -> None:
    watermark = body.get("watermark_info")
    if watermark is not None and (
        not isinstance(watermark, dict) or not isinstance(watermark.get("enabled"), bool)
    ):
        raise invalid("watermark_info", "must be {enabled: boolean}")


def _voices(body: dict, sound: str) -> None:
    voices = body.get("voice_list")
    if voices is None:
        return
    if not isinstance(voices, list) or len(voices) > MAX_VOICES:
        raise invalid("voice_list", f"must hold at most {MAX_VOICES} voices")
    for index, voice in enumerate(voices):
        if not isinstance(voice, dict) or not isinstance(voice.get("voice_id"), str):
            raise invalid(f"voice_list[{index}].voice_id", "is required")
    if voices and sound != "on":
        raise invalid("sound", "must be on with voice_list")
    if voices and body.get("element_list"):
        raise invalid("voice_list", "cannot be used together with element_list")


def _elements(body: dict, element_exists: Callable[[int], bool], limit: int) -> int:
    elements = body.get("element_list", [])
    if not isinstance(elements, list):
        raise invalid("element_list", "must be a list of {element_id}")
    if len(elements) > limit:
        raise invalid("element_list", f"holds {len(elements)} elements; at most {limit}")
    for index, element in enumerate(elements):
        element_id = element.get("element_id") if isinstance(element, dict) else None
        field = f"element_list[{index}].element_id"
        if not isinstance(element_id, int) or isinstance(element_id, bool):
            raise invalid(field, "must be an integer element id")
        if not element_exists(element_id):
            raise invalid(field, f"element {element_id} does not exist")
    return len(elements)


def _image_to_video(body: dict, element_exists: Callable[[int], bool]) -> None:
    if "image" not in body:
        raise invalid("image", "is required on image2video")
    check_image(body["image"], "image")
    if body.get("image_tail") is not None:
        check_image(body["image_tail"], "image_tail")
    groups = [
        body.get("image_tail") is not None,
        bool(body.get("static_mask") or body.get("dynamic_masks")),
        body.get("camera_control") is not None,
    ]
    if sum(groups) > 1:
        raise invalid("image_tail", "image_tail, masks and camera_control exclude each other")
    _elements(body, element_exists, MAX_I2V_ELEMENTS)


def _omni(body: dict, element_exists: Callable[[int], bool], mode: str, sound: str) -> None:
    images = body.get("image_list", [])
    if not isinstance(images, list):
        raise invalid("image_list", "must be a list of {image_url, type}")
    kinds = []
    for index, image in enumerate(images):
        if not isinstance(image, dict):
            raise invalid(f"image_list[{index}]", "must be an object {image_url, type}")
        check_image(image.get("image_url"), f"image_list[{index}].image_url")
        kind = image.get("type")
        if kind is not None and kind not in OMNI_IMAGE_TYPES:
            raise invalid(f"image_list[{index}].type", "must be first_frame or end_frame")
        kinds.append(kind)
    if kinds.count("first_frame") > 1 or kinds.count("end_frame") > 1:
        raise invalid("image_list", "holds at most one first_frame and one end_frame")
    if "end_frame" in kinds and ("first_frame" not in kinds or len(images) > 2):
        raise invalid("image_list", "an end_frame needs a first_frame and at most 2 images")
    videos = _omni_videos(body)
    has_base = any(video["refer_type"] == "base" for video in videos)
    limit = OMNI_MAX_REFERENCES_WITH_VIDEO if videos else OMNI_MAX_REFERENCES
    count = _elements(body, element_exists, limit)
    if len(images) + count > limit:
        raise invalid("element_list", f"images and elements together must be at most {limit}")
    if "first_frame" in kinds and count > OMNI_MAX_ELEMENTS_WITH_FRAMES:
        raise invalid("element_list", "at most 3 elements with a first or end frame")
    if videos and sound != "off":
        raise invalid("sound", "must be off with a reference video")
    if videos and mode == "4k":
        raise invalid("mode", "4k is not available with a reference video")
    if "first_frame" in kinds or has_base:
        if body.get("aspect_ratio") is not None:
            _choice(body, "aspect_ratio", ASPECT_RATIOS, "16:9")
    elif body.get("aspect_ratio") not in ASPECT_RATIOS:
        raise invalid("aspect_ratio", "is required without a first frame: 16:9, 9:16 or 1:1")


def _omni_videos(body: dict) -> list[dict]:
    videos = body.get("video_list", [])
    if not isinstance(videos, list) or len(videos) > OMNI_MAX_VIDEOS:
        raise invalid("video_list", "holds at most one video")
    for index, video in enumerate(videos):
        field = f"video_list[{index}]"
        if not isinstance(video, dict) or not isinstance(video.get("video_url"), str):
            raise invalid(f"{field}.video_url", "is required")
        if video.get("refer_type") not in REFER_TYPES:
            raise invalid(f"{field}.refer_type", "must be feature or base")
        if video.get("keep_original_sound", "no") not in ("yes", "no"):
            raise invalid(f"{field}.keep_original_sound", "must be yes or no")
    return videos


def _callback(body: dict) -> str | None:
    url = body.get("callback_url")
    if url is None or url == "":
        return None
    if not isinstance(url, str) or not url.startswith(URL_PREFIXES):
        raise invalid("callback_url", "must be an http(s) URL")
    return url


def _external_id(body: dict) -> str | None:
    value = body.get("external_task_id")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_EXTERNAL_ID:
        raise invalid("external_task_id", "must be a string of at most 256 characters")
    return value
