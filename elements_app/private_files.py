"""The finder of elements' private files (reference images, video, voice) for
`plumbing.private_files`: `private/libraries/<library>/elements/<element>/<file>`."""

from django.http import Http404

from elements_app.access import access_library
from elements_app.models import Element, ElementImage, ElementVideo, ElementVoice
from plumbing.private_files import User, is_id, segments

MEDIA_MODELS = (ElementImage, ElementVideo, ElementVoice)


def element_file(user: User, name: str) -> bool:
    parts = segments(name, ("private", "libraries"), 6)
    if parts is None or parts[3] != "elements" or not is_id(parts[4]):
        return False
    element_id = int(parts[4])
    if not any(m.objects.filter(element_id=element_id, file=name).exists() for m in MEDIA_MODELS):
        return False
    element = Element.objects.only("library_id", "removed_at").get(pk=element_id)
    access_library(user, element.library_id)
    if element.removed_at is not None:
        raise Http404("This file was taken down by a moderator.")
    return True
