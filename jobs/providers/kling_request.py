"""Turning a compiled Kling request into the JSON Kling receives (pure, no Django): the
placeholders `{"$file": path}` become raw base64 of the job's input files, `{"$element": ref}`
become Kling's integer element ids, and an element of ours becomes the body that registers it
with the advanced element API (kling_api.md §8.1)."""

import base64
from collections.abc import Iterator
from pathlib import Path

from jobs.providers.base import ProviderError

VIDEO_PATH_PREFIX = "/v1/videos/"
ELEMENTS_PATH = "/v1/general/advanced-custom-elements"
MAX_ELEMENT_NAME = 20
MAX_ELEMENT_DESCRIPTION = 100
MAX_REFER_IMAGES = 3
FILE_KEY, ELEMENT_KEY = "$file", "$element"


def bad_request(detail: str) -> ProviderError:
    """A compiled request this adapter cannot send: a bug or a damaged job, never retried."""
    return ProviderError(
        "bad_request",
        "This job's request could not be prepared for Kling. Generate again; if it happens "
        "again, report it.",
        provider_message=detail,
    )


def product_of(endpoint: str) -> str:
    """`image2video` of `/v1/videos/image2video`: the path the task is queried under."""
    product = endpoint[len(VIDEO_PATH_PREFIX) :] if endpoint.startswith(VIDEO_PATH_PREFIX) else ""
    if not product or "/" in product:
        raise bad_request(f"{endpoint!r} is not a legacy Kling video endpoint")
    return product


class InputFiles:
    """The job's input files, read and base64-encoded once each."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._encoded: dict[str, str] = {}

    def base64(self, relative: str) -> str:
        if relative not in self._encoded:
            path = (self.root / relative).resolve()
            # A placeholder must never reach outside the job's own inputs.
            if not path.is_relative_to(self.root):
                raise bad_request(f"{relative!r} is outside the job's inputs")
            try:
                data = path.read_bytes()
            except OSError as error:
                raise ProviderError(
                    "input_missing",
                    "An input file of this job is missing. Generate again.",
                    provider_message=f"{relative}: {error}",
                ) from error
            self._encoded[relative] = base64.b64encode(data).decode("ascii")
        return self._encoded[relative]


def _placeholder(value: object, key: str) -> bool:
    return isinstance(value, dict) and len(value) == 1 and key in value


def element_refs(value: object) -> list[int]:
    """The element refs the body mentions through `{"$element": ref}`, in order, each once."""
    found: dict[int, None] = {}
    for ref in _walk_refs(value):
        found.setdefault(ref, None)
    return list(found)


def _walk_refs(value: object) -> Iterator[int]:
    if _placeholder(value, ELEMENT_KEY):
        yield int(value[ELEMENT_KEY])
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_refs(item)


def resolve(value: object, files: InputFiles, element_ids: dict[int, str]) -> object:
    """A copy of `value` with every placeholder replaced, at any depth."""
    if _placeholder(value, FILE_KEY):
        return files.base64(value[FILE_KEY])
    if _placeholder(value, ELEMENT_KEY):
        ref = int(value[ELEMENT_KEY])
        if ref not in element_ids:
            raise bad_request(f"element {ref} has no Kling id")
        return int(element_ids[ref])  # Kling's legacy element ids are integers
    if isinstance(value, dict):
        return {key: resolve(item, files, element_ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, files, element_ids) for item in value]
    return value


def element_body(element: dict, external_task_id: str, files: InputFiles) -> dict:
    """The advanced-custom-elements create body of one element of the compiled request."""
    ref = element.get("ref")
    if not element.get("frontal_image"):
        raise ProviderError(
            "element_without_image",
            f"The element {element.get('name') or ref} has no picture: add one to it in its "
            "library, then generate again.",
        )
    # Kling's limits; our names and descriptions may be longer, the prompt keeps the full ones.
    name = (element.get("name") or f"element {ref}").strip()[:MAX_ELEMENT_NAME].strip()
    description = (element.get("description") or "").strip() or name
    frontal = resolve(element["frontal_image"], files, {})
    refers = [resolve(image, files, {}) for image in element.get("refer_images") or []]
    body = {
        "element_name": name,
        "element_description": description[:MAX_ELEMENT_DESCRIPTION],
        "reference_type": "image_refer",
        "element_image_list": {
            "frontal_image": frontal,
            # Kling wants 1 to 3 more views; with none, the frontal picture is the only one.
            "refer_images": [{"image_url": image} for image in refers[:MAX_REFER_IMAGES]]
            or [{"image_url": frontal}],
        },
        "external_task_id": external_task_id,
    }
    if element.get("tag"):
        body["tag_list"] = [{"tag_id": element["tag"]}]
    return body
