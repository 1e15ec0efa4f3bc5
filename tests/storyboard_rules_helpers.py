"""Drafts for the tests of the pure storyboard rules (script/rules.py): `custom` makes a custom
sequence of shots of the given durations. Those tests (tests/test_a_sequence_keeps_*,
test_dialogue_is_timed_*, test_the_storyboard_rules_hold_*) give plain drafts in and read a
report out, with no database.
"""

from script.rules import SequenceDraft, ShotDraft


def custom(*durations: int, **shot_fields) -> SequenceDraft:
    return SequenceDraft(shots=tuple(ShotDraft(duration=d, **shot_fields) for d in durations))
