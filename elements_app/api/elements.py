"""API views of elements and their reference images, video and voice.

Uploads are checked by `media` (decoding, not names) before anything is stored;
a refused upload answers 400/413/415 with a message and leaves no file and no row behind.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import media
from elements_app import actions
from elements_app import media_actions as element_media
from elements_app.access import access_element, access_element_image, access_library
from elements_app.models import Element
from elements_app.serializers import (
    ElementSerializer,
    ImageOrderSerializer,
    ImageSerializer,
    ImageUploadSerializer,
    VideoUploadSerializer,
    VoiceUploadSerializer,
)
from elements_app.usage import usage_of
from plumbing.upload_slots import UploadsBusy, busy_response, upload_slot

# check_video admits H.264 and HEVC in MP4/MOV; both play back from an .mp4 name.
STORED_VIDEO_EXTENSION = "mp4"


def _full(element_id: int) -> Element:
    return (
        Element.objects.select_related("library", "video", "voice")
        .prefetch_related("images")
        .get(pk=element_id)
    )


def _rejected(field: str, rejected: media.MediaRejected) -> Response:
    return Response({field: [rejected.message]}, status=rejected.status)


def _handle_taken(handle: str) -> ValidationError:
    return ValidationError({"handle": [f"“@{handle}” is already an element of this library."]})


class ElementListView(APIView):
    @extend_schema(responses=ElementSerializer(many=True))
    def get(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id)
        elements = library.elements.select_related("library", "video", "voice").prefetch_related(
            "images"
        )
        return Response(ElementSerializer(elements, many=True).data)

    @extend_schema(request=ElementSerializer, responses={201: ElementSerializer})
    def post(self, request: Request, library_id: int) -> Response:
        library = access_library(request.user, library_id, write=True)
        serializer = ElementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            element = actions.create_element(library, serializer.validated_data)
        except actions.HandleTaken as taken:
            raise _handle_taken(str(taken)) from None
        except actions.ElementRefused as refused:
            raise ValidationError(refused.errors) from None
        return Response(ElementSerializer(_full(element.pk)).data, status=status.HTTP_201_CREATED)


class ElementDetailView(APIView):
    @extend_schema(responses=ElementSerializer)
    def get(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id)
        data = ElementSerializer(_full(element.pk)).data
        data["used_in"] = usage_of(element, request.user)
        return Response(data)

    @extend_schema(request=ElementSerializer, responses=ElementSerializer)
    def patch(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id, write=True)
        serializer = ElementSerializer(element, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            actions.update_element(element, dict(serializer.validated_data))
        except actions.HandleTaken as taken:
            raise _handle_taken(str(taken)) from None
        except actions.ElementRefused as refused:
            raise ValidationError(refused.errors) from None
        return Response(ElementSerializer(_full(element.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, element_id: int) -> Response:
        actions.delete_element(access_element(request.user, element_id, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImageListView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImageUploadSerializer}, responses={201: ImageSerializer}
    )
    def post(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id, write=True)
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["image"]
        refused = _too_big("image", upload, media.MAX_IMAGE_BYTES)
        if refused:
            return refused
        try:
            with upload_slot(request.user):
                checked = media.check_image(upload.read())
        except UploadsBusy as busy:
            return busy_response("image", busy)
        except media.MediaRejected as rejected:
            return _rejected("image", rejected)
        try:
            image = element_media.add_image(element, checked, serializer.validated_data["angle"])
        except element_media.TooManyImages as full:
            raise ValidationError({"image": [str(full)]}) from None
        return Response(ImageSerializer(image).data, status=status.HTTP_201_CREATED)


class ImageOrderView(APIView):
    @extend_schema(request=ImageOrderSerializer, responses=ImageOrderSerializer)
    def post(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id, write=True)
        serializer = ImageOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ids = element_media.reorder_images(element, serializer.validated_data["image_ids"])
        except element_media.InvalidImageOrder as invalid:
            raise ValidationError({"image_ids": [str(invalid)]}) from None
        return Response({"image_ids": ids})


class ImageDetailView(APIView):
    @extend_schema(request=ImageSerializer, responses=ImageSerializer)
    def patch(self, request: Request, image_id: int) -> Response:
        image = access_element_image(request.user, image_id, write=True)
        serializer = ImageSerializer(image, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        angle = serializer.validated_data.get("angle", image.angle)
        return Response(ImageSerializer(element_media.update_image(image, angle)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, image_id: int) -> Response:
        element_media.delete_image(access_element_image(request.user, image_id, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


@contextmanager
def on_disk(upload) -> Iterator[str]:
    """The upload as a file path for the decoder: Django's temporary file for a large upload,
    a temporary copy (removed afterwards) for one Django kept in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    handle, path = tempfile.mkstemp(prefix="upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)


def _too_big(field: str, upload, limit: int) -> Response | None:
    """A 413 before any decoding when the upload is over `limit` bytes."""
    if upload.size <= limit:
        return None
    return _rejected(field, media.MediaRejected(media.too_big(upload.size), 413))


class VideoView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VideoUploadSerializer}, responses={200: ElementSerializer}
    )
    def post(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id, write=True)
        serializer = VideoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["video"]
        refused = _too_big("video", upload, media.MAX_VIDEO_BYTES)
        if refused:
            return refused
        with on_disk(upload) as path:
            try:
                with upload_slot(request.user):
                    checked = media.check_video(path)
                    frames = media.key_frames(path)
                    voice = _voice_of(path)
                element_media.set_video(
                    element, path, STORED_VIDEO_EXTENSION, checked, frames, voice
                )
            except UploadsBusy as busy:
                return busy_response("video", busy)
            except media.MediaRejected as rejected:
                return _rejected("video", rejected)
        return Response(ElementSerializer(_full(element.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, element_id: int) -> Response:
        element_media.delete_video(access_element(request.user, element_id, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _voice_of(video_path: str):
    """The video's sound track as a voice when it holds speech; silence or music is no voice."""
    sound = media.sound_track(video_path)
    if sound is None:
        return None
    try:
        return media.check_voice(sound)
    except media.MediaRejected:
        return None
    finally:
        os.unlink(sound)


class VoiceView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VoiceUploadSerializer}, responses={200: ElementSerializer}
    )
    def post(self, request: Request, element_id: int) -> Response:
        element = access_element(request.user, element_id, write=True)
        serializer = VoiceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["audio"]
        refused = _too_big("audio", upload, media.MAX_AUDIO_BYTES)
        if refused:
            return refused
        with on_disk(upload) as path:
            try:
                with upload_slot(request.user):
                    checked = media.check_voice(path)
            except UploadsBusy as busy:
                return busy_response("audio", busy)
            except media.MediaRejected as rejected:
                return _rejected("audio", rejected)
        element_media.set_voice(element, checked)
        return Response(ElementSerializer(_full(element.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, element_id: int) -> Response:
        element_media.delete_voice(access_element(request.user, element_id, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)
