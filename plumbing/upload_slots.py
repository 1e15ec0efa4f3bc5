"""How many media checks one user may have in flight at once, across every process.

Checking an upload (decoding an image, a video, a voice, a project's frames) is what costs
memory and CPU, so every media upload endpoint takes a slot for it: a counter per user in the
cache (Redis in production, so shared by all processes), taken before the decode and given back
in `finally`. Over `MEDIA_CHECKS_PER_USER`, the upload is refused with 429 and a Retry-After.
The counter expires after `SLOT_EXPIRY_SECONDS` without a new upload, so a process that dies
holding a slot cannot block its user for good.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from rest_framework.response import Response

# Each check may hold up to media.image_memory.MEMORY_BUDGET_BYTES (64 MB) for an
# image, more for a video: two at once per user is enough for a person, and eight at once from
# one account took a web process to 1.5 GB.
MEDIA_CHECKS_PER_USER = 2
# Longer than the slowest check (a 200 MB video), so a live slot never expires under its check.
SLOT_EXPIRY_SECONDS = 300
RETRY_AFTER_SECONDS = 5


class UploadsBusy(Exception):
    """The user already has `MEDIA_CHECKS_PER_USER` uploads being checked."""

    def __init__(self) -> None:
        self.retry_after = RETRY_AFTER_SECONDS
        self.message = (
            f"You already have {MEDIA_CHECKS_PER_USER} uploads being checked; wait until one "
            f"is done and try again (in about {RETRY_AFTER_SECONDS} seconds)."
        )
        super().__init__(self.message)


def slot_key(user_id: int) -> str:
    return f"uploads:checking:{user_id}"


def take_slot(user_id: int) -> None:
    """Count one more check in flight for the user; UploadsBusy (nothing counted) if full."""
    key = slot_key(user_id)
    cache.add(key, 0, timeout=SLOT_EXPIRY_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=SLOT_EXPIRY_SECONDS)
        count = 1
    cache.touch(key, SLOT_EXPIRY_SECONDS)
    if count > MEDIA_CHECKS_PER_USER:
        give_back_slot(user_id)
        raise UploadsBusy()


def give_back_slot(user_id: int) -> None:
    key = slot_key(user_id)
    try:
        if cache.decr(key) < 0:  # the counter expired and was made again meanwhile
            cache.delete(key)
    except ValueError:
        pass  # expired: nothing left to give back


@contextmanager
def upload_slot(user) -> Iterator[None]:
    """Hold one of the user's media-check slots for the `with` block (UploadsBusy if none)."""
    take_slot(user.pk)
    try:
        yield
    finally:
        give_back_slot(user.pk)


def busy_response(field: str, busy: UploadsBusy) -> Response:
    """The API's 429 for an upload over the user's limit, with its field and Retry-After."""
    return Response(
        {field: [busy.message]}, status=429, headers={"Retry-After": str(busy.retry_after)}
    )
