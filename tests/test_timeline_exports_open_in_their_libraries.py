"""Each export opens in the library that reads it (the OTIO adapters), with one clip per shot
cut at the shot boundaries inside the chosen take, named by sequence and shot, with a marker
per dialogue line and the shot's storyboard in its metadata; the zip holds the media where the
timeline points. A take a moderator took down is in no export and no zip."""

import asyncio
import io
import zipfile

import opentimelineio as otio
import pytest
from channels.db import aclose_old_connections
from django.db import connection
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports.edit import FORMATS, shot_segments, timeline_of
from exports.reel import reel_of
from plumbing import ranged_files
from tests.export_helpers import DURATIONS, Reel, make_reel, shots_of

RATE = 24
NAMES = ["S01 Shot 01", "S01 Shot 02", "S01 Shot 03", "S02 Shot 01", "S02 Shot 02", "S03 Shot 01"]
READ_QUERIES = 4  # sequences, shots, dialogue lines, chosen takes


@pytest.fixture
def reel(cast, media_root) -> Reel:
    return make_reel(cast)


def exported(reel: Reel, kind: str, media: bool = False):
    url = reverse(f"api-project-export-{kind}", args=[reel.cast.project.pk])
    return reel.cast.client("viewer").get(url + ("?media=1" if media else ""))


def read_back(reel: Reel, kind: str) -> otio.schema.Timeline:
    response = exported(reel, kind)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FORMATS[kind].content_type.split(";")[0])
    assert f'.{FORMATS[kind].extension}"' in response["Content-Disposition"]
    return otio.adapters.read_from_string(response.content.decode(), FORMATS[kind].adapter)


def seconds(time: otio.opentime.RationalTime) -> float:
    return time.to_seconds()


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_has_a_clip_per_shot_in_order_cut_at_the_shot_boundaries(reel, kind):
    clips = list(read_back(reel, kind).find_clips())

    assert [clip.name for clip in clips] == NAMES
    starts = [0, 2, 5]
    for clip, start, duration in zip(clips[:3], starts, DURATIONS, strict=True):
        assert seconds(clip.source_range.start_time) == start
        assert seconds(clip.source_range.duration) == duration
        assert clip.media_reference.target_url.endswith(f"S01-take-{reel.take.pk}.mp4")
    # The sequence without a take keeps its timing with clips of its shots' lengths.
    assert [seconds(clip.source_range.duration) for clip in clips[3:5]] == [5, 1]


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_format_marks_each_dialogue_line(reel, kind):
    clips = list(read_back(reel, kind).find_clips())

    for clip in clips[:3]:
        [marker] = clip.markers
        assert marker.name.lower() == "mara"
        assert seconds(marker.marked_range.start_time) == seconds(clip.source_range.start_time)


def test_the_otio_export_carries_the_references_markers_and_storyboard(reel):
    timeline = read_back(reel, "otio")
    clips = list(timeline.find_clips())
    shots = shots_of(reel.cast.sequence)

    assert clips[1].media_reference.target_url == f"media/S01-take-{reel.take.pk}.mp4"
    assert clips[1].markers[0].comment == "Line 2"
    board = clips[1].metadata["storyboard"]
    assert board["sequence_id"] == reel.cast.sequence.pk
    assert board["shot_id"] == shots[1].pk
    assert board["shot_version"] == shots[1].version
    assert (board["shot_size"], board["camera_angle"], board["camera_movement"]) == (
        shots[1].shot_size,
        shots[1].camera_angle,
        shots[1].camera_movement,
    )
    assert board["text"] == "Shot 2 action"
    assert board["dialogue"][0]["speaker"] == "Mara"
    assert board["dialogue"][0]["text"] == "Line 2"
    assert isinstance(clips[3].media_reference, otio.schema.MissingReference)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_taken_down_take_is_in_no_export(reel, kind):
    response = exported(reel, kind)
    text = response.content.decode()

    assert f"take-{reel.taken_down.pk}" not in text
    assert reel.taken_down.video.name not in text
    last = list(otio.adapters.read_from_string(text, FORMATS[kind].adapter).find_clips())[-1]
    assert last.name == "S03 Shot 01"
    assert not getattr(last.media_reference, "target_url", "").endswith(".mp4")


