"""Celery tasks of the jobs app. The generation pipeline joins here with issue 4."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def clear_expired_sessions() -> None:
    """Housekeeping run by beat: drop expired login sessions (idempotent)."""
    call_command("clearsessions")
