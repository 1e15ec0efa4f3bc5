"""How large a request body each address accepts, enforced while the body streams in.

Django's ASGI handler reads a whole body (into a temporary file past 2 MB) before any view,
login or CSRF check runs, and the upload views measure a file only once it has arrived. So
`limit_bodies` wraps the HTTP side of the application: a Content-Length over the address's limit
is answered 413 before one byte of the body is read, and a body without one (chunked) is counted
as it arrives and cut off with a 413 the moment it passes the limit; the application never sees
the rest (it is told the client went away, so Django closes its temporary file and stays quiet).

`ROUTE_LIMITS` gives the uploads their own limits (the file's limit from the module that checks
it, plus room for the multipart wrapping); every other address takes `DEFAULT_BODY_BYTES`, and
GET and HEAD none. deploy/nginx.conf repeats the table as client_max_body_size per location
(tests/test_proxy_limits_match_the_asgi_limits.py keeps the two equal), so a deployment refuses
the same bodies at the proxy, before they cross to the application at all.
"""

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from exports.edit_import import MAX_EDIT_BYTES
from exports.import_checks import MAX_IMPORT_BYTES
from media import MAX_AUDIO_BYTES, MAX_IMAGE_BYTES, MAX_VIDEO_BYTES

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MB = 1024 * 1024
# An upload is one file in a multipart body, with its part headers, the boundaries and a few
# small fields (an image's angle, the CSRF token of the import form): a few hundred bytes; 64 KB
# leaves room for long file names without letting a second file in.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# Forms and JSON: what Django itself accepts for a body that is not a file.
DEFAULT_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
# A GET or HEAD carries no body; one that does is not from a browser or our clients.
BODILESS_METHODS = frozenset({"GET", "HEAD"})
BODILESS_BYTES = 0


@dataclass(frozen=True)
class BodyLimit:
    route: str  # the URL name the limit is for (tests check `path` matches its address)
    path: str  # the address as a regular expression, written the same in deploy/nginx.conf
    max_bytes: int

    def matches(self, path: str) -> bool:
        return re.match(self.path, path) is not None  # compiled once, in re's cache


ROUTE_LIMITS: tuple[BodyLimit, ...] = (
    BodyLimit(
        "api-element-images",
        r"^/api/elements/[0-9]+/images/$",
        MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "api-element-video",
        r"^/api/elements/[0-9]+/video/$",
        MAX_VIDEO_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "api-element-voice",
        r"^/api/elements/[0-9]+/voice/$",
        MAX_AUDIO_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "api-sequence-frame",
        r"^/api/sequences/[0-9]+/frames/(first|end)/$",
        MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "api-project-import",
        r"^/api/projects/import/$",
        MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "import-project",
        r"^/projects/import/$",
        MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
    BodyLimit(
        "api-project-edit-import",
        r"^/api/projects/[0-9]+/edit-import/$",
        MAX_EDIT_BYTES + MULTIPART_OVERHEAD_BYTES,
    ),
)


def body_limit(method: str, path: str) -> int:
    """The most bytes of body a request of `method` to `path` may carry."""
    if method in BODILESS_METHODS:
        return BODILESS_BYTES
    for limit in ROUTE_LIMITS:
        if limit.matches(path):
            return limit.max_bytes
    return DEFAULT_BODY_BYTES


def refusal(path: str, max_bytes: int) -> tuple[str, bytes]:
    """The 413's content type and body: JSON for the API, a short page for the others."""
    sentence = f"This request is larger than the {max_bytes // MB} MB this address accepts."
    if path.startswith("/api/"):
        return "application/json", json.dumps({"detail": sentence}).encode()
    page = f"<!doctype html><title>Request too large</title><p>{sentence}</p>\n"
    return "text/html; charset=utf-8", page.encode()


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before we are called
    return None


async def _send_refusal(send: Send, path: str, max_bytes: int) -> None:
    content_type, body = refusal(path, max_bytes)
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        # The rest of the body is not read: the connection cannot carry another request.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def limit_bodies(app: App) -> App:
    """`app` (the HTTP side) behind the body limits of `body_limit`."""

    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope["path"]
        max_bytes = body_limit(scope["method"], path)
        declared = _declared_length(scope)
        if declared is not None and declared > max_bytes:
            await _send_refusal(send, path, max_bytes)
            return
        received = 0
        cut_off = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    cut_off = True
                    if not response_started:
                        await _send_refusal(send, path, max_bytes)
                    # To the application the client is gone: Django drops what it read (and
                    # its temporary file) and answers nothing.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if cut_off:
                return  # the 413 has been answered (or the connection is being dropped)
            response_started = True
            await send(message)

        await app(scope, counting_receive, guarded_send)

    return limited
