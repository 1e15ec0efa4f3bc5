"""App config of the shared plumbing (no models: it is an app so the stack names it as one)."""

from django.apps import AppConfig


class PlumbingConfig(AppConfig):
    name = "plumbing"
    verbose_name = "Shared plumbing"
