"""App config of generation jobs and takes: the finder of take files, and the jobs' side of a
project or sequence being deleted (storyboard_app/signals.py)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Generation jobs"

    def ready(self) -> None:
        from jobs.actions import forget_jobs_of_project, forget_jobs_of_sequence
        from jobs.private_files import take_file
        from plumbing import private_files
        from storyboard_app.signals import project_deleting, sequence_deleting

        private_files.register(take_file)
        project_deleting.connect(forget_jobs_of_project)
        sequence_deleting.connect(forget_jobs_of_sequence)
