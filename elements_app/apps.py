"""App config of element libraries (characters, props, places); their models come with issue 3."""

from django.apps import AppConfig


class ElementsConfig(AppConfig):
    name = "elements_app"
    verbose_name = "Elements"
