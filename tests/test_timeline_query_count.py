"""The timeline is the editor's whole state in one read, with the same few queries at any size."""

import pytest
from django.urls import reverse

from editor.consumers import snapshot_of
from elements_app import actions as element_actions
from elements_app.models import ElementImage
from storyboard_app import actions
from storyboard_app.models import DialogueLine, Project, Sequence, Shot

# The project with the caller's role, its sequences, their shots, the shots' dialogue, the
# elements it may use and their front images, the latest jobs, the takes and the open comments.
TIMELINE_QUERIES = 9


def build_project(owner, sequences: int, shots_per_sequence: int, lines_per_shot: int) -> Project:
    """A project filled with bulk_create: `sequences` × `shots_per_sequence` shots with dialogue."""
    project = actions.create_project(owner, f"{sequences * shots_per_sequence} shots", "16:9")
    first = project.sequences.get()
    made = [first] + Sequence.objects.bulk_create(
        Sequence(project=project, position=i, title=f"Sequence {i}") for i in range(1, sequences)
    )
    shots = Shot.objects.bulk_create(
        Shot(sequence=sequence, position=p, duration=1 + p % 5, text=f"{sequence.title} shot {p}")
        for sequence in made
        for p in range(shots_per_sequence)
    )
    DialogueLine.objects.bulk_create(
        DialogueLine(shot=shot, order=o, speaker="Mara", text=f"Line {o}", language="en")
        for shot in shots
        for o in range(lines_per_shot)
    )
    library = element_actions.create_library(owner, "Cast")
    element_actions.attach_library(project, library, owner)
    for handle in ("Mara", "Tomas", "老周"):
        element = element_actions.create_element(library, {"handle": handle, "kind": "character"})
        ElementImage.objects.create(element=element, position=0, file="x.jpg", width=1, height=1)
    return project


@pytest.mark.parametrize(
    ("sequences", "shots_per_sequence"),
    [(1, 5), (5, 20), (1, 30)],
    ids=["5 shots", "100 shots in 5 sequences", "30 shots in one sequence"],
)
def test_the_timeline_costs_the_same_number_of_queries_at_any_size(
    cast, django_assert_num_queries, sequences, shots_per_sequence
):
    project = build_project(cast.owner, sequences, shots_per_sequence, lines_per_shot=2)
    client = cast.client("owner")
    url = reverse("api-project-timeline", args=[project.pk])

    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    timeline = response.json()
    assert len(timeline["sequences"]) == sequences
    all_shots = [shot for sequence in timeline["sequences"] for shot in sequence["shots"]]
    assert len(all_shots) == sequences * shots_per_sequence
    assert all(len(shot["dialogue"]) == 2 for shot in all_shots)


def test_a_viewer_reads_the_timeline_with_the_same_number_of_queries(
    cast, django_assert_num_queries
):
    project = build_project(cast.owner, 2, 10, lines_per_shot=1)
    project.memberships.create(user=cast.viewer, role="viewer")

    with django_assert_num_queries(TIMELINE_QUERIES):
        response = cast.client("viewer").get(reverse("api-project-timeline", args=[project.pk]))

    assert response.json()["project"]["role"] == "viewer"


def test_the_timeline_holds_the_project_its_sequences_and_the_other_collections(cast):
    timeline = (
        cast.client("editor").get(reverse("api-project-timeline", args=[cast.project.pk])).json()
    )

    assert set(timeline) == {"project", "sequences", "elements", "jobs", "takes", "open_comments"}
    assert (timeline["elements"], timeline["jobs"], timeline["takes"]) == ([], [], [])
    assert timeline["project"] == {
        "id": cast.project.pk,
        "title": "Lighthouse",
        "aspect_ratio": "16:9",
        "owner": "owner",
        "role": "editor",
        "created_at": timeline["project"]["created_at"],
        "updated_at": timeline["project"]["updated_at"],
    }


