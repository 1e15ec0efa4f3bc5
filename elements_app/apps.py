"""App config of element libraries (characters, props, places); their models come with issue 3."""

from django.apps import AppConfig


class ElementsConfig(AppConfig):
    name = "elements_app"
    verbose_name = "Elements"

    def ready(self) -> None:
        from elements_app.private_files import element_file
        from plumbing import private_files

        private_files.register(element_file)
