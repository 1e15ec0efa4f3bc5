"""Saved sequences checked against `rules.py`: the report of the validate endpoint and timeline.

Pure (no Django): the job compiler reads its snapshots through the same `draft_of`.
"""

from collections.abc import Callable

from script import rules
from script.mentions import HandleIndex
from script.rules import LineDraft, SequenceDraft, ShotDraft


def shot_draft(shot: dict, speaker: Callable[[dict], str] | None = None) -> ShotDraft:
    """A shot dict (the API's or the job snapshot's) as `rules` sees it; `speaker` may rewrite
    each line's speaker (the compiler puts a model's element references there)."""
    return ShotDraft(
        duration=shot["duration"],
        text=shot["text"],
        shot_size=shot["shot_size"],
        camera_angle=shot["camera_angle"],
        camera_movement=shot["camera_movement"],
        lettering=shot["lettering"],
        dialogue=tuple(
            LineDraft(
                speaker=speaker(line) if speaker else line["speaker"],
                text=line["text"],
                language=line["language"],
                delivery=line["delivery"],
                voice_over=line["voice_over"],
            )
            for line in shot["dialogue"]
        ),
    )


def draft_of(sequence: dict, handles: HandleIndex | None = None) -> SequenceDraft:
    """A sequence dict (as `sequence_rows` or the job snapshot shape it) as a `SequenceDraft`."""
    return SequenceDraft(
        mode=sequence["mode"],
        prompt=sequence["prompt"],
        negative_prompt=sequence["negative_prompt"],
        auto_duration=sequence["auto_duration"],
        handles=handles,
        shots=tuple(shot_draft(shot) for shot in sequence["shots"]),
    )


def validation_report(sequence: dict, handles: HandleIndex) -> dict:
    """`{ok, errors, warnings, prompt_chars, estimate}` as docs/API.md describes it;
    `handles` are those of the elements the sequence's project may use."""
    draft = draft_of(sequence, handles)
    report = rules.check_sequence(draft)
    return {
        "ok": report.ok,
        "errors": report.errors,
        "warnings": report.warnings,
        "prompt_chars": {"shots": report.shot_prompt_chars, "whole": report.whole_prompt_chars},
        "estimate": {"seconds": rules.sequence_duration(draft), "cost": 0},
    }
