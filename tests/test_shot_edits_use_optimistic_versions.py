"""A shot edit carries the `version` it was based on; of two edits of one version, one wins."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from editor.api import projects, sequences, shots
from storyboard_app.models import Shot
from tests.conftest import image_bytes, needs_postgresql


def shot_url(shot: Shot) -> str:
    return reverse("api-shot", args=[shot.pk])


def test_an_edit_based_on_the_current_version_is_saved_and_increments_it(cast):
    shot = cast.shots[0]

    response = cast.client("editor").patch(
        shot_url(shot), {"version": 1, "text": "Mara opens the door.", "duration": 4}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["text"] == "Mara opens the door."
    shot.refresh_from_db()
    assert (shot.version, shot.text, shot.duration) == (2, "Mara opens the door.", 4)


def test_each_saved_edit_increments_the_version_by_one(cast):
    shot = cast.shots[0]
    client = cast.client("owner")

    for version in range(1, 5):
        response = client.patch(
            shot_url(shot), {"version": version, "duration": version}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["version"] == version + 1

    shot.refresh_from_db()
    assert shot.version == 5


def test_an_edit_based_on_a_stale_version_gets_409_with_the_current_shot(cast):
    shot = cast.shots[1]
    client = cast.client("owner")
    client.patch(shot_url(shot), {"version": 1, "text": "First writer"}, format="json")

    response = client.patch(shot_url(shot), {"version": 1, "text": "Second writer"}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Someone else changed this shot meanwhile."
    assert body["current"] == client.get(shot_url(shot)).json()
    assert body["current"]["text"] == "First writer"
    assert body["current"]["version"] == 2
    shot.refresh_from_db()
    assert shot.text == "First writer"


def test_a_stale_edit_leaves_the_dialogue_untouched(cast):
    shot = cast.shots[0]
    client = cast.client("owner")
    client.patch(shot_url(shot), {"version": 1, "text": "moved on"}, format="json")

    response = client.patch(
        shot_url(shot),
        {"version": 1, "dialogue": [{"speaker": "Tomas", "text": "Lost edit", "language": "en"}]},
        format="json",
    )

    assert response.status_code == 409
    assert [line.text for line in shot.dialogue.all()] == ["Line 1"]


def test_an_edit_with_a_version_from_the_future_is_stale_too(cast):
    response = cast.client("owner").patch(
        shot_url(cast.shots[0]), {"version": 7, "text": "x"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"]["version"] == 1


def test_an_edit_without_a_version_is_refused_with_400_naming_version(cast, db_rows):
    before = db_rows()

    response = cast.client("owner").patch(shot_url(cast.shots[0]), {"text": "x"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    assert db_rows() == before


@pytest.mark.parametrize("version", ["two", None, 0, -1, 2**31, [1], {"v": 1}])
def test_an_edit_with_an_invalid_version_is_refused_with_400_naming_version(cast, db_rows, version):
    before = db_rows()

    response = cast.client("owner").patch(
        shot_url(cast.shots[0]), {"version": version, "text": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert db_rows() == before


def test_dialogue_in_an_edit_replaces_all_the_lines_in_the_given_order(cast):
    shot = cast.shots[2]
    lines = [
        {"speaker": "Tomas", "text": "Who's there?", "language": "en", "delivery": "whisper"},
        {"speaker": "Mara", "text": "¿Eres tú?", "language": "es"},
        {"speaker": "Narrator", "text": "夜が明ける。", "language": "ja", "voice_over": True},
    ]

    response = cast.client("editor").patch(
        shot_url(shot), {"version": 1, "dialogue": lines}, format="json"
    )

    assert response.status_code == 200
    saved = response.json()["dialogue"]
    assert [(line["speaker"], line["text"], line["language"]) for line in saved] == [
        ("Tomas", "Who's there?", "en"),
        ("Mara", "¿Eres tú?", "es"),
        ("Narrator", "夜が明ける。", "ja"),
    ]
    assert [line["voice_over"] for line in saved] == [False, False, True]
    assert saved[0]["delivery"] == "whisper"
    assert list(shot.dialogue.values_list("order", "text")) == [
        (0, "Who's there?"),
        (1, "¿Eres tú?"),
        (2, "夜が明ける。"),
    ]


def test_an_empty_dialogue_list_removes_every_line(cast):
    shot = cast.shots[0]

    response = cast.client("owner").patch(
        shot_url(shot), {"version": 1, "dialogue": []}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["dialogue"] == []
    assert not shot.dialogue.exists()


def test_an_edit_that_leaves_out_dialogue_keeps_the_lines(cast):
    shot = cast.shots[0]

    response = cast.client("owner").patch(
        shot_url(shot), {"version": 1, "text": "x"}, format="json"
    )

    assert response.status_code == 200
    assert [line["text"] for line in response.json()["dialogue"]] == ["Line 1"]


def test_an_edit_changes_only_its_own_shot(cast):
    others_before = [
        (s.pk, s.version, s.text) for s in Shot.objects.exclude(pk=cast.shots[0].pk).order_by("pk")
    ]

    cast.client("owner").patch(shot_url(cast.shots[0]), {"version": 1, "text": "x"}, format="json")

    others_after = [
        (s.pk, s.version, s.text) for s in Shot.objects.exclude(pk=cast.shots[0].pk).order_by("pk")
    ]
    assert others_after == others_before


WRITERS = 8


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_concurrent_edits_of_one_version_exactly_one_wins_and_the_rest_get_409(cast):
    shot = cast.shots[0]
    start = threading.Barrier(WRITERS)
    statuses: dict[int, int] = {}
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            client = cast.client("editor")
            start.wait(timeout=10)
            response = client.patch(
                shot_url(shot),
                {
                    "version": 1,
                    "text": f"writer {writer}",
                    "dialogue": [{"speaker": "W", "text": f"line of writer {writer}"}],
                },
                format="json",
            )
            statuses[writer] = response.status_code
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(statuses.values()) == [200] + [409] * (WRITERS - 1)
    winner = next(writer for writer, status in statuses.items() if status == 200)
    shot.refresh_from_db()
    assert shot.version == 2
    assert shot.text == f"writer {winner}"
    assert [line.text for line in shot.dialogue.all()] == [f"line of writer {winner}"]


def test_a_sequence_edit_based_on_a_stale_version_gets_409_with_the_current_sequence(cast):
    url = reverse("api-sequence", args=[cast.sequence.pk])
    client = cast.client("owner")
    assert client.patch(url, {"version": 1, "title": "Dawn"}, format="json").status_code == 200

    response = client.patch(url, {"version": 1, "title": "Dusk"}, format="json")

    assert response.status_code == 409
    assert response.json()["current"] == client.get(url).json()
    assert (response.json()["current"]["title"], response.json()["current"]["version"]) == (
        "Dawn",
        2,
    )


# An object a teammate deleted between the access check and the change


@pytest.fixture
def deleted_meanwhile(monkeypatch):
    """Make a view's access function delete the object right after loading it, as a
    teammate's DELETE committed in between would."""

    def arrange(module, function_name: str) -> None:
        load = getattr(module, function_name)

        def load_then_lose(user, object_id, *args, **kwargs):
            obj = load(user, object_id, *args, **kwargs)
            type(obj).objects.filter(pk=obj.pk).delete()
            return obj

        monkeypatch.setattr(module, function_name, load_then_lose)

    return arrange


