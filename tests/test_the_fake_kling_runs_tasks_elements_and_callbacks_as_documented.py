"""The fake Kling server's tasks live as docs/kling_api.md says: submitted, processing,
succeed, with a real result MP4 to download; a task is found only under its product; the
list pages newest first; each status change is a signed callback (failed deliveries are
counted, not raised); an element is registered, then usable by its id.
"""

import io
import json
import time

import av
import pytest
from standardwebhooks import Webhook

from tests.fake_kling_helpers import (
    ELEMENTS,
    I2V,
    OMNI,
    T2V,
    api_client,
    element_body,
    fake_server,
    i2v,
    make_element,
    omni,
    plain_client,
    t2v,
)
from tests.kling_helpers import WEBHOOK_SECRET, CallbackReceiver, wait_until


@pytest.fixture
def server():
    with fake_server() as fake:
        yield fake


@pytest.fixture
def client(server):
    with api_client(server) as http:
        yield http


@pytest.fixture
def plain(server):
    """A client without credentials (result links, the control endpoint, auth failures)."""
    with plain_client(server) as http:
        yield http


# -- lifecycle -------------------------------------------------------------------------------


def test_a_task_goes_submitted_processing_succeed_and_its_video_downloads(client, plain):
    created = client.post(T2V, json=t2v(duration="4", external_task_id="life-1")).json()
    assert created["message"] == "SUCCEED"
    data = created["data"]
    assert data["task_status"] == "submitted"
    assert data["task_info"] == {"external_task_id": "life-1"}
    assert data["created_at"] == data["updated_at"] > 1_600_000_000_000  # milliseconds
    seen = []
    while not seen or seen[-1] != "succeed":
        status = client.get(f"{T2V}/{data['task_id']}").json()["data"]["task_status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        time.sleep(0.01)
    # Each status in order; `submitted` lasts 60 ms, a slow first poll may miss it.
    assert seen in (["submitted", "processing", "succeed"], ["processing", "succeed"])
    done = client.get(f"{T2V}/life-1").json()["data"]
    assert done["task_id"] == data["task_id"]
    assert done["task_status_msg"] == ""
    assert done["final_unit_deduction"] == "0.4"
    assert done["updated_at"] > done["created_at"]
    video = done["task_result"]["videos"][0]
    assert video["duration"] == "4.000"
    head = plain.head(video["url"])
    assert head.status_code == 200
    assert head.headers["content-type"] == "video/mp4"
    content = plain.get(video["url"]).content
    assert len(content) == int(head.headers["content-length"])
    with av.open(io.BytesIO(content)) as container:
        assert container.duration / av.time_base == pytest.approx(4, abs=0.2)
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert container.streams.audio[0].codec_context.name == "aac"


def test_a_task_is_only_found_under_the_product_it_was_made_on(client):
    task_id = client.post(T2V, json=t2v(external_task_id="only-t2v")).json()["data"]["task_id"]
    for path in (f"{I2V}/{task_id}", f"{I2V}/only-t2v", f"{T2V}/no-such-task"):
        response = client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, 1203)
    assert client.get(f"{T2V}/only-t2v").json()["data"]["task_id"] == task_id


def test_the_list_pages_a_products_tasks_newest_first(client):
    ids = [client.post(T2V, json=t2v()).json()["data"]["task_id"] for _ in range(3)]
    client.post(I2V, json=i2v())
    page = client.get(T2V, params={"pageNum": 1, "pageSize": 2}).json()["data"]
    assert [task["task_id"] for task in page] == [ids[2], ids[1]]
    second = client.get(T2V, params={"pageNum": 2, "pageSize": 2}).json()["data"]
    assert [task["task_id"] for task in second] == [ids[0]]
    response = client.get(T2V, params={"pageSize": 501})
    assert (response.status_code, response.json()["code"]) == (400, 1201)


def test_callbacks_follow_each_status_change_and_are_signed(server, client):
    with CallbackReceiver() as receiver:
        client.post(T2V, json=t2v(callback_url=receiver.url, external_task_id="cb-1"))
        wait_until(lambda: len(receiver.received) >= 3)
        time.sleep(0.05)
    assert len(receiver.received) == 3
    statuses = []
    for headers, body in receiver.received:
        payload = Webhook(WEBHOOK_SECRET).verify(body, headers)
        assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= {
            name.lower() for name in headers
        }
        assert "code" not in payload  # the flat legacy payload, not an envelope
        assert payload["task_info"]["external_task_id"] == "cb-1"
        statuses.append(payload["task_status"])
    assert sorted(statuses, key=["submitted", "processing", "succeed"].index) == [
        "submitted",
        "processing",
        "succeed",
    ]
    last = json.loads(next(body for _, body in receiver.received if b'"succeed"' in body))
    assert last["task_result"]["videos"][0]["url"].endswith(".mp4")
    assert server.stats()["callbacks_sent"] == 3


def test_failed_callback_deliveries_are_counted_not_raised(server, client):
    with CallbackReceiver(status=500) as receiver:
        client.post(T2V, json=t2v(callback_url=receiver.url))
        assert wait_until(lambda: server.stats()["callbacks_failed"] == 3)
    assert server.stats()["callbacks_sent"] == 0
    assert client.get(T2V).json()["code"] == 0  # the server carries on


# -- elements --------------------------------------------------------------------------------


def test_an_element_is_registered_then_usable_by_its_id(client):
    created = client.post(ELEMENTS, json=element_body(external_task_id="el-1")).json()["data"]
    assert created["task_status"] == "submitted"
    early = client.get(f"{ELEMENTS}/el-1").json()["data"]
    assert early["task_result"]["elements"] == []
    element_id = make_element(client)
    done = client.get(f"{ELEMENTS}/el-1").json()["data"]
    element = done["task_result"]["elements"][0]
    assert isinstance(element["element_id"], int)
    assert element["element_name"] == "Mara"
    assert element["tag_list"] == [{"tag_id": "o_102"}]
    response = client.post(I2V, json=i2v(element_list=[{"element_id": element_id}]))
    assert response.json()["code"] == 0
    assert (
        client.post(OMNI, json=omni(element_list=[{"element_id": element_id}])).json()["code"] == 0
    )
