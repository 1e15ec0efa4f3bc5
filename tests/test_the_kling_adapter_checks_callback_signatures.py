"""The Kling adapter's callback check: it accepts the fake server's signed callbacks, rejects
bad or stale signatures and bodies, and without a secret only parses.
"""

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from jobs.providers.kling import (
    CallbackRejected,
    verify_callback,
)
from tests.kling_adapter_helpers import (
    fake_server,
    make_inputs,
    make_provider,
    submit,
    t2v_request,
)
from tests.kling_helpers import WEBHOOK_SECRET, CallbackReceiver, wait_until


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