def test_an_edit_of_a_shot_deleted_meanwhile_is_not_found(cast, deleted_meanwhile):
    deleted_meanwhile(shots, "access_shot")

    response = cast.client("owner").patch(
        shot_url(cast.shots[0]), {"version": 1, "text": "too late"}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}


@pytest.mark.parametrize(
    ("module_name", "function_name", "method", "route", "body"),
    [
        ("shots", "access_shot", "post", "api-shot-duplicate", None),
        ("shots", "access_sequence", "post", "api-sequence-shots", {"duration": 2}),
        ("sequences", "access_sequence", "patch", "api-sequence", {"version": 1, "title": "x"}),
        ("sequences", "access_sequence", "post", "api-sequence-reorder", {"shot_ids": []}),
        ("projects", "access_project", "patch", "api-project", {"title": "x"}),
        ("projects", "access_project", "post", "api-project-sequences", {"mode": "custom"}),
    ],
    ids=[
        "duplicate a shot",
        "add a shot",
        "edit a sequence",
        "reorder a sequence",
        "rename a project",
        "add a sequence",
    ],
)
def test_a_change_to_an_object_deleted_meanwhile_is_not_found(
    cast, deleted_meanwhile, module_name, function_name, method, route, body
):
    modules = {"shots": shots, "sequences": sequences, "projects": projects}
    deleted_meanwhile(modules[module_name], function_name)
    if route.startswith("api-shot"):
        target = cast.shots[0].pk
    else:
        target = cast.project.pk if route.startswith("api-project") else cast.sequence.pk

    response = getattr(cast.client("owner"), method)(
        reverse(route, args=[target]), body, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No such object."}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_frame_change_of_a_sequence_deleted_meanwhile_is_not_found(
    cast, deleted_meanwhile, media_root, method
):
    deleted_meanwhile(sequences, "access_sequence")
    url = reverse("api-sequence-frame", args=[cast.sequence.pk, "first"])
    body = {"image": SimpleUploadedFile("f.jpg", image_bytes())} if method == "put" else None

    response = getattr(cast.client("owner"), method)(url, body, format="multipart")

    assert response.status_code == 404
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
