"""The fake Kling server answers raw HTTP the way docs/kling_api.md says the legacy API
does: envelopes, error codes with their HTTP statuses, token checks, validation, time-driven
statuses, a real result MP4, signed callbacks, elements, and every injectable fault."""

import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import av
import httpx
import jwt
import pytest
from standardwebhooks import Webhook

from fake_kling import ERROR_TABLE, MODERATION_MESSAGE, FakeKling
from tests.kling_helpers import WEBHOOK_SECRET, CallbackReceiver, image_b64, wait_until

API_KEY, ACCESS_KEY = "key-123", "ak-123"
SECRET_KEY = "sk-a-secret-key-long-enough-for-hs256"
OTHER_SECRET = "sk-another-secret-key-for-hs256-tokens"
T2V = "/v1/videos/text2video"
I2V = "/v1/videos/image2video"
OMNI = "/v1/videos/omni-video"
ELEMENTS = "/v1/general/advanced-custom-elements"
PROCESSING = 0.3
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    with FakeKling(
        api_key=API_KEY,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
        processing_seconds=PROCESSING,
        element_seconds=0.2,
    ) as fake:
        yield fake


@pytest.fixture
def client(server):
    with httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=5,
        verify=False,  # plain HTTP on the loopback; skips loading CA certificates per test
    ) as http:
        yield http


@pytest.fixture
def plain(server):
    """A client without credentials (result links, the control endpoint, auth failures)."""
    with httpx.Client(base_url=server.base_url, timeout=5, verify=False) as http:
        yield http


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


# -- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, 1001),
        ("", 1001),
        ("Bearer", 1001),
        ("Basic a2V5OnZhbHVl", 1001),
        ("Bearer wrong-key", 1002),
        ("Bearer " + jwt.encode({"iss": ACCESS_KEY, "exp": 2**40}, OTHER_SECRET, "HS256"), 1002),
        ("Bearer " + jwt.encode({"iss": "someone", "exp": 2**40}, SECRET_KEY, "HS256"), 1002),
    ],
)
def test_missing_or_wrong_credentials_get_401_with_their_code(plain, authorization, code):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = plain.post(T2V, json=t2v(), headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["request_id"]


def test_a_token_not_yet_valid_gets_1003_and_an_expired_one_1004(plain):
    early = token(nbf=int(time.time()) + 60)
    late = token(exp=int(time.time()) - 60, nbf=int(time.time()) - 120)
    for value, code in ((early, 1003), (late, 1004)):
        response = plain.get(f"{T2V}/1", headers={"Authorization": f"Bearer {value}"})
        assert (response.status_code, response.json()["code"]) == (401, code)


def test_the_api_key_and_a_signed_token_are_both_accepted(plain):
    for value in (API_KEY, token()):
        response = plain.post(T2V, json=t2v(), headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 200
        assert response.json()["code"] == 0


# -- validation ------------------------------------------------------------------------------

LONG = "x" * 2501
SHOTS_OK = [
    {"index": 1, "prompt": "a", "duration": "2"},
    {"index": 2, "prompt": "b", "duration": "3"},
]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (T2V, t2v(model_name="kling-v2-6"), "model_name"),
        (OMNI, omni(model_name="kling-v3"), "model_name"),
        (T2V, t2v(duration=5), "duration"),
        (T2V, t2v(duration="2"), "duration"),
        (T2V, t2v(duration="16"), "duration"),
        (T2V, t2v(mode="ultra"), "mode"),
        (T2V, t2v(sound="loud"), "sound"),
        (T2V, t2v(aspect_ratio="4:3"), "aspect_ratio"),
        (T2V, t2v(prompt=LONG), "prompt"),
        (T2V, t2v(negative_prompt=LONG), "negative_prompt"),
        (T2V, t2v(prompt=""), "prompt"),
        (T2V, t2v(multi_shot=True), "shot_type"),
        (T2V, t2v(multi_shot=True, shot_type="customize"), "multi_prompt"),
        (T2V, t2v(multi_shot=True, shot_type="intelligence", prompt=""), "prompt"),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                duration="7",
                multi_prompt=[{"index": i, "prompt": "s", "duration": "1"} for i in range(1, 8)],
            ),
            "multi_prompt",
        ),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                multi_prompt=[{"index": 1, "prompt": "p" * 513, "duration": "5"}],
            ),
            "multi_prompt[0].prompt",
        ),
        (
            T2V,
            t2v(
                multi_shot=True,
                shot_type="customize",
                multi_prompt=[
                    {"index": 1, "prompt": "a", "duration": "0"},
                    {"index": 2, "prompt": "b", "duration": "5"},
                ],
            ),
            "multi_prompt[0].duration",
        ),
        (
            T2V,
            t2v(multi_shot=True, shot_type="customize", duration="6", multi_prompt=SHOTS_OK),
            "multi_prompt",
        ),
        (I2V, {"model_name": "kling-v3", "duration": "5"}, "image"),
        (I2V, i2v(image="data:image/png;base64," + image_b64()), "image"),
        (I2V, i2v(image="not base64 at all!"), "image"),
        (I2V, i2v(image=image_b64((200, 400))), "image"),
        (I2V, i2v(image=image_b64((1000, 300))), "image"),
        (I2V, i2v(image=image_b64((640, 360), "GIF")), "image"),
        (I2V, i2v(image_tail=image_b64((100, 100))), "image_tail"),
        (I2V, i2v(element_list=[{"element_id": 1}] * 4), "element_list"),
        (I2V, i2v(element_list=[{"element_id": 424242}]), "element_list[0].element_id"),
        (I2V, i2v(element_list=[{"element_id": "12"}]), "element_list[0].element_id"),
        (OMNI, omni(aspect_ratio=None), "aspect_ratio"),
        (OMNI, omni(image_list=[{"image_url": image_b64(), "type": "end_frame"}]), "image_list"),
        (OMNI, omni(image_list=[{"image_url": image_b64()}] * 8), "element_list"),
        (
            OMNI,
            omni(video_list=[{"video_url": "https://v/1.mp4", "refer_type": "feature"}] * 2),
            "video_list",
        ),
        (
            OMNI,
            omni(video_list=[{"video_url": "https://v/1.mp4", "refer_type": "base"}], sound="on"),
            "sound",
        ),
        (T2V, t2v(callback_url="ftp://somewhere"), "callback_url"),
    ],
)
def test_invalid_bodies_get_400_and_1201_naming_the_field(client, path, body, field):
    body = {key: value for key, value in body.items() if value is not None}
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 1201
    assert response.json()["message"].startswith(f"{field}:")


