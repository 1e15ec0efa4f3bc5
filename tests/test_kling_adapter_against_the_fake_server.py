"""The Kling adapter, end to end against the fake Kling server (no database): it submits with
both credential schemes, registers elements without sleeping, polls to success, downloads
atomically, maps every error of the contract as its table says, never makes a second task when
an answer was lost, flags content refusals, and checks callback signatures."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import httpx
import jwt
import pytest
from standardwebhooks import Webhook

from fake_kling import ERROR_TABLE, MODERATION_MESSAGE, FakeKling
from jobs.providers.base import Pending, ProviderError, Submitted, TaskState
from jobs.providers.kling import (
    CallbackRejected,
    KlingConfig,
    KlingProvider,
    is_content_refusal,
    verify_callback,
)
from jobs.providers.kling_auth import Credentials
from jobs.providers.kling_request import InputFiles, resolve
from tests.kling_helpers import WEBHOOK_SECRET, CallbackReceiver, image_bytes, wait_until

API_KEY, ACCESS_KEY = "adapter-key", "adapter-access-key"
SECRET_KEY = "adapter-secret-key-long-enough-for-hs256"
RETRYABLE = {1302, 1303, 5000, 5001, 5002}
CONTENT = {1300, 1301}
SHORT_TIMEOUT = 0.3
MAX_STEPS = 300


@pytest.fixture
def server():
    with FakeKling(
        api_key=API_KEY,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        processing_seconds=0.25,
        element_seconds=0.15,
    ) as fake:
        yield fake


def make_provider(base_url: str, scheme: str = "api_key", **settings) -> KlingProvider:
    credentials = (
        {"api_key": API_KEY}
        if scheme == "api_key"
        else {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
    )
    settings = {"read_timeout": 3.0, "element_poll_seconds": 0.05, **credentials, **settings}
    return KlingProvider(KlingConfig(base_url=base_url, **settings))


@pytest.fixture(params=["api_key", "jwt"])
def provider(request, server):
    with make_provider(server.base_url, request.param) as adapter:
        yield adapter


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A job directory with its snapshotted input files under inputs/."""
    folder = tmp_path / "job"
    (folder / "inputs").mkdir(parents=True)
    (folder / "inputs" / "first.png").write_bytes(image_bytes((640, 360)))
    (folder / "inputs" / "mara_front.jpg").write_bytes(image_bytes((400, 600), "JPEG"))
    (folder / "inputs" / "mara_side.png").write_bytes(image_bytes((450, 600)))
    return folder


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


# -- never twice -------------------------------------------------------------------------------


def test_an_element_whose_answer_was_lost_is_found_not_registered_twice(server, inputs):
    with make_provider(server.base_url, read_timeout=SHORT_TIMEOUT) as adapter:
        server.hang_next_requests(seconds=3, kind="element", process_first=True)
        error = raised(lambda: adapter.submit(i2v_request(), **job(inputs, "job-lost-el")))
        assert (error.code, error.retryable) == ("timeout", True)
        outcome, _ = submit(adapter, i2v_request(), inputs, "job-lost-el")
    assert server.stats()["elements_created"] == 1
    assert outcome.registered[12] == str(
        server.store.find("advanced-custom-elements", "job-lost-el-el12").element_id
    )


def job(inputs: Path, external_id: str) -> dict:
    return {"inputs_dir": inputs, "external_task_id": external_id, "callback_url": None}


def test_a_video_whose_answer_was_lost_is_adopted_not_made_twice(server, inputs):
    with make_provider(server.base_url, read_timeout=SHORT_TIMEOUT) as adapter:
        server.hang_next_requests(seconds=3, kind="submit", process_first=True)
        error = raised(lambda: adapter.submit(t2v_request(), **job(inputs, "job-lost")))
        assert (error.code, error.retryable) == ("timeout", True)
        outcome = adapter.submit(t2v_request(), **job(inputs, "job-lost"))
    assert outcome.task_id == server.store.find("text2video", "job-lost").task_id
    stats = server.stats()
    assert (stats["tasks_created"], stats["requests"]["submit"]) == (1, 1)


def test_a_server_error_after_the_task_was_made_is_adopted(server, inputs):
    with make_provider(server.base_url) as adapter:
        server.fail_next_submits(5002, after_create=True)
        error = raised(lambda: adapter.submit(t2v_request(), **job(inputs, "job-5002")))
        assert (error.code, error.retryable) == ("5002", True)
        outcome = adapter.submit(t2v_request(), **job(inputs, "job-5002"))
    assert outcome.task_id == server.store.find("text2video", "job-5002").task_id
    assert server.stats()["tasks_created"] == 1


