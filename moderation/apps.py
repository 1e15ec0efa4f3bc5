"""App config of moderation: screening, reports, the review queue, takedowns and the audit."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation import signals  # noqa: F401  (the blocked-term list's cache stamp)
