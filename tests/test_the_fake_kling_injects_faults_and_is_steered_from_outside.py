"""Every injectable fault of the fake Kling server: queued submit and query errors with the
statuses of the error table, an error after the task was made, hung requests, a server
that is down, tasks failing moderation later, missing result links, a changed processing
time; the control endpoint steers it from outside, reset forgets everything, and it runs
as a separate process.
"""

import socket
import subprocess
import sys
import time

import httpx
import pytest

from fake_kling import ERROR_TABLE, MODERATION_MESSAGE
from tests.fake_kling_helpers import (
    PROCESSING,
    REPO,
    T2V,
    api_client,
    fake_server,
    final_status,
    plain_client,
    t2v,
)


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
