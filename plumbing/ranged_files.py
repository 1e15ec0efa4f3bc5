"""File responses with HTTP Range (RFC 9110 §14): one byte range per request, 206 or 416.

Browsers seek in video and audio with `Range: bytes=start-end`; a multi-range request is
answered with the whole file (allowed: a server may ignore Range).

Under ASGI (uvicorn, `make run`) the body is an async iterator that reads in a thread chunk by
chunk: Django serves a sync iterator there by reading all of it into a list first, a whole
video in memory per request.
"""

import asyncio
import mimetypes
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

# Private media may sit in the browser's own cache for an hour (never in a shared one).
PRIVATE_CACHE = "private, max-age=3600"
BYTE_RANGE = re.compile(r"^bytes=(?P<start>\d*)-(?P<end>\d*)$")
CHUNK_BYTES = 64 * 1024


def _parse(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end) inclusive; None to serve the whole file; False if unsatisfiable."""
    match = BYTE_RANGE.match(header.strip())
    if not match or (not match["start"] and not match["end"]):
        return None
    if not match["start"]:  # the last N bytes
        length = int(match["end"])
        return (max(size - length, 0), size - 1) if length and size else False
    start = int(match["start"])
    end = min(int(match["end"]), size - 1) if match["end"] else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data


async def _chunks_async(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        await asyncio.to_thread(handle.seek, start)
        while length > 0:
            data = await asyncio.to_thread(handle.read, min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data
    finally:
        handle.close()


def _is_asgi(request: HttpRequest) -> bool:
    # DRF's Request wraps Django's: the API views' files stream like the pages'.
    return isinstance(getattr(request, "_request", request), ASGIRequest)


def ranged_file_response(request: HttpRequest, path: Path, content_type: str) -> HttpResponse:
    size = path.stat().st_size
    wanted = _parse(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted or (0, size - 1)
        length = end - start + 1
        chunks = _chunks_async if _is_asgi(request) else _chunks
        response = StreamingHttpResponse(
            chunks(path, start, max(length, 0)),
            status=206 if wanted else 200,
            content_type=content_type,
        )
        if wanted:
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(max(length, 0))
    response["Accept-Ranges"] = "bytes"
    return response


def stored_file_response(
    request: HttpRequest, name: str, cache_control: str = PRIVATE_CACHE
) -> HttpResponse:
    """A stored file (`name` under MEDIA_ROOT), once the caller checked the right to it: with
    Range, its type from its name, never sniffed; 404 for a missing file or one outside
    MEDIA_ROOT."""
    path = (settings.MEDIA_ROOT / name).resolve()
    if not path.is_relative_to(settings.MEDIA_ROOT.resolve()) or not path.is_file():
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = ranged_file_response(request, path, content_type)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _open_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while data := handle.read(CHUNK_BYTES):
            yield data
    finally:
        handle.close()


async def _open_chunks_async(handle: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while data := await asyncio.to_thread(handle.read, CHUNK_BYTES):
            yield data
    finally:
        handle.close()


def open_file_download(
    request: HttpRequest, handle: IO[bytes], content_type: str, filename: str
) -> StreamingHttpResponse:
    """A file made for this response (a temporary zip), streamed a chunk at a time and closed
    (so deleted) once sent: under ASGI through an async iterator, as `ranged_file_response`."""
    chunks = _open_chunks_async if _is_asgi(request) else _open_chunks
    response = StreamingHttpResponse(chunks(handle), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
