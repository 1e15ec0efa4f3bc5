"""The Kling adapter never makes a second task or element when an answer was lost: a lost
element or video answer, a server error after the task was made and a duplicate external
id seen by another worker are each adopted.
"""

from pathlib import Path

import pytest

from tests.kling_adapter_helpers import (
    SHORT_TIMEOUT,
    fake_server,
    i2v_request,
    job,
    make_inputs,
    make_provider,
    raised,
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
