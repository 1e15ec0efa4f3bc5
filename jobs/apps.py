"""App config of generation jobs and takes; the pipeline comes with issue 4."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Generation jobs"

    def ready(self) -> None:
        from jobs.private_files import take_file
        from plumbing import private_files

        private_files.register(take_file)
