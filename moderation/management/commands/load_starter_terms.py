"""Load the starter list of blocked terms (moderation/starter_terms.json); safe to run again:
terms already there are left as the moderators set them."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from moderation.models import BlockedTerm

STARTER_TERMS = Path(__file__).resolve().parents[2] / "starter_terms.json"


class Command(BaseCommand):
    help = "Add the starter blocked terms that are not there yet."

    def handle(self, *args, **options) -> None:
        added = 0
        for row in json.loads(STARTER_TERMS.read_text())["terms"]:
            _, created = BlockedTerm.objects.get_or_create(
                text=row["text"],
                language=row["language"],
                defaults={"category": row["category"], "severity": row["severity"]},
            )
            added += created
        self.stdout.write(f"Blocked terms: {added} added, {BlockedTerm.objects.count()} in all.")
