"""The fake server, the adapters and the requests of the Kling adapter's tests
(tests/test_the_kling_adapter_*.py).

Together those tests check the Kling adapter, end to end against the fake Kling server (no
database): it submits with both credential schemes, registers elements without sleeping, polls
to success, downloads atomically, maps every error of the contract as its table says, never
makes a second task when an answer was lost, flags content refusals, and checks callback
signatures.

A test module makes its `server` and `inputs` fixtures from `fake_server` and
`make_inputs`.
"""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fake_kling import FakeKling
from jobs.providers.base import Pending, ProviderError, Submitted, TaskState
from jobs.providers.kling import (
    KlingConfig,
    KlingProvider,
)
from tests.kling_helpers import WEBHOOK_SECRET, image_bytes

API_KEY, ACCESS_KEY = "adapter-key", "adapter-access-key"
SECRET_KEY = "adapter-secret-key-long-enough-for-hs256"
RETRYABLE = {1302, 1303, 5000, 5001, 5002}
CONTENT = {1300, 1301}
SHORT_TIMEOUT = 0.3
MAX_STEPS = 300


def make_provider(base_url: str, scheme: str = "api_key", **settings) -> KlingProvider:
    credentials = (
        {"api_key": API_KEY}
        if scheme == "api_key"
        else {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
    )
    settings = {"read_timeout": 3.0, "element_poll_seconds": 0.05, **credentials, **settings}
    return KlingProvider(KlingConfig(base_url=base_url, **settings))


def mara(remote_id: str | None = None) -> dict:
    return {
        "ref": 12,
        "name": "Mara the lighthouse keeper",  # longer than Kling's 20 characters
        "description": "The keeper, in a red coat",
        "tag": "o_102",
        "frontal_image": {"$file": "inputs/mara_front.jpg"},
        "refer_images": [{"$file": "inputs/mara_side.png"}],
        "remote_id": remote_id,
    }


def t2v_request() -> dict:
    body = {
        "model_name": "kling-v3",
        "prompt": "A lighthouse at dusk",
        "duration": "3",
        "mode": "std",
        "aspect_ratio": "16:9",
        "sound": "off",
    }
    return {"provider": "kling", "endpoint": "/v1/videos/text2video", "body": body, "seconds": 3}


def i2v_request(remote_id: str | None = None) -> dict:
    body = {
        "model_name": "kling-v3",
        "image": {"$file": "inputs/first.png"},
        "duration": "4",
        "multi_shot": True,
        "shot_type": "customize",
        "multi_prompt": [
            {"index": 1, "prompt": "<<<element_1>>> climbs the stairs", "duration": "2"},
            {"index": 2, "prompt": "She lights the lamp", "duration": "2"},
        ],
        "element_list": [{"element_id": {"$element": 12}}],
    }
    return {
        "provider": "kling",
        "endpoint": "/v1/videos/image2video",
        "body": body,
        "elements": [mara(remote_id)],
        "seconds": 4,
    }


def omni_request() -> dict:
    body = {
        "model_name": "kling-v3-omni",
        "prompt": "<<<element_1>>> waves from <<<image_1>>>",
        "duration": "3",
        "image_list": [{"image_url": {"$file": "inputs/first.png"}, "type": "first_frame"}],
        "element_list": [{"element_id": {"$element": 12}}],
    }
    return {
        "provider": "kling",
        "endpoint": "/v1/videos/omni-video",
        "body": body,
        "elements": [mara()],
        "seconds": 3,
    }


def submit(adapter, request, inputs, external_id, callback_url=None) -> tuple[Submitted, int]:
    """Submit as the pipeline does (state kept as JSON between calls): (outcome, pendings)."""
    state = None
    for pendings in range(MAX_STEPS):
        outcome = adapter.submit(
            request,
            inputs_dir=inputs,
            external_task_id=external_id,
            callback_url=callback_url,
            pending_state=state,
        )
        if isinstance(outcome, Submitted):
            return outcome, pendings
        assert isinstance(outcome, Pending)
        state = json.loads(json.dumps(outcome.state))
        time.sleep(outcome.retry_after)
    raise AssertionError("never submitted")


def poll_to_the_end(adapter, request, task_id):
    seen = []
    for _ in range(MAX_STEPS):
        status = adapter.poll(request, task_id)
        if not seen or seen[-1] != status.state:
            seen.append(status.state)
        if status.state in (TaskState.SUCCEEDED, TaskState.FAILED):
            return status, seen
        time.sleep(0.02)
    raise AssertionError("never finished")


def raised(call) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        call()
    return caught.value


def job(inputs: Path, external_id: str) -> dict:
    return {"inputs_dir": inputs, "external_task_id": external_id, "callback_url": None}


@contextmanager
def fake_server() -> Iterator[FakeKling]:
    """The fake server the `server` fixture of each test module runs."""
    with FakeKling(
        api_key=API_KEY,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        processing_seconds=0.25,
        element_seconds=0.15,
    ) as fake:
        yield fake


def make_inputs(tmp_path: Path) -> Path:
    """A job directory with its snapshotted input files under inputs/ (the `inputs` fixture)."""
    folder = tmp_path / "job"
    (folder / "inputs").mkdir(parents=True)
    (folder / "inputs" / "first.png").write_bytes(image_bytes((640, 360)))
    (folder / "inputs" / "mara_front.jpg").write_bytes(image_bytes((400, 600), "JPEG"))
    (folder / "inputs" / "mara_side.png").write_bytes(image_bytes((450, 600)))
    return folder
