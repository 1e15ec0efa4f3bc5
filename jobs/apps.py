"""App config of generation jobs and takes; the pipeline comes with issue 4."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Generation jobs"
