"""URL converters. `<id:…>` matches database ids: a number beyond a signed 64-bit key is no
match (a 404 at the resolver) on every backend, never an overflow inside a query.
`<frame:…>` names a sequence's frame image: `first` or `end`."""

from django.urls.converters import IntConverter, StringConverter

MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("not an id")  # Django's resolver reads this as "no match"
        return number


class FrameConverter(StringConverter):
    regex = "first|end"


class TokenConverter(StringConverter):
    """An invitation or review-link token: URL-safe base64 (secrets.token_urlsafe)."""

    regex = "[A-Za-z0-9_-]{20,100}"


class ReviewMediaConverter(StringConverter):
    """What a review link serves of a take."""

    regex = "video|poster"
