"""Saved sequences as the plain drafts that `rules.py` checks."""

from storyboard_app.models import Sequence
from storyboard_app.rules import LineDraft, SequenceDraft, ShotDraft


def draft_of(sequence: Sequence) -> SequenceDraft:
    """Read a sequence, its shots and dialogue (two queries) into a `SequenceDraft`."""
    shots = sequence.shots.prefetch_related("dialogue")
    return SequenceDraft(
        mode=sequence.mode,
        prompt=sequence.prompt,
        negative_prompt=sequence.negative_prompt,
        auto_duration=sequence.auto_duration,
        shots=tuple(
            ShotDraft(
                duration=shot.duration,
                text=shot.text,
                shot_size=shot.shot_size,
                camera_angle=shot.camera_angle,
                camera_movement=shot.camera_movement,
                lettering=shot.lettering,
                dialogue=tuple(
                    LineDraft(
                        speaker=line.speaker,
                        text=line.text,
                        language=line.language,
                        delivery=line.delivery,
                        voice_over=line.voice_over,
                    )
                    for line in shot.dialogue.all()
                ),
            )
            for shot in shots
        ),
    )
