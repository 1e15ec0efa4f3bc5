"""App config of the editor (no models: it composes the apps below)."""

from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "Editor"
