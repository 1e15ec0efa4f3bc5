"""An export edited in code as an editor would (two shots swapped, one trimmed) and brought
back proposes exactly that change, from OTIO and from an EDL; applying it changes the
storyboard, all or nothing, and a shot changed meanwhile refuses it with a 409. Malformed or
hostile files get a 400 with a message, never a 500."""

import json

import opentimelineio as otio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.edit_import import MAX_EDIT_BYTES
from storyboard_app import actions
from tests.export_helpers import Reel, make_reel, shots_of

RATE = 24
ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600"}


@pytest.fixture
def reel(cast, media_root) -> Reel:
    return make_reel(cast)


def export(reel: Reel, kind: str) -> otio.schema.Timeline:
    url = reverse(f"api-project-export-{kind}", args=[reel.cast.project.pk])
    text = reel.cast.client("owner").get(url).content.decode()
    return otio.adapters.read_from_string(
        text, ADAPTERS[kind], **({"rate": RATE} if kind == "edl" else {})
    )


def swapped_and_trimmed(timeline: otio.schema.Timeline) -> otio.schema.Timeline:
    """S01 Shot 01 and 02 swapped, S01 Shot 03 trimmed from 4 s to 3 s."""
    track = timeline.video_tracks()[0]
    clips = list(track)
    del track[:]
    clips[0], clips[1] = clips[1], clips[0]
    third = clips[2].source_range
    clips[2].source_range = otio.opentime.TimeRange(
        third.start_time, otio.opentime.RationalTime(3 * RATE, RATE)
    )
    track.extend(clips)
    return timeline


def upload(reel: Reel, content: bytes, name: str, who: str = "owner"):
    url = reverse("api-project-edit-import", args=[reel.cast.project.pk])
    file = SimpleUploadedFile(name, content)
    return reel.cast.client(who).post(url, {"file": file}, format="multipart")


def send(reel: Reel, timeline: otio.schema.Timeline, kind: str):
    text = otio.adapters.write_to_string(timeline, ADAPTERS[kind])
    return upload(reel, text.encode(), f"edit.{kind}")


def apply(reel: Reel, proposal: dict):
    url = reverse("api-project-edit-import-apply", args=[reel.cast.project.pk])
    return reel.cast.client("editor").post(url, proposal, format="json")


def expected(reel: Reel) -> dict:
    one, two, three = shots_of(reel.cast.sequence)
    row = lambda shot, seconds: {  # noqa: E731
        "id": shot.pk,
        "version": shot.version,
        "position": shot.position,
        "duration": seconds,
    }
    return {
        "sequences": [
            {
                "id": reel.cast.sequence.pk,
                "number": 1,
                "shots": [row(two, 3), row(one, 2), row(three, 3)],
            }
        ]
    }


CHANGES = ["S01: new order S01 Shot 02, S01 Shot 01, S01 Shot 03", "S01 Shot 03: 4 s → 3 s"]


@pytest.mark.parametrize("kind", ["otio", "edl"])
def test_two_shots_swapped_and_one_trimmed_come_back_as_exactly_that(reel, kind):
    response = send(reel, swapped_and_trimmed(export(reel, kind)), kind)

    assert response.status_code == 200, response.content
    assert response.json() == {"proposal": expected(reel), "changes": CHANGES, "problems": []}


@pytest.mark.parametrize("kind", ["otio", "edl"])
def test_an_untouched_export_proposes_nothing(reel, kind):
    response = send(reel, export(reel, kind), kind)

    assert response.json() == {"proposal": {"sequences": []}, "changes": [], "problems": []}


def test_an_edl_without_clip_names_is_matched_by_reel_and_source_timecode(reel):
    timeline = swapped_and_trimmed(export(reel, "edl"))
    text = otio.adapters.write_to_string(timeline, "cmx_3600")
    unnamed = "\n".join(line for line in text.splitlines() if "CLIP NAME" not in line)

    response = upload(reel, unnamed.encode(), "edit.edl")

    assert response.json()["proposal"]["sequences"][0] == expected(reel)["sequences"][0]


