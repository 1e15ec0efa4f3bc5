"""App config of discussion: comments on shots and takes, their threads, mentions, notifications."""

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = "Discussion"
