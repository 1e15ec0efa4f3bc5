"""Integer query parameters (`?shot=`, `?user=`, `?person=`…), read in one place.

Every view that reads one calls `integer_params(request, "shot", …)`: each name comes back as an
int, or None when absent; a value that is no whole number in the signed 64-bit id range (the
range of `<id:…>` paths, plumbing/converters.py) is refused before it reaches a query, where
PostgreSQL would fail on it. The refusal is one exception for both kinds of view: DRF answers it
as `400 {"shot": ["…"]}`, Django as a 400 page naming the parameter (config/errors.py). API views
declare their integer parameters with `integer_parameter`, so the schema (and the schema fuzzing)
knows their range.
"""

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from plumbing.converters import MAX_ID

MIN_ID = -MAX_ID - 1
OUT_OF_RANGE = f"Give a whole number from {MIN_ID} to {MAX_ID}."


class InvalidQuery(serializers.ValidationError, BadRequest):
    """A query parameter that is no integer in range. DRF's exception handler takes it as its
    ValidationError (a 400 with the messages per parameter); outside DRF, Django's handler
    takes it as a BadRequest (handler400: a 400 page that shows the messages)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


# DRF's integer field, with one message for every way to miss: "", "abc", "1.5", too large.
ID_FIELD = serializers.IntegerField(
    min_value=MIN_ID,
    max_value=MAX_ID,
    error_messages={
        key: OUT_OF_RANGE for key in ("invalid", "min_value", "max_value", "max_string_length")
    },
)


def integer_params(request: HttpRequest, *names: str) -> dict[str, int | None]:
    """The integer query parameters `names` of the request (None when absent); InvalidQuery
    when one is present but empty, not a whole number, or beyond the id range."""
    query = request.GET  # a DRF Request hands this on to its Django request
    values: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for name in names:
        if name not in query:
            values[name] = None
            continue
        try:
            values[name] = ID_FIELD.run_validation(query[name])
        except serializers.ValidationError as refused:
            errors[name] = [str(message) for message in refused.detail]
    if errors:
        raise InvalidQuery(errors)
    return values


def integer_parameter(name: str, description: str = "", **extra) -> OpenApiParameter:
    """The schema of an integer query parameter read with `integer_params`: its range included,
    so that clients (and schemathesis) know which values are refused."""
    schema = {"type": "integer", "format": "int64", "minimum": MIN_ID, "maximum": MAX_ID}
    return OpenApiParameter(name, schema | extra, description=description)
