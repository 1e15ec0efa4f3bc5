"""App config of the storyboard: projects, sequences, shots and the timeline editor."""

from django.apps import AppConfig


class StoryboardConfig(AppConfig):
    name = "storyboard_app"
    verbose_name = "Storyboard"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from storyboard_app import private_files
        from storyboard_app.events import membership_changed
        from storyboard_app.models import Membership

        private_files.register(private_files.sequence_frame)
        post_save.connect(membership_changed, sender=Membership)
        post_delete.connect(membership_changed, sender=Membership)