def test_valid_storyboards_and_references_are_accepted(client):
    storyboard = t2v(multi_shot=True, shot_type="customize", prompt="", multi_prompt=SHOTS_OK)
    references = omni(
        image_list=[
            {"image_url": image_b64(), "type": "first_frame"},
            {"image_url": image_b64(), "type": "end_frame"},
        ],
        aspect_ratio=None,
    )
    for path, body in ((T2V, storyboard), (I2V, i2v(prompt="")), (OMNI, {**references})):
        body = {key: value for key, value in body.items() if value is not None}
        assert client.post(path, json=body).json()["code"] == 0


def test_a_body_that_is_not_json_gets_1200(client):
    response = client.post(T2V, content=b"{not json", headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, 1200)


def test_an_unknown_path_gets_404_and_1202(client):
    response = client.post("/v1/videos/text-to-everything", json={})
    assert (response.status_code, response.json()["code"]) == (404, 1202)


def test_an_external_task_id_is_unique_per_account(client):
    assert client.post(T2V, json=t2v(external_task_id="job-1")).json()["code"] == 0
    again = client.post(I2V, json=i2v(external_task_id="job-1"))
    assert again.status_code == 400
    assert again.json() | {"request_id": ""} == {
        "code": 1201,
        "message": "external_task_id already exists",
        "request_id": "",
    }


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


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"element_name": "n" * 21}, "element_name"),
        ({"element_description": "d" * 101}, "element_description"),
        ({"reference_type": "video_refer"}, "reference_type"),
        (
            {"element_image_list": {"frontal_image": image_b64(), "refer_images": []}},
            "element_image_list.refer_images",
        ),
        (
            {"element_image_list": {"frontal_image": image_b64((100, 100))}},
            "element_image_list.frontal_image",
        ),
        ({"tag_list": [{"tag_id": "o_999"}]}, "tag_list[0].tag_id"),
    ],
)
def test_invalid_element_bodies_get_1201_naming_the_field(client, change, field):
    response = client.post(ELEMENTS, json=element_body(**change))
    assert (response.status_code, response.json()["code"]) == (400, 1201)
    assert response.json()["message"].startswith(f"{field}:")


# -- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [5000, 5001, 5002, 1302, 1303, 1301, 1102, 1103, 1304])
def test_queued_submit_errors_answer_with_the_status_of_the_table(server, client, code):
    server.fail_next_submits(code, count=2)
    for _ in range(2):
        response = client.post(T2V, json=t2v())
        assert (response.status_code, response.json()["code"]) == (ERROR_TABLE[code][0], code)
    assert client.post(T2V, json=t2v()).json()["code"] == 0
    assert server.stats()["tasks_created"] == 1


def test_an_error_after_create_still_makes_the_task(server, client):
    server.fail_next_submits(5000, after_create=True)
    response = client.post(T2V, json=t2v(external_task_id="made-anyway"))
    assert (response.status_code, response.json()["code"]) == (500, 5000)
    assert client.get(f"{T2V}/made-anyway").json()["code"] == 0


def test_queued_query_errors_hit_queries_only(server, client):
    task_id = client.post(T2V, json=t2v()).json()["data"]["task_id"]
    server.fail_next_queries(5002, message="backlog")
    response = client.get(f"{T2V}/{task_id}")
    assert (response.status_code, response.json()["code"]) == (504, 5002)
    assert response.json()["message"] == "backlog"
    assert client.get(f"{T2V}/{task_id}").json()["code"] == 0