def test_unknown_clips_and_missing_shots_are_reported_not_guessed(reel):
    timeline = export(reel, "otio")
    track = timeline.video_tracks()[0]
    del track[1]  # S01 Shot 02 left out of the edit
    track.append(otio.schema.Clip(name="B-roll of gulls", source_range=track[0].source_range))

    body = send(reel, timeline, "otio").json()

    assert body["proposal"] == {"sequences": []}
    assert body["problems"] == [
        "Clip 6 “B-roll of gulls” matches no shot: it is left out.",
        "S01 Shot 02 is not in the edit: it keeps its place and length.",
    ]


def test_applying_the_proposal_changes_the_storyboard(reel):
    before = shots_of(reel.cast.sequence)
    proposal = send(reel, swapped_and_trimmed(export(reel, "otio")), "otio").json()["proposal"]

    response = apply(reel, proposal)

    assert response.status_code == 200
    assert response.json() == {"durations_changed": 1, "sequences_reordered": 1}
    after = shots_of(reel.cast.sequence)
    assert [shot.pk for shot in after] == [before[1].pk, before[0].pk, before[2].pk]
    assert [shot.duration for shot in after] == [3, 2, 3]


def test_a_shot_changed_meanwhile_refuses_the_whole_proposal_with_409(reel, db_rows):
    proposal = send(reel, swapped_and_trimmed(export(reel, "otio")), "otio").json()["proposal"]
    first = shots_of(reel.cast.sequence)[0]
    actions.update_shot(first, first.version, {"text": "Rewritten"})
    rows = db_rows()

    response = apply(reel, proposal)

    assert response.status_code == 409
    assert response.json()["changed"] == [
        {"sequence": reel.cast.sequence.pk, "shot": first.pk, "change": "edited meanwhile"}
    ]
    assert db_rows() == rows


def test_a_reorder_meanwhile_refuses_the_proposal_too(reel):
    proposal = send(reel, swapped_and_trimmed(export(reel, "otio")), "otio").json()["proposal"]
    shots = shots_of(reel.cast.sequence)
    actions.reorder_shots(reel.cast.sequence, [shots[2].pk, shots[0].pk, shots[1].pk])

    response = apply(reel, proposal)

    assert response.status_code == 409
    assert {row["change"] for row in response.json()["changed"]} == {"moved meanwhile"}


def test_a_proposal_naming_another_projects_sequence_is_refused(reel):
    proposal = expected(reel)
    proposal["sequences"][0]["id"] = reel.cast.outsider.owned_projects.get().sequences.get().pk

    response = apply(reel, proposal)

    assert response.status_code == 400
    assert "sequences" in response.json()


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


HOSTILE = {
    "garbage bytes": (bytes(range(256)) * 8, "edit.otio"),
    "garbage text": (b"hello, this is not a timeline\n" * 20, "edit.edl"),
    "too big": (b" " * (MAX_EDIT_BYTES + 1), "edit.edl"),
    "deeply nested": (b'{"OTIO_SCHEMA": "Timeline.1", "x": ' + nested(50_000) + b"}", "edit.otio"),
    "not a timeline": (json.dumps({"OTIO_SCHEMA": "Clip.2"}).encode(), "edit.otio"),
    "wrong types": (
        json.dumps({"OTIO_SCHEMA": "Timeline.1", "tracks": "all of them", "name": 7}).encode(),
        "edit.otio",
    ),
    "bad timecode": (b"001  AX V C 00:00:99:99 xx 00:00:00:00 00:00:01:00\n", "edit.edl"),
    "empty": (b"", "edit.otio"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_malformed_or_hostile_files_get_a_400_with_a_message(reel, case, db_rows):
    content, name = HOSTILE[case]
    rows = db_rows()

    response = upload(reel, content, name)

    assert response.status_code == 400, response.content
    [message] = response.json()["file"]
    assert message
    assert db_rows() == rows


@pytest.mark.parametrize(
    "body",
    [
        {"sequences": "all"},
        {"sequences": [{"id": "x", "shots": []}]},
        {
            "sequences": [
                {"id": 1, "shots": [{"id": 1, "version": 1, "position": 0, "duration": 0}]}
            ]
        },
        [1, 2, 3],
    ],
)
def test_malformed_proposals_get_a_400(reel, body):
    assert apply(reel, body).status_code == 400
