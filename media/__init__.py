"""Checks of uploaded media by their content, never their name: pure Python, no Django.

Images go through Pillow (`images`), video and sound through PyAV (`video`, `audio`, with the
speech test in `speech`). Every refusal is a `MediaRejected` carrying a sentence for the user
and an HTTP status: 400 unacceptable content, 413 too large, 415 not the kind of file asked for.
"""

from media.audio import MAX_AUDIO_BYTES, CheckedVoice, check_voice
from media.errors import MediaRejected, too_big
from media.images import MAX_IMAGE_BYTES, CheckedImage, check_image, thumbnail
from media.video import (
    MAX_VIDEO_BYTES,
    CheckedVideo,
    check_video,
    key_frames,
    sound_track,
)

__all__ = [
    "MAX_AUDIO_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_VIDEO_BYTES",
    "CheckedImage",
    "CheckedVideo",
    "CheckedVoice",
    "MediaRejected",
    "check_image",
    "check_video",
    "check_voice",
    "key_frames",
    "sound_track",
    "thumbnail",
    "too_big",
]
