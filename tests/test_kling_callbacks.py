"""The Kling callback endpoint: a signed status change makes its job poll at once; anything
unsigned (when a secret is set), stale or malformed is refused, and the body is never trusted
to finish a job."""

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from jobs import dispatch, transitions
from jobs.choices import JobState
from tests.job_helpers import queued_job

SECRET = "whsec_" + base64.b64encode(b"a-test-webhook-secret-32-bytes!!").decode()
URL = reverse("api-kling-callback")


@pytest.fixture
def submitted_job(cast, settings):
    settings.KLING_API_KEY = "key"
    job = queued_job(cast.editor, cast.sequence, "kling")
    transitions.move(job.pk, [JobState.QUEUED], JobState.SUBMITTED, provider_task_id="t-1")
    job.refresh_from_db()
    return job


def payload(job, status: str = "succeed") -> str:
    return json.dumps(
        {
            "task_id": "t-1",
            "task_status": status,
            "task_info": {"external_task_id": job.external_task_id},
            "task_result": {"videos": [{"id": "v", "url": "http://evil.example/v.mp4"}]},
        }
    )


def signed_headers(body: str, timestamp: float | None = None) -> dict:
    moment = timestamp or time.time()
    signature = Webhook(SECRET).sign("msg_1", datetime.fromtimestamp(moment, tz=UTC), body)
    return {
        "HTTP_WEBHOOK_ID": "msg_1",
        "HTTP_WEBHOOK_TIMESTAMP": str(int(moment)),
        "HTTP_WEBHOOK_SIGNATURE": signature,
    }


def post(body: str, **headers):
    return Client().post(URL, body, content_type="application/json", **headers)


def test_a_signed_success_makes_the_job_poll_now_and_trusts_nothing_else(
    submitted_job, settings, sent_tasks
):
    settings.KLING_WEBHOOK_SECRET = SECRET
    body = payload(submitted_job)

    response = post(body, **signed_headers(body))

    assert response.status_code == 200
    assert sent_tasks == [(dispatch.POLL, submitted_job.pk, submitted_job.step)]
    assert sent_tasks.urgent == [True]  # ahead of the queue: a user waits on this take
    submitted_job.refresh_from_db()
    assert submitted_job.state == JobState.SUBMITTED  # only a poll of Kling can finish it


def test_an_unsigned_callback_is_refused_when_a_secret_is_set(submitted_job, settings, sent_tasks):
    settings.KLING_WEBHOOK_SECRET = SECRET

    response = post(payload(submitted_job))

    assert response.status_code == 401
    assert sent_tasks == []


def test_a_forged_signature_is_refused(submitted_job, settings, sent_tasks):
    settings.KLING_WEBHOOK_SECRET = SECRET
    body = payload(submitted_job)
    headers = signed_headers(payload(submitted_job, "failed"))

    assert post(body, **headers).status_code == 401
    assert sent_tasks == []


def test_a_stale_signature_is_refused(submitted_job, settings, sent_tasks):
    settings.KLING_WEBHOOK_SECRET = SECRET
    body = payload(submitted_job)

    response = post(body, **signed_headers(body, time.time() - 3600))

    assert response.status_code == 401
    assert sent_tasks == []


def test_without_a_secret_callbacks_are_hints_that_only_trigger_a_poll(submitted_job, sent_tasks):
    assert post(payload(submitted_job)).status_code == 200
    assert sent_tasks == [(dispatch.POLL, submitted_job.pk, submitted_job.step)]


def test_a_progress_callback_does_not_poll(submitted_job, sent_tasks):
    assert post(payload(submitted_job, "processing")).status_code == 200
    assert sent_tasks == []


def test_a_callback_for_an_unknown_or_finished_job_is_ignored(submitted_job, sent_tasks):
    transitions.move(submitted_job.pk, [JobState.SUBMITTED], JobState.CANCELED)

    assert post(payload(submitted_job)).status_code == 200
    assert sent_tasks == []


@pytest.mark.parametrize(
    "body", ["not json", "[]", json.dumps({"task_id": 1}), json.dumps({"task_status": "x"})]
)
def test_a_malformed_body_is_a_400(db, body, sent_tasks):
    response = post(body)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert sent_tasks == []
