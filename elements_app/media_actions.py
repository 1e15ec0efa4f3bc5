"""Every change to an element's media: reference images (kept in a dense order), its reference
video and its voice. Media arrive here already checked by `media` (pure); this module stores
them with their rows (`stored_files`) and tells the projects using the library.
"""

from django.db import transaction

from elements_app.actions import announce_on_commit
from elements_app.choices import MediaSource
from elements_app.models import Element, ElementImage, ElementVideo, ElementVoice
from elements_app.stored_files import file_batch, remove_after_commit
from media import CheckedImage, CheckedVideo, CheckedVoice
from storyboard_app.actions import PARKING_OFFSET, place_in_order

MAX_IMAGES_PER_ELEMENT = 12


class TooManyImages(Exception):
    pass


# Reference images


def _image_ids(element_id: int) -> list[int]:
    return list(
        ElementImage.objects.filter(element_id=element_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )


def _place_images(element_id: int, ordered_ids: list[int]) -> None:
    place_in_order(ElementImage, {"element_id": element_id}, ordered_ids)


def add_image(
    element: Element, checked: CheckedImage, angle: str, source: str = MediaSource.UPLOAD
) -> ElementImage:
    with file_batch() as files, transaction.atomic():
        Element.objects.select_for_update().get(pk=element.pk)
        count = ElementImage.objects.filter(element=element).count()
        if count >= MAX_IMAGES_PER_ELEMENT:
            raise TooManyImages(f"An element holds at most {MAX_IMAGES_PER_ELEMENT} images.")
        # Parked after every other image, then renumbered: the new image comes last.
        image = ElementImage(
            element=element, position=PARKING_OFFSET * 2, angle=angle, source=source
        )
        files.save(image.file, f"image.{checked.extension}", checked.content)
        image.width, image.height = checked.width, checked.height  # known: no re-read
        image.save()
        _place_images(element.pk, _image_ids(element.pk))
    announce_on_commit(element.library_id)
    return ElementImage.objects.get(pk=image.pk)


@transaction.atomic
def update_image(image: ElementImage, angle: str) -> ElementImage:
    ElementImage.objects.filter(pk=image.pk).update(angle=angle)
    image.refresh_from_db()
    return image


@transaction.atomic
def delete_image(image: ElementImage) -> None:
    element_id = image.element_id
    Element.objects.select_for_update().get(pk=element_id)
    name = image.file.name
    image.delete()
    _place_images(element_id, _image_ids(element_id))
    remove_after_commit(name)


class InvalidImageOrder(Exception):
    pass


@transaction.atomic
def reorder_images(element: Element, image_ids: list[int]) -> list[int]:
    Element.objects.select_for_update().get(pk=element.pk)
    current = _image_ids(element.pk)
    if len(image_ids) != len(set(image_ids)) or set(image_ids) != set(current):
        raise InvalidImageOrder(
            f"List every image of the element exactly once: it has {len(current)} images, "
            f"the request named {len(image_ids)}."
        )
    _place_images(element.pk, image_ids)
    return image_ids


# Reference video and voice


def set_voice(element: Element, checked: CheckedVoice, source: str = MediaSource.UPLOAD):
    with file_batch() as files, transaction.atomic():
        _replace_voice(element, checked, source, files)
    announce_on_commit(element.library_id)
    return ElementVoice.objects.get(element=element)


def _replace_voice(element: Element, checked: CheckedVoice, source: str, files) -> None:
    old = ElementVoice.objects.select_for_update().filter(element=element).first()
    if old:
        files.remove_after_commit(old.file.name)
        old.delete()
    voice = ElementVoice(
        element=element,
        duration=checked.duration,
        speech_seconds=checked.speech_seconds,
        source=source,
    )
    files.save(voice.file, f"voice.{checked.extension}", checked.content)
    voice.save()


@transaction.atomic
def delete_voice(element: Element) -> None:
    voice = ElementVoice.objects.select_for_update().filter(element=element).first()
    if voice:
        remove_after_commit(voice.file.name)
        voice.delete()


def set_video(
    element: Element,
    video_path: str,
    extension: str,
    checked: CheckedVideo,
    key_frames: list[CheckedImage],
    voice: CheckedVoice | None,
) -> ElementVideo:
    """Store the reference video, its key frames (replacing earlier ones from a video) and,
    when it has speech and the element has no uploaded voice, its sound track as the voice."""
    with file_batch() as files, transaction.atomic():
        Element.objects.select_for_update().get(pk=element.pk)
        _drop_video(element, files)
        video = ElementVideo(
            element=element,
            duration=checked.duration,
            width=checked.width,
            height=checked.height,
            fps=checked.fps,
        )
        files.save_from_path(video.file, f"reference.{extension}", video_path)
        video.save()
        for offset, frame in enumerate(key_frames):
            image = ElementImage(
                element=element,
                position=PARKING_OFFSET * 2 + offset,
                angle=f"Video frame {offset + 1}",
                source=MediaSource.VIDEO,
            )
            files.save(image.file, f"frame.{frame.extension}", frame.content)
            image.width, image.height = frame.width, frame.height
            image.save()
        _place_images(element.pk, _image_ids(element.pk))
        uploaded_voice = ElementVoice.objects.filter(
            element=element, source=MediaSource.UPLOAD
        ).exists()
        if voice is not None and not uploaded_voice:
            _replace_voice(element, voice, MediaSource.VIDEO, files)
    announce_on_commit(element.library_id)
    return ElementVideo.objects.get(element=element)


def _drop_video(element: Element, files) -> None:
    """Remove the reference video and what was taken from it (frames, a voice)."""
    old = ElementVideo.objects.filter(element=element).first()
    if old:
        files.remove_after_commit(old.file.name)
        old.delete()
    for image in ElementImage.objects.filter(element=element, source=MediaSource.VIDEO):
        files.remove_after_commit(image.file.name)
        image.delete()
    voice = ElementVoice.objects.filter(element=element, source=MediaSource.VIDEO).first()
    if voice:
        files.remove_after_commit(voice.file.name)
        voice.delete()


def delete_video(element: Element) -> None:
    with file_batch() as files, transaction.atomic():
        Element.objects.select_for_update().get(pk=element.pk)
        _drop_video(element, files)
        _place_images(element.pk, _image_ids(element.pk))
