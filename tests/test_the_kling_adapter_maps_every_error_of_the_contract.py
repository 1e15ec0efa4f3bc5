"""The Kling adapter maps every error of the contract as its table says (retryable or not,
a content refusal or not, with a message that says what to do), answers without a known
envelope by their HTTP status, timeouts and dropped connections as retryable; content
refusals are flagged, at submit or later; a missing or too large result leaves nothing
behind, and bad input placeholders are final errors.
"""

from pathlib import Path

import httpx
import pytest

from fake_kling import ERROR_TABLE, MODERATION_MESSAGE
from jobs.providers.base import TaskState
from jobs.providers.kling import (
    KlingConfig,
    KlingProvider,
    is_content_refusal,
)
from tests.kling_adapter_helpers import (
    CONTENT,
    RETRYABLE,
    SHORT_TIMEOUT,
    fake_server,
    job,
    make_inputs,
    make_provider,
    poll_to_the_end,
    raised,
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