def test_a_duplicate_external_id_seen_by_another_worker_is_adopted(server, inputs):
    with make_provider(server.base_url) as first, make_provider(server.base_url, "jwt") as other:
        made = first.submit(t2v_request(), **job(inputs, "job-dup"))
        adopted = other.submit(t2v_request(), **job(inputs, "job-dup"))
    assert adopted.task_id == made.task_id
    stats = server.stats()
    assert (stats["tasks_created"], stats["requests"]["submit"]) == (1, 2)


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(ERROR_TABLE))
def test_every_error_code_maps_as_the_table_says(server, inputs, code):
    with make_provider(server.base_url) as adapter:
        server.fail_next_submits(code)
        error = raised(lambda: adapter.submit(t2v_request(), **job(inputs, f"job-{code}")))
    assert error.code == str(code)
    assert error.retryable == (code in RETRYABLE)
    assert error.content_refusal == (code in CONTENT)
    assert error.user_message
    assert error.provider_message == ERROR_TABLE[code][1]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1102, "The Kling account has no video resource pack left: top it up in the Kling "),
        (1301, "The provider rejected the prompt on content grounds. Change the prompt or "),
        (1002, "KLING_API_KEY"),
        (1004, "clock"),
        (1303, "will start when one finishes"),
    ],
)
def test_user_messages_say_what_to_do(server, inputs, code, words):
    with make_provider(server.base_url) as adapter:
        server.fail_next_submits(code)
        error = raised(lambda: adapter.submit(t2v_request(), **job(inputs, "job-words")))
    assert words in error.user_message


def answering(status: int, content: bytes) -> KlingProvider:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=content))
    return KlingProvider(
        KlingConfig(base_url="http://kling.test", api_key="k"), transport=transport
    )


@pytest.mark.parametrize(
    ("status", "content", "code", "retryable"),
    [
        (502, b"<html>Bad gateway</html>", "http_502", True),
        (429, b"slow down", "http_429", True),
        (404, b"not here", "http_404", False),
        (200, b"<html>captive portal</html>", "bad_response", True),
        (400, b'{"code": 4242, "message": "Something new"}', "4242", False),
        (500, b'{"code": 4243, "message": "New and broken"}', "4243", True),
    ],
)
def test_answers_without_a_known_envelope_map_by_http_status(status, content, code, retryable):
    with answering(status, content) as adapter:
        error = raised(lambda: adapter.poll(t2v_request(), "1"))
    assert (error.code, error.retryable) == (code, retryable)
    if code == "4242":
        assert "Something new" in error.user_message


def test_timeouts_and_dropped_connections_are_retryable(server, inputs):
    with make_provider(server.base_url, read_timeout=SHORT_TIMEOUT) as adapter:
        task_id = adapter.submit(t2v_request(), **job(inputs, "job-poll")).task_id
        server.hang_next_requests(seconds=3, kind="query")
        error = raised(lambda: adapter.poll(t2v_request(), task_id))
        assert (error.code, error.retryable) == ("timeout", True)
        server.go_down(60, close_connection=True)
        error = raised(lambda: adapter.poll(t2v_request(), task_id))
        assert (error.code, error.retryable) == ("connection_error", True)
        server.go_down(60)
        error = raised(lambda: adapter.poll(t2v_request(), task_id))
        assert (error.code, error.retryable) == ("5001", True)
        server.come_back()
        assert adapter.poll(t2v_request(), task_id).state in set(TaskState)
    with make_provider("http://127.0.0.1:9") as nowhere:
        error = raised(lambda: nowhere.poll(t2v_request(), task_id))
    assert (error.code, error.retryable) == ("connection_error", True)


def test_a_content_refusal_at_submit_is_final_and_flagged(server, inputs):
    with make_provider(server.base_url) as adapter:
        server.fail_next_submits(1301)
        error = raised(lambda: adapter.submit(t2v_request(), **job(inputs, "job-refused")))
    assert (error.retryable, error.content_refusal) == (False, True)


def test_a_task_refused_by_moderation_later_is_flagged(server, inputs):
    with make_provider(server.base_url) as adapter:
        server.fail_next_tasks()
        refused = adapter.submit(t2v_request(), **job(inputs, "job-moderated")).task_id
        server.fail_next_tasks(message="Internal error, please try again")
        broken = adapter.submit(t2v_request(), **job(inputs, "job-broken")).task_id
        status, _ = poll_to_the_end(adapter, t2v_request(), refused)
        other, _ = poll_to_the_end(adapter, t2v_request(), broken)
    assert (status.state, status.message, status.content_refusal) == (
        TaskState.FAILED,
        MODERATION_MESSAGE,
        True,
    )
    assert (other.state, other.content_refusal) == (TaskState.FAILED, False)


