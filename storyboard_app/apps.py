"""App config of the storyboard: projects, sequences, shots and the timeline editor."""

from django.apps import AppConfig


class StoryboardConfig(AppConfig):
    name = "storyboard_app"
    verbose_name = "Storyboard"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from plumbing import private_files
        from storyboard_app.events import membership_changed
        from storyboard_app.models import Membership
        from storyboard_app.private_files import sequence_frame

        private_files.register(sequence_frame)
        post_save.connect(membership_changed, sender=Membership)
        post_delete.connect(membership_changed, sender=Membership)
