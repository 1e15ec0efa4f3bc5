"""Secret tokens never reach the logs.

An invitation link, a review link and a password reset link carry their secret in the path
(`/invite/<token>/`, `/review/<token>/…`, `/api/invitations/<token>/accept/`,
`/accounts/reset/<uidb64>/<token>/`), and Django logs the path of every answer of 400 and more
("Not Found: /review/…"), as the ASGI server's access log does of every request. `RedactTokens`
rewrites such a record before any handler formats it: the token's segment becomes `<redacted>`
in the message, its arguments, the traceback, and the `request` that goes along (for the
handlers that report it, such as the admins' e-mail); the rest of the line stays.

It is declared on the handlers of settings.LOGGING; `configure_logging` (settings.LOGGING_CONFIG)
applies LOGGING, then puts the filter on every other handler that exists by then too: Django's
defaults (its console when DEBUG, the admins' e-mail) and the ASGI server's (uvicorn sets up its
logging before it loads the app).
"""

import copy
import logging
import logging.config
import re
from collections.abc import Mapping

from django.http import HttpRequest

REDACTED = "<redacted>"
_SEGMENT = r"[^/\s?#\"']+"
_END = r"(?:[/\s?#\"']|$)"
# What comes before a token's segment: the token routes (plumbing/converters.py TokenConverter,
# sharing/urls.py, sharing/api/urls.py) and Django's reset link (its `set-password` step, which
# the token is traded for, is no secret; an invitation's numeric id is not either).
TOKEN_IN_PATH = re.compile(
    rf"(?P<route>/(?:invite|review)/|/invitations/(?!\d+{_END})"
    rf"|/reset/{_SEGMENT}/(?!set-password{_END}))"
    rf"{_SEGMENT}"
)


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(lambda found: found["route"] + REDACTED, text)


def _redacted_value(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (int, float)) or value is None:
        return value  # kept as they are: `%d` needs a number
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


def _redacted_request(request: HttpRequest) -> HttpRequest:
    """A copy with the token out of its path and headers (the referring review page, say);
    the request itself is left alone: it may still be in use."""
    safe = copy.copy(request)
    safe.path = redact(request.path)
    safe.path_info = redact(request.path_info)
    safe.META = {
        name: redact(value) if isinstance(value, str) else value
        for name, value in request.META.items()
    }
    return safe


class RedactTokens(logging.Filter):
    """Rewrites records in place (so every later handler sees them redacted); drops none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {key: _redacted_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted_value(value) for value in record.args)
        if record.exc_info and not record.exc_text:
            # Formatted once here, redacted; formatters then use this text as it is.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if isinstance(record.__dict__.get("color_message"), str):  # uvicorn's coloured copy
            record.color_message = redact(record.color_message)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and not getattr(request, "_tokens_redacted", False):
            record.request = _redacted_request(request)
            record.request._tokens_redacted = True
        return True


def redact_every_handler() -> None:
    """Put the filter on every handler of every logger that has not got it yet."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(found, RedactTokens) for found in handler.filters):
                handler.addFilter(RedactTokens())


def configure_logging(config: dict) -> None:
    """settings.LOGGING_CONFIG: Django has applied its defaults already; LOGGING, then the
    filter on whatever handler LOGGING does not declare."""
    logging.config.dictConfig(config)
    redact_every_handler()
