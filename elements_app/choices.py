"""The vocabularies of element libraries and elements."""

from django.db import models


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (only me)"
    SHARED = "shared", "Shared with the people I name"


class ElementKind(models.TextChoices):
    CHARACTER = "character", "Character"
    PROP = "prop", "Prop"
    SCENE = "scene", "Scene / place"
    STYLE = "style", "Style"
    LOGO = "logo", "Logo"


class MediaSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    VIDEO = "video", "Taken from the reference video"
