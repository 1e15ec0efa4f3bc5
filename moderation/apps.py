"""App config of moderation: blocked terms and screening at the door, cases, reports, appeals,
notices, standing and the audit (the moderators' decisions are in moderation_desk)."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation import signals  # noqa: F401  (the blocked-term list's cache stamp)
