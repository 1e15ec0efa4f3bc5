"""Saved sequences checked against `rules.py`: the report of the validate endpoint and timeline."""

from collections.abc import Iterable

from storyboard_app import rules
from storyboard_app.models import Sequence, Shot
from storyboard_app.rules import LineDraft, SequenceDraft, ShotDraft


def draft_of(sequence: Sequence, shots: Iterable[Shot]) -> SequenceDraft:
    """A sequence and its shots (in order, dialogue prefetched) as a `SequenceDraft`."""
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


def validation_report(sequence: Sequence, shots: Iterable[Shot]) -> dict:
    """`{ok, errors, warnings, prompt_chars, estimate}` as shared/API.md describes it."""
    draft = draft_of(sequence, shots)
    report = rules.check_sequence(draft)
    return {
        "ok": report.ok,
        "errors": report.errors,
        "warnings": report.warnings,
        "prompt_chars": {"shots": report.shot_prompt_chars, "whole": report.whole_prompt_chars},
        "estimate": {"seconds": rules.sequence_duration(draft), "cost": 0},
    }