def test_the_timeline_lists_sequences_in_position_order_with_their_fields(cast):
    later = actions.add_sequence(
        cast.project, {"title": "Later", "mode": "auto", "prompt": "Dusk."}
    )
    earlier = actions.add_sequence(cast.project, {"title": "Second"})
    client = cast.client("owner")
    client.delete(reverse("api-sequence", args=[cast.sequence.pk]))

    sequences = client.get(reverse("api-project-timeline", args=[cast.project.pk])).json()[
        "sequences"
    ]

    assert [(s["id"], s["position"]) for s in sequences] == [(later.pk, 0), (earlier.pk, 1)]
    auto = sequences[0]
    assert set(auto) == {
        "id",
        "project",
        "position",
        "title",
        "mode",
        "prompt",
        "auto_duration",
        "model_family",
        "native_audio",
        "quality",
        "negative_prompt",
        "seed",
        "first_frame",
        "end_frame",
        "duration",
        "shots",
        "review_state",
        "version",
        "validation",
    }
    assert auto["validation"]["ok"] is True
    assert auto["validation"]["estimate"] == {"seconds": 5, "cost": 0}
    assert (auto["mode"], auto["prompt"], auto["duration"], auto["shots"]) == (
        "auto",
        "Dusk.",
        5,
        [],
    )


def test_the_timeline_lists_shots_in_position_order_with_their_dialogue_in_order(cast):
    client = cast.client("owner")
    new_order = [cast.shots[2].pk, cast.shots[0].pk, cast.shots[1].pk]
    client.post(
        reverse("api-sequence-reorder", args=[cast.sequence.pk]),
        {"shot_ids": new_order},
        format="json",
    )
    client.patch(
        reverse("api-shot", args=[cast.shots[0].pk]),
        {
            "version": 1,
            "dialogue": [
                {"speaker": "Tomas", "text": "First", "language": "en"},
                {"speaker": "Mara", "text": "Second", "language": "zh", "voice_over": True},
            ],
        },
        format="json",
    )

    sequence = client.get(reverse("api-project-timeline", args=[cast.project.pk])).json()[
        "sequences"
    ][0]

    assert [shot["id"] for shot in sequence["shots"]] == new_order
    assert sequence["duration"] == 2 + 3 + 4
    shot = sequence["shots"][1]
    assert set(shot) == {
        "id",
        "sequence",
        "position",
        "duration",
        "shot_size",
        "camera_angle",
        "camera_movement",
        "text",
        "lettering",
        "transition",
        "sound_notes",
        "dialogue",
        "version",
    }
    assert (shot["id"], shot["sequence"], shot["position"], shot["version"]) == (
        cast.shots[0].pk,
        cast.sequence.pk,
        1,
        2,
    )
    assert shot["dialogue"] == [
        {
            "speaker": "Tomas",
            "speaker_element": None,
            "text": "First",
            "language": "en",
            "delivery": "",
            "voice_over": False,
        },
        {
            "speaker": "Mara",
            "speaker_element": None,
            "text": "Second",
            "language": "zh",
            "delivery": "",
            "voice_over": True,
        },
    ]


def test_the_timeline_does_not_leak_another_projects_shots(cast):
    foreign = Sequence.objects.get(project__owner=cast.outsider)
    actions.add_shot(foreign, {"duration": 2, "text": "secret"})

    timeline = (
        cast.client("owner").get(reverse("api-project-timeline", args=[cast.project.pk])).json()
    )

    texts = [shot["text"] for s in timeline["sequences"] for shot in s["shots"]]
    assert texts == ["Shot 1 action", "Shot 2 action", "Shot 3 action"]


def test_a_socket_snapshot_costs_the_queries_of_the_timeline_at_any_size(
    cast, django_assert_num_queries
):
    """The snapshot a socket gets on connect, after a gap or a reconnect is the same read."""
    project = build_project(cast.owner, 5, 20, lines_per_shot=2)

    with django_assert_num_queries(TIMELINE_QUERIES):
        snapshot = snapshot_of(cast.owner, project.pk)

    assert snapshot["role"] == "owner"
    assert sum(len(s["shots"]) for s in snapshot["timeline"]["sequences"]) == 100