def test_the_zip_holds_the_timeline_and_the_chosen_takes_media_only(reel):
    response = exported(reel, "fcp7", media=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="lighthouse.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["lighthouse.xml", f"media/S01-take-{reel.take.pk}.mp4"]
    with open(reel.take.video.path, "rb") as video:
        assert archive.read(f"media/S01-take-{reel.take.pk}.mp4") == video.read()
    timeline = otio.adapters.read_from_string(archive.read("lighthouse.xml").decode(), "fcp_xml")
    targets = {
        clip.media_reference.target_url
        for clip in timeline.find_clips()
        if isinstance(clip.media_reference, otio.schema.ExternalReference)
        and clip.media_reference.target_url.endswith(".mp4")
    }
    assert {target.rsplit("media/", 1)[-1] for target in targets} == {
        f"S01-take-{reel.take.pk}.mp4"
    }


def test_an_unknown_format_is_not_a_route(reel):
    url = reverse("api-project-export-otio", args=[reel.cast.project.pk]).replace("otio", "avid")

    assert reel.cast.client("viewer").get(url).status_code == 404


def test_the_reel_is_read_in_a_fixed_number_of_queries(reel):
    with CaptureQueriesContext(connection) as queries:
        read = reel_of(reel.cast.project)
    assert len(queries) == READ_QUERIES
    assert [len(sequence["shots"]) for sequence in read["sequences"]] == [3, 2, 1]
    assert read["sequences"][2]["take"] is None
    assert len(list(timeline_of(read).find_clips())) == len(NAMES)


def plain_shot(shot_id: int, seconds: int) -> dict:
    return {
        "id": shot_id,
        "version": 1,
        "position": shot_id,
        "duration": seconds,
        "shot_size": "wide",
        "camera_angle": "eye_level",
        "camera_movement": "static",
        "text": "",
        "lettering": "",
        "dialogue": [],
    }


def test_the_take_is_cut_where_its_job_froze_the_shots_not_where_they_are_now():
    """The shots were 2, 3 and 4 s when the take was made; the first is 5 s now and a fourth
    shot came after: the cut follows the take, the new shot has no media but keeps its time."""
    take = {
        "id": 7,
        "media_name": "S01-take-7.mp4",
        "duration": 9.0,
        "fps": 4,
        "shot_durations": [2, 3, 4],
    }
    shots = [plain_shot(1, 5), plain_shot(2, 3), plain_shot(3, 4), plain_shot(4, 6)]
    sequence = {"id": 1, "number": 1, "title": "", "take": take, "shots": shots}

    assert shot_segments(sequence) == [(0, 2), (2, 3), (5, 4), None]
    clips = list(timeline_of({"id": 1, "title": "T", "sequences": [sequence]}).find_clips())
    assert [clip.source_range.start_time.to_seconds() for clip in clips] == [0, 2, 5, 0]
    assert [clip.duration().to_seconds() for clip in clips] == [2, 3, 4, 6]
    assert clips[0].duration().rate == 24  # 4 fps has no timecode: the edit counts at 24
    assert isinstance(clips[3].media_reference, otio.schema.MissingReference)


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_zip_is_streamed_chunk_by_chunk(cast, media_root, monkeypatch):
    """Under uvicorn a sync body would be read whole into memory first (all the takes of a
    project): the zip goes out through an async iterator, a chunk at a time."""
    make_reel(cast)
    monkeypatch.setattr(ranged_files, "CHUNK_BYTES", 1024)
    url = reverse("api-project-export-otio", args=[cast.project.pk]) + "?media=1"

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(cast.viewer)
        response = await client.get(url)
        chunks = [chunk async for chunk in response.streaming_content]
        await aclose_old_connections()  # the view's thread hands its connection back
        return response, chunks

    response, chunks = asyncio.run(scenario())
    assert response.status_code == 200
    assert response.is_async
    assert len(chunks) > 1
    names = zipfile.ZipFile(io.BytesIO(b"".join(chunks))).namelist()
    assert any(name.startswith("media/") for name in names)
