"""The fake Kling server of the contract tests (tests/test_the_fake_kling_*.py), its clients
and the bodies they send.

Together those tests check that the fake Kling server answers raw HTTP the way docs/kling_api.md
says the legacy API does: envelopes, error codes with their HTTP statuses, token checks,
validation, time-driven statuses, a real result MP4, signed callbacks, elements, and every
injectable fault.

A test module makes its fixtures from `fake_server`, `api_client` and `plain_client`.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import jwt

from fake_kling import FakeKling
from tests.kling_helpers import WEBHOOK_SECRET, image_b64, wait_until

API_KEY, ACCESS_KEY = "key-123", "ak-123"
SECRET_KEY = "sk-a-secret-key-long-enough-for-hs256"
OTHER_SECRET = "sk-another-secret-key-for-hs256-tokens"
T2V = "/v1/videos/text2video"
I2V = "/v1/videos/image2video"
OMNI = "/v1/videos/omni-video"
ELEMENTS = "/v1/general/advanced-custom-elements"
PROCESSING = 0.3
REPO = Path(__file__).resolve().parent.parent


def t2v(**fields) -> dict:
    return {"model_name": "kling-v3", "prompt": "A lighthouse at dusk", "duration": "5", **fields}


def i2v(**fields) -> dict:
    return {"model_name": "kling-v3", "image": image_b64(), "duration": "5", **fields}


def omni(**fields) -> dict:
    return {
        "model_name": "kling-v3-omni",
        "prompt": "<<<image_1>>> walks in",
        "aspect_ratio": "16:9",
        "duration": "5",
        **fields,
    }


def element_body(**fields) -> dict:
    picture = image_b64((400, 600), "JPEG")
    return {
        "element_name": "Mara",
        "element_description": "A keeper with a red coat",
        "reference_type": "image_refer",
        "element_image_list": {"frontal_image": picture, "refer_images": [{"image_url": picture}]},
        "tag_list": [{"tag_id": "o_102"}],
        **fields,
    }


def token(**claims) -> str:
    now = int(time.time())
    payload = {"iss": ACCESS_KEY, "exp": now + 1800, "nbf": now - 5, **claims}
    return jwt.encode(payload, SECRET_KEY, algorithm="HS256")


def make_element(client: httpx.Client) -> int:
    task_id = client.post(ELEMENTS, json=element_body()).json()["data"]["task_id"]

    def element_id():
        data = client.get(f"{ELEMENTS}/{task_id}").json()["data"]
        elements = data["task_result"]["elements"]
        return elements[0]["element_id"] if data["task_status"] == "succeed" else None

    return wait_until(element_id)


def final_status(client: httpx.Client, path: str) -> dict:
    return wait_until(
        lambda: (
            (data := client.get(path).json()["data"])["task_status"] in ("succeed", "failed")
            and data
        )
    )


@contextmanager
def fake_server() -> Iterator[FakeKling]:
    """The fake server the `server` fixture of each test module runs."""
    with FakeKling(
        api_key=API_KEY,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        processing_seconds=PROCESSING,
        element_seconds=0.2,
    ) as fake:
        yield fake


@contextmanager
def api_client(server: FakeKling) -> Iterator[httpx.Client]:
    """A client with the API key (the `client` fixture)."""
    with httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=5,
        verify=False,  # plain HTTP on the loopback; skips loading CA certificates per test
    ) as http:
        yield http


@contextmanager
def plain_client(server: FakeKling) -> Iterator[httpx.Client]:
    """A client without credentials (the `plain` fixture: result links, the control endpoint,
    auth failures)."""
    with httpx.Client(base_url=server.base_url, timeout=5, verify=False) as http:
        yield http
