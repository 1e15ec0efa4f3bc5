"""File responses with HTTP Range (RFC 9110 §14): one byte range per request, 206 or 416.

Browsers seek in video and audio with `Range: bytes=start-end`; a multi-range request is
answered with the whole file (allowed: a server may ignore Range).
"""

import re
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

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


def _chunks(path: Path, start: int, length: int):
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data


def ranged_file_response(request: HttpRequest, path: Path, content_type: str) -> HttpResponse:
    size = path.stat().st_size
    wanted = _parse(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
    else:
        start, end = wanted
        length = end - start + 1
        response = StreamingHttpResponse(
            _chunks(path, start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    return response
