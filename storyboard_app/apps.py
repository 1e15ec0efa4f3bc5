"""App config of the storyboard: projects, sequences, shots and the timeline editor."""

from django.apps import AppConfig


class StoryboardConfig(AppConfig):
    name = "storyboard_app"
    verbose_name = "Storyboard"
