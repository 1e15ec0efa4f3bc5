"""The Kling adapter's happy paths against the fake Kling server, with both credential
schemes: text to video, image to video (its element registered first, without sleeping,
and not again once it has a remote id) and omni video are submitted, polled to success
and downloaded; placeholders become raw base64 and integer ids; the signed token is reused
then renewed, and an adapter needs credentials.
"""

import base64
from pathlib import Path

import av
import jwt
import pytest

from jobs.providers.base import TaskState
from jobs.providers.kling import (
    KlingConfig,
    KlingProvider,
)
from jobs.providers.kling_auth import Credentials
from jobs.providers.kling_request import InputFiles, resolve
from tests.kling_adapter_helpers import (
    ACCESS_KEY,
    SECRET_KEY,
    fake_server,
    i2v_request,
    make_inputs,
    make_provider,
    omni_request,
    poll_to_the_end,
    submit,
    t2v_request,
)


@pytest.fixture
def server():
    with fake_server() as fake:
        yield fake


@pytest.fixture(params=["api_key", "jwt"])
def provider(request, server):
    with make_provider(server.base_url, request.param) as adapter:
        yield adapter


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A job directory with its snapshotted input files under inputs/."""
    return make_inputs(tmp_path)


# -- the happy paths, with both credential schemes -------------------------------------------


def test_text_to_video_is_submitted_polled_and_downloaded(provider, server, inputs, tmp_path):
    outcome, pendings = submit(provider, t2v_request(), inputs, "job-t2v")
    assert (pendings, outcome.registered) == (0, {})
    assert server.store.find("text2video", "job-t2v").task_id == outcome.task_id
    status, seen = poll_to_the_end(provider, t2v_request(), outcome.task_id)
    assert seen[-1] == TaskState.SUCCEEDED
    assert TaskState.RUNNING in seen
    assert (status.duration, status.charged, status.content_refusal) == (3.0, "0.3", False)
    take = tmp_path / "take"
    take.mkdir()
    provider.download(status.video_url, take / "video.mp4")
    assert [path.name for path in take.iterdir()] == ["video.mp4"]
    with av.open(str(take / "video.mp4")) as container:
        assert container.duration / av.time_base == pytest.approx(3, abs=0.2)


def test_image_to_video_registers_its_element_first(provider, server, inputs):
    outcome, pendings = submit(provider, i2v_request(), inputs, "job-i2v")
    assert pendings >= 1  # the element took a while: the adapter said so instead of sleeping
    element_id = outcome.registered[12]
    assert server.store.element_exists(int(element_id))
    assert server.stats()["elements_created"] == 1
    element = server.store.find("advanced-custom-elements", "job-i2v-el12").element
    assert element.name == "Mara the lighthouse"  # cut to Kling's 20 characters
    assert element.tags == ("o_102",)
    status, _ = poll_to_the_end(provider, i2v_request(), outcome.task_id)
    assert status.state == TaskState.SUCCEEDED


def test_an_element_with_a_remote_id_is_not_registered_again(provider, server, inputs):
    first, _ = submit(provider, i2v_request(), inputs, "job-a")
    second, pendings = submit(provider, i2v_request(first.registered[12]), inputs, "job-b")
    assert (pendings, second.registered) == (0, {})
    assert server.stats()["elements_created"] == 1
    assert second.task_id != first.task_id


def test_omni_video_resolves_placeholders_inside_lists(provider, server, inputs):
    outcome, _ = submit(provider, omni_request(), inputs, "job-omni")
    assert set(outcome.registered) == {12}
    status, _ = poll_to_the_end(provider, omni_request(), outcome.task_id)
    assert status.state == TaskState.SUCCEEDED


def test_placeholders_become_raw_base64_and_integer_ids(inputs):
    body = {"a": [{"deep": {"$file": "inputs/first.png"}}], "e": {"$element": 7}, "n": 3}
    resolved = resolve(body, InputFiles(inputs), {7: "9001"})
    assert base64.b64decode(resolved["a"][0]["deep"]) == (inputs / "inputs/first.png").read_bytes()
    assert not resolved["a"][0]["deep"].startswith("data:")
    assert (resolved["e"], resolved["n"]) == (9001, 3)


def test_the_signed_token_is_reused_then_renewed_before_it_expires():
    now = [1_800_000_000.0]
    credentials = Credentials(access_key=ACCESS_KEY, secret_key=SECRET_KEY, clock=lambda: now[0])
    first = credentials.header()
    claims = jwt.decode(
        first.removeprefix("Bearer "),
        SECRET_KEY,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_nbf": False},
    )
    assert claims == {"iss": ACCESS_KEY, "exp": 1_800_001_800, "nbf": 1_799_999_995}
    now[0] += 1000
    assert credentials.header() == first
    now[0] += 600  # within five minutes of expiry
    assert credentials.header() != first


def test_an_adapter_needs_credentials():
    with pytest.raises(ValueError, match="API key"):
        KlingProvider(KlingConfig(base_url="http://kling.test"))
