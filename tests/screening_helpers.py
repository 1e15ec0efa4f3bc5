"""Blocked terms for the screening tests, added and removed as the admin does: through the
model, so that the list's cache stamp moves when the change commits (moderation/signals.py).

A test database wraps each test in a transaction that never commits, so the commit callbacks
are run here as a commit would run them.
"""

from collections.abc import Callable

from django.test import TestCase

from moderation.models import BlockedTerm


def committed(change: Callable[[], object]) -> object:
    """Run `change` and then its commit callbacks (as a real commit would)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return change()


def add_term(text: str, category: str, severity: str = "block", language: str = "") -> BlockedTerm:
    return committed(
        lambda: BlockedTerm.objects.create(
            text=text, category=category, severity=severity, language=language
        )
    )


def delete_term(term: BlockedTerm) -> None:
    committed(term.delete)
