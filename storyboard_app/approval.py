"""The lock of an approved sequence: its shots and its chosen take stay as they are until an
owner or editor reopens it. Every change of those asks `check_open` (storyboard_app/actions.py,
jobs/actions.py); the API answers 409 with the message."""

from plumbing.api_errors import Conflict
from storyboard_app.choices import ReviewState
from storyboard_app.models import Sequence


class SequenceLocked(Conflict):
    def __init__(self, sequence: Sequence) -> None:
        super().__init__(f"“{sequence}” is approved: reopen it to change its shots or its take.")


def check_open(sequence: Sequence) -> None:
    if sequence.review_state == ReviewState.APPROVED:
        raise SequenceLocked(sequence)
