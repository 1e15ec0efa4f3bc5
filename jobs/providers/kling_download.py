"""Fetching a Kling result video into our storage (pure, no Django): streamed to a temporary
file beside the destination, size-capped, fsynced, then renamed into place, so the destination
holds the whole video or nothing (result links expire after 30 days, kling_api.md §3.4)."""

import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

import httpx

from jobs.providers.base import ProviderError
from jobs.providers.kling_errors import from_http_status, from_transport

MEGABYTE = 1024 * 1024
DOWNLOAD_CHUNK_BYTES = 256 * 1024
RESULT_GONE = (403, 404, 410)  # a purged or expired result link


def download(client: httpx.Client, url: str, destination: Path, max_bytes: int) -> None:
    """Write the video at `url` to `destination` completely or not at all."""
    # A temporary file in the same directory, so os.replace is an atomic rename.
    handle, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            _stream(client, url, out, max_bytes)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, destination)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(destination.parent)


def _stream(client: httpx.Client, url: str, out: BinaryIO, max_bytes: int) -> None:
    written = 0
    try:
        # No Authorization header: result links are public CDN URLs.
        with client.stream("GET", url, follow_redirects=True) as response:
            if response.status_code in RESULT_GONE:
                raise ProviderError(
                    "result_missing",
                    "Kling no longer has this video (its link is missing or expired). "
                    "Generate again.",
                    provider_message=f"HTTP {response.status_code} for {url}",
                )
            if not response.is_success:
                raise from_http_status(response.status_code)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(max_bytes)
            for chunk in response.iter_bytes(DOWNLOAD_CHUNK_BYTES):
                written += len(chunk)
                if written > max_bytes:
                    raise _too_large(max_bytes)
                out.write(chunk)
    except httpx.HTTPError as error:
        raise from_transport(error) from error
    if written == 0:
        raise ProviderError(
            "empty_result", "Kling sent an empty video; the job will retry.", retryable=True
        )


def _too_large(limit: int) -> ProviderError:
    return ProviderError(
        "result_too_large",
        f"Kling's video is larger than this server accepts ({limit // MEGABYTE} MB).",
        provider_message=f"more than {limit} bytes",
    )


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
