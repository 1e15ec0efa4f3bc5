"""App config of the moderation desk (its rows are moderation's)."""

from django.apps import AppConfig


class ModerationDeskConfig(AppConfig):
    name = "moderation_desk"
    verbose_name = "Moderation desk"
