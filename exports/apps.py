"""App config of the hand-off to editing software and the documents of a project: OTIO, EDL and
FCP timelines, the PDF storyboard sheet, and the project as JSON (export and import)."""

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Exports and imports"
