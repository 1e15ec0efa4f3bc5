"""Any change to the blocked-term list, from any path, tells every process to rebuild its
screen once the change commits (terms.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from moderation.models import BlockedTerm
from moderation.terms import bump_stamp


@receiver([post_save, post_delete], sender=BlockedTerm)
def terms_changed(**kwargs) -> None:
    transaction.on_commit(bump_stamp)
