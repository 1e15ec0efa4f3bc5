"""Optimistic concurrency in the API: the `version` an edit is based on, and the 409 answer."""

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from plumbing.serializer_fields import VersionedSerializer


def base_version(request: Request) -> int:
    """The `version` field of the request body; a 400 names it when it is missing or invalid."""
    serializer = VersionedSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["version"]


def conflict(detail: str, current: dict) -> Response:
    """409 with the object as it is now, so the client can show it and merge."""
    return Response({"detail": detail, "current": current}, status=status.HTTP_409_CONFLICT)