@pytest.mark.parametrize(
    ("message", "refusal"),
    [
        ("Failure to pass the risk control system", True),
        ("The content you have entered is inappropriate", True),
        ("Content security policy triggered", True),
        ("Image failed content review", True),
        ("Sensitive words detected in prompt", True),
        ("生成内容未通过审核", True),
        ("Internal error, please try again", False),
        ("Task timed out", False),
        ("", False),
    ],
)
def test_content_refusals_are_recognised_by_their_message(message, refusal):
    assert is_content_refusal(message) is refusal


def test_a_missing_result_is_final_and_leaves_nothing(provider, server, inputs, tmp_path):
    task_id = provider.submit(t2v_request(), **job(inputs, "job-gone")).task_id
    status, _ = poll_to_the_end(provider, t2v_request(), task_id)
    server.set_results_missing()
    take = tmp_path / "take"
    take.mkdir()
    error = raised(lambda: provider.download(status.video_url, take / "video.mp4"))
    assert (error.code, error.retryable) == ("result_missing", False)
    assert list(take.iterdir()) == []


def test_a_failed_download_keeps_the_old_file_and_leaves_no_temporary(server, inputs, tmp_path):
    take = tmp_path / "take"
    take.mkdir()
    (take / "video.mp4").write_bytes(b"old")
    with make_provider(server.base_url, max_download_bytes=1000, read_timeout=SHORT_TIMEOUT) as a:
        task_id = a.submit(t2v_request(), **job(inputs, "job-big")).task_id
        url = poll_to_the_end(a, t2v_request(), task_id)[0].video_url
        error = raised(lambda: a.download(url, take / "video.mp4"))
        assert (error.code, error.retryable) == ("result_too_large", False)
        server.hang_next_requests(seconds=3, kind="result")
        error = raised(lambda: a.download(url, take / "video.mp4"))
        assert (error.code, error.retryable) == ("timeout", True)
    assert [path.name for path in take.iterdir()] == ["video.mp4"]
    assert (take / "video.mp4").read_bytes() == b"old"


def test_bad_input_placeholders_are_final_errors(provider, inputs):
    for path, code in (("../../etc/passwd", "bad_request"), ("inputs/gone.png", "input_missing")):
        request = t2v_request()
        request["body"]["image"] = {"$file": path}
        error = raised(lambda request=request: provider.submit(request, **job(inputs, "job-x")))
        assert (error.code, error.retryable) == (code, False)


# -- credentials and callbacks -------------------------------------------------------------


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


def test_verify_callback_accepts_the_fake_servers_signed_callbacks(provider, server, inputs):
    with CallbackReceiver() as receiver:
        submit(provider, t2v_request(), inputs, "job-cb", callback_url=receiver.url)
        assert wait_until(lambda: len(receiver.received) == 3)
    payloads = [
        verify_callback(WEBHOOK_SECRET, headers, body) for headers, body in receiver.received
    ]
    assert {payload["task_status"] for payload in payloads} == {
        "submitted",
        "processing",
        "succeed",
    }
    assert all(payload["task_info"]["external_task_id"] == "job-cb" for payload in payloads)


def signed(body: str, when: datetime, secret: str = WEBHOOK_SECRET) -> dict:
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign("msg_1", when, body),
    }


BODY = json.dumps({"task_id": "1", "task_status": "succeed", "task_info": {}})
OTHER_SECRET = "whsec_" + base64.b64encode(b"another-secret-of-thirty-two-by!").decode()


@pytest.mark.parametrize(
    ("make_headers", "body"),
    [
        (lambda now: signed(BODY, now), BODY.replace("succeed", "failed")),
        (lambda now: signed(BODY, now, OTHER_SECRET), BODY),
        (lambda now: signed(BODY, now - timedelta(minutes=10)), BODY),
        (lambda now: signed(BODY, now + timedelta(minutes=10)), BODY),
        (lambda now: {}, BODY),
        (lambda now: {**signed(BODY, now), "webhook-signature": "garbage"}, BODY),
        (lambda now: signed("not json", now), "not json"),
        (lambda now: signed("[1, 2]", now), "[1, 2]"),
    ],
    ids=["tampered", "other secret", "stale", "future", "unsigned", "garbage", "not json", "list"],
)
def test_verify_callback_rejects_bad_or_stale_signatures_and_bodies(make_headers, body):
    # Signed when the test runs, not when it is collected: the suite takes minutes, and a
    # timestamp 10 minutes ahead at collection may be within the tolerance by then.
    headers = make_headers(datetime.now(UTC))
    with pytest.raises(CallbackRejected):
        verify_callback(WEBHOOK_SECRET, headers, body.encode())


def test_verify_callback_without_a_secret_only_parses():
    assert verify_callback(None, {}, BODY.encode())["task_status"] == "succeed"
    assert verify_callback(WEBHOOK_SECRET, signed(BODY, datetime.now(UTC)), BODY)["task_id"] == "1"
    with pytest.raises(CallbackRejected):
        verify_callback("", {}, b"{}")
