"""One JSON shape for every API error: `{"detail": …}` or per-field messages, never HTML or 500.

DRF's handler covers its own exceptions, Http404 and Django's PermissionDenied; this adds the
message of a PermissionDenied raised by `access.py`, the request-size errors Django raises
before a view sees the body, a 404 for an object deleted while a request was changing it, and
a 409 for a change the object's state refuses (`Conflict`: an approved sequence).
"""

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(Exception):
    """A change the object's current state refuses: the API answers 409 with `message`."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied) and exc.args:
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "The request body is too large."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        return Response({"detail": "The request has too many fields."}, status=400)
    if isinstance(exc, ObjectDoesNotExist):
        # Deleted by someone else between `access.py` loading it and `actions.py` locking it.
        return Response({"detail": "No such object."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