def test_a_hung_request_outlasts_the_client_timeout(server, client):
    server.hang_next_requests(seconds=3, kind="submit")
    with pytest.raises(httpx.ReadTimeout):
        client.post(T2V, json=t2v(external_task_id="lost"), timeout=0.3)
    assert client.get(f"{T2V}/lost").json()["code"] == 1203  # never reached the server
    server.hang_next_requests(seconds=3, kind="submit", process_first=True)
    with pytest.raises(httpx.ReadTimeout):
        client.post(T2V, json=t2v(external_task_id="answer-lost"), timeout=0.3)
    assert client.get(f"{T2V}/answer-lost").json()["code"] == 0  # made, only the answer lost


def test_a_down_server_answers_503_until_it_comes_back(server, client):
    server.go_down(60)
    response = client.get(T2V)
    assert (response.status_code, response.json()["code"]) == (503, 5001)
    server.come_back()
    assert client.get(T2V).json()["code"] == 0
    server.go_down(until=time.time() + 0.2, close_connection=True)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(T2V)
    time.sleep(0.25)
    assert client.get(T2V).json()["code"] == 0


def test_tasks_can_be_made_to_fail_moderation_later(server, client):
    server.fail_next_tasks()
    first = client.post(T2V, json=t2v()).json()["data"]["task_id"]
    second = client.post(T2V, json=t2v(external_task_id="second")).json()["data"]["task_id"]
    assert server.fail_task("second", "Content violates the platform policy")
    failed = final_status(client, f"{T2V}/{first}")
    assert (failed["task_status"], failed["task_status_msg"]) == ("failed", MODERATION_MESSAGE)
    assert failed["task_result"]["videos"] == []
    other = final_status(client, f"{T2V}/{second}")
    assert other["task_status_msg"] == "Content violates the platform policy"
    assert not server.fail_task("no-such-task")


def test_result_links_can_be_made_missing(server, client, plain):
    task_id = client.post(T2V, json=t2v(duration="3")).json()["data"]["task_id"]
    url = final_status(client, f"{T2V}/{task_id}")["task_result"]["videos"][0]["url"]
    server.set_results_missing()
    assert plain.get(url).status_code == 404
    server.set_results_missing(False)
    assert plain.get(url).status_code == 200
    assert server.stats()["requests"]["result"] == 2


def test_the_processing_time_can_be_changed(server, client):
    server.set_processing_seconds(60)
    task_id = client.post(T2V, json=t2v()).json()["data"]["task_id"]
    time.sleep(PROCESSING + 0.1)
    assert client.get(f"{T2V}/{task_id}").json()["data"]["task_status"] != "succeed"
    server.set_processing_seconds((0.05, 0.1))
    quick = client.post(T2V, json=t2v()).json()["data"]["task_id"]
    assert final_status(client, f"{T2V}/{quick}")["task_status"] == "succeed"


def test_the_control_endpoint_steers_the_server_from_outside(client, plain):
    control = "/_control"
    answer = plain.post(control, json={"action": "fail_next_submits", "code": 1303, "count": 1})
    assert answer.json()["ok"] is True
    assert client.post(T2V, json=t2v()).json()["code"] == 1303
    plain.post(control, json={"action": "set_processing_seconds", "seconds": [0.05, 0.05]})
    plain.post(control, json={"action": "go_down", "seconds": 60})
    assert client.get(T2V).status_code == 503
    plain.post(control, json={"action": "come_back"})
    stats = plain.get(control + "/stats").json()
    assert stats["requests"] == {
        "submit": 1,
        "query": 1,
        "element": 0,
        "element_query": 0,
        "result": 0,
    }
    assert stats["errors_injected"] == 1
    bad = plain.post(control, json={"action": "shutdown_everything"})
    assert (bad.status_code, bad.json()["ok"]) == (400, False)
    wrong = plain.post(control, json={"action": "fail_next_submits", "code": 42})
    assert wrong.status_code == 400
    assert plain.post(control, json={"action": "reset"}).json()["stats"]["requests"]["submit"] == 0


def test_reset_forgets_tasks_faults_and_counters(server, client):
    client.post(T2V, json=t2v(external_task_id="before-reset"))
    server.fail_next_submits(5000, count=5)
    server.set_results_missing()
    server.reset()
    assert client.get(f"{T2V}/before-reset").json()["code"] == 1203
    assert client.post(T2V, json=t2v(external_task_id="before-reset")).json()["code"] == 0
    assert server.stats()["tasks_created"] == 1
    assert not server.faults.results_missing


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_runs_as_a_separate_process():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_kling", "--port", str(port), "--api-key", "cli-key"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == f"http://127.0.0.1:{port}"
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": "Bearer cli-key"}
        assert httpx.post(base + T2V, json=t2v(), headers=headers).json()["code"] == 0
        assert httpx.get(base + "/_control/stats").json()["tasks_created"] == 1
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
