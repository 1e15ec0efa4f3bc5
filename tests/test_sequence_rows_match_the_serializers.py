"""The fast read path (`sequence_rows`) gives exactly what the DRF serializers would."""

import json

from django.core.files.base import ContentFile
from django.db.models import Prefetch

from storyboard_app import actions
from storyboard_app.models import Sequence, Shot
from storyboard_app.sequence_rows import sequence_rows
from storyboard_app.serializers import SequenceSerializer
from tests.conftest import image_bytes


def plain(data) -> object:
    return json.loads(json.dumps(data))


def test_every_field_of_sequences_shots_and_dialogue_matches(cast, media_root):
    actions.set_sequence_frame(
        cast.sequence, "first_frame", ContentFile(image_bytes(), name="first.jpg")
    )
    actions.add_sequence(
        cast.project, {"title": "Auto", "mode": "auto", "prompt": "Dusk.", "seed": 7}
    )
    shot = cast.shots[1]
    actions.update_shot(
        shot,
        shot.version,
        {
            "lettering": "OPEN",
            "camera_movement": "orbit",
            "dialogue": [
                {"speaker": "Tomas", "text": "Two", "language": "es", "voice_over": True},
                {"speaker": "Mara", "text": "One", "delivery": "whispers"},
            ],
        },
    )
    sequences = Sequence.objects.filter(project=cast.project).prefetch_related(
        Prefetch("shots", queryset=Shot.objects.prefetch_related("dialogue"))
    )

    expected = plain(SequenceSerializer(sequences, many=True).data)
    actual = plain(sequence_rows(Sequence.objects.filter(project=cast.project)))

    assert actual == expected
    assert actual[0]["first_frame"].startswith("/media/private/")
    assert [line["text"] for line in actual[0]["shots"][1]["dialogue"]] == ["Two", "One"]


def test_reading_any_number_of_sequences_takes_two_queries(cast, django_assert_num_queries):
    for _ in range(4):
        actions.add_sequence(cast.project, {})
    sequences = list(Sequence.objects.filter(project=cast.project))
    with django_assert_num_queries(2):
        sequence_rows(sequences)
