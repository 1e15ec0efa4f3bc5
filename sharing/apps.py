"""App config of sharing: a project's members, invitation links and their use."""

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"
