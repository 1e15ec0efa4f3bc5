"""Private media answers HTTP Range requests (206/416) so players can seek, members only."""

import asyncio

import pytest
from channels.db import aclose_old_connections
from django.core.files.base import ContentFile
from django.test import AsyncClient

from plumbing import ranged_files
from storyboard_app import actions
from tests.conftest import image_bytes


@pytest.fixture
def frame(cast, media_root):
    actions.set_sequence_frame(
        cast.sequence, "first_frame", ContentFile(image_bytes(), name="first.jpg")
    )
    cast.sequence.refresh_from_db()
    stored = cast.sequence.first_frame
    return stored.url, (media_root / stored.name).read_bytes()


def get(cast, url, who="viewer", **headers):
    return cast.page_client(who).get(url, headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_whole_file_says_it_accepts_ranges(cast, frame):
    url, content = frame
    response = get(cast, url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == content


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None)],
)
def test_a_byte_range_gets_206_with_exactly_those_bytes(cast, frame, header, first, last):
    url, content = frame
    response = get(cast, url, Range=header)
    expected = content[first : None if last is None else last + 1]
    assert response.status_code == 206
    assert body(response) == expected
    assert response["Content-Length"] == str(len(expected))
    start = first if first >= 0 else len(content) + first
    assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{len(content)}"


def test_a_range_past_the_end_gets_416_with_the_size(cast, frame):
    url, content = frame
    response = get(cast, url, Range=f"bytes={len(content) + 10}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(content)}"


def test_a_malformed_range_is_ignored_and_the_whole_file_served(cast, frame):
    url, content = frame
    response = get(cast, url, Range="bytes=0-1,5-9")
    assert response.status_code == 200
    assert body(response) == content


def test_an_outsider_cannot_read_even_a_range(cast, frame):
    url, _ = frame
    assert get(cast, url, who="outsider", Range="bytes=0-10").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_media_and_the_editor_answer_only_safe_methods(cast, frame, method):
    url, _ = frame
    client = cast.page_client("owner")
    assert getattr(client, method)(url).status_code == 405
    assert getattr(client, method)(f"/projects/{cast.project.pk}/").status_code == 405


def test_a_project_title_with_control_characters_is_refused_by_the_form(cast):
    client = cast.page_client("owner")
    response = client.post("/projects/", {"title": "Bad\x07title", "aspect_ratio": "16:9"})
    assert response.status_code == 200
    assert "Remove the control characters" in response.content.decode()
    assert not cast.owner.owned_projects.filter(title__startswith="Bad").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("header", "status", "first"), [("", 200, 0), ("bytes=100-", 206, 100)])
def test_under_asgi_a_file_is_streamed_chunk_by_chunk(
    cast, frame, monkeypatch, header, status, first
):
    """Under uvicorn Django would read a sync body whole into memory before sending it (a
    video per request): the body is an async iterator there, read a chunk at a time."""
    monkeypatch.setattr(ranged_files, "CHUNK_BYTES", 1024)
    url, content = frame

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(cast.viewer)
        response = await client.get(url, headers={"Range": header} if header else {})
        chunks = [chunk async for chunk in response.streaming_content]
        await aclose_old_connections()  # the view's thread hands its connection back
        return response, chunks

    response, chunks = asyncio.run(scenario())
    assert response.status_code == status
    assert response.is_async
    assert b"".join(chunks) == content[first:]
    assert len(chunks) == -(-(len(content) - first) // 1024)
    assert response["Content-Length"] == str(len(content) - first)
