"""The fixed vocabularies of a storyboard, as the API spells them (snake_case values)."""

from django.db import models


class AspectRatio(models.TextChoices):
    LANDSCAPE = "16:9", "16:9 landscape"
    PORTRAIT = "9:16", "9:16 portrait"
    SQUARE = "1:1", "1:1 square"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    COMMENTER = "commenter", "Commenter"
    VIEWER = "viewer", "Viewer"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class SequenceMode(models.TextChoices):
    CUSTOM = "custom", "Custom shots"
    AUTO = "auto", "Auto (director splits one prompt)"


class ModelFamily(models.TextChoices):
    STANDARD = "standard", "Standard (text/image to video)"
    OMNI = "omni", "Omni (reference driven)"


class Quality(models.TextChoices):
    HD = "720p", "720p"
    FULL_HD = "1080p", "1080p"


class ShotSize(models.TextChoices):
    EXTREME_WIDE = "extreme_wide", "Extreme wide"
    WIDE = "wide", "Wide"
    FULL = "full", "Full"
    MEDIUM_LONG = "medium_long", "Medium long"
    MEDIUM = "medium", "Medium"
    MEDIUM_CLOSE_UP = "medium_close_up", "Medium close-up"
    CLOSE_UP = "close_up", "Close-up"
    EXTREME_CLOSE_UP = "extreme_close_up", "Extreme close-up"


class CameraAngle(models.TextChoices):
    EYE_LEVEL = "eye_level", "Eye level"
    LOW = "low", "Low angle"
    HIGH = "high", "High angle"
    OVERHEAD = "overhead", "Overhead"
    DUTCH = "dutch", "Dutch angle"
    POV = "pov", "Point of view"
    OVER_THE_SHOULDER = "over_the_shoulder", "Over the shoulder"


class CameraMovement(models.TextChoices):
    STATIC = "static", "Static"
    PUSH_IN = "push_in", "Push in"
    PULL_OUT = "pull_out", "Pull out"
    PAN_LEFT = "pan_left", "Pan left"
    PAN_RIGHT = "pan_right", "Pan right"
    TILT_UP = "tilt_up", "Tilt up"
    TILT_DOWN = "tilt_down", "Tilt down"
    ORBIT = "orbit", "Orbit"
    TRACKING = "tracking", "Tracking"
    CRANE_UP = "crane_up", "Crane up"
    CRANE_DOWN = "crane_down", "Crane down"
    HANDHELD = "handheld", "Handheld"
    ZOOM_IN = "zoom_in", "Zoom in"
    ZOOM_OUT = "zoom_out", "Zoom out"


class Transition(models.TextChoices):
    CUT = "cut", "Cut"
    DISSOLVE = "dissolve", "Dissolve"
    FADE = "fade", "Fade through black"
    WIPE = "wipe", "Wipe"


class Language(models.TextChoices):
    DETECT = "auto", "Detect"
    CHINESE = "zh", "Chinese"
    ENGLISH = "en", "English"
    JAPANESE = "ja", "Japanese"
    KOREAN = "ko", "Korean"
    SPANISH = "es", "Spanish"


# The choice of each storyboard field that has one: what the editor offers (timeline.vocabulary)
# and what an imported project is checked against.
FIELD_CHOICES: dict[str, type[models.TextChoices]] = {
    "aspect_ratio": AspectRatio,
    "mode": SequenceMode,
    "model_family": ModelFamily,
    "quality": Quality,
    "shot_size": ShotSize,
    "camera_angle": CameraAngle,
    "camera_movement": CameraMovement,
    "transition": Transition,
    "language": Language,
}
