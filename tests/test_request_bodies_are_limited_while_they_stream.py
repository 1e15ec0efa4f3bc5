"""Request bodies are refused while they stream, against the real application served by uvicorn.

A Content-Length over the address's limit (config/body_limits.py) is answered 413 before the
body is sent at all; a chunked body is cut off with a 413 soon after it passes the limit, while
the client is still sending; what the application had read is dropped with no error and no
temporary file left behind; uploads under their limits still work.
"""

import asyncio
import io
import logging
import os
import selectors
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from PIL import Image
from rest_framework.authtoken.models import Token

from config.body_limits import DEFAULT_BODY_BYTES, MB, MULTIPART_OVERHEAD_BYTES
from exports.import_checks import MAX_IMPORT_BYTES
from media import MAX_IMAGE_BYTES, MAX_VIDEO_BYTES
from tests.conftest import Cast

START_SECONDS = 10.0
ANSWER_SECONDS = 5.0
CHUNK = 64 * 1024
CHUNK_PAUSE_SECONDS = 0.005
IMAGE_LIMIT = MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES


class Served:
    """config.asgi.application, as `make run` and docker-compose serve it, on a loopback port."""

    def __init__(self) -> None:
        from config.asgi import application

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(application, lifespan="off", log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve(sockets=[self._socket])), daemon=True
        )
        self.thread.start()
        began = time.monotonic()
        while not self.server.started:
            assert time.monotonic() - began < START_SECONDS, "uvicorn did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def served(django_db_setup) -> Iterator[Served]:
    server = Served()
    yield server
    server.stop()


@pytest.fixture
def temp_dir(settings, tmp_path, monkeypatch) -> Path:
    """Where Django's uploads and the spooled request bodies go for this test."""
    directory = tmp_path / "temp"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


@pytest.fixture
def server_errors(caplog) -> Iterator[list[logging.LogRecord]]:
    """Warnings and errors of Django and of uvicorn (whose loggers stop at "uvicorn")."""
    caplog.set_level(logging.WARNING)
    uvicorn_logger = logging.getLogger("uvicorn")
    uvicorn_logger.addHandler(caplog.handler)
    yield caplog.records
    uvicorn_logger.removeHandler(caplog.handler)


def leftovers(directory: Path) -> list[str]:
    """Files in `directory`, and files there this process still holds open (deleted or not),
    once the server had a moment to close them."""
    deadline = time.monotonic() + 2
    while True:
        found = [str(path) for path in directory.rglob("*")]
        for fd in Path("/proc/self/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(directory)):
                found.append(target)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def connect(served: Served) -> socket.socket:
    raw = socket.create_connection(("127.0.0.1", served.port), timeout=ANSWER_SECONDS)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return raw


def head(method: str, path: str, *headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


def read_response(raw: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body of the answer (within ANSWER_SECONDS, else a timeout)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(raw)
    top, body = data.split(b"\r\n\r\n", 1)
    status_line, *header_lines = top.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    while len(body) < int(headers["content-length"]):
        body += _recv(raw)
    return int(status_line.split()[1]), headers, body


def _recv(raw: socket.socket) -> bytes:
    chunk = raw.recv(65536)
    if not chunk:
        raise ConnectionError("closed before a whole answer came")
    return chunk


def closed_by_server(raw: socket.socket) -> bool:
    try:
        return raw.recv(65536) == b""
    except ConnectionResetError:
        return True


def answer_waiting(raw: socket.socket, seconds: float) -> bool:
    """Whether the server has written to the socket within `seconds` (epoll where there is one:
    select() refuses descriptors past 1023, which a long test run's process reaches)."""
    with selectors.DefaultSelector() as selector:
        selector.register(raw, selectors.EVENT_READ)
        return bool(selector.select(seconds))


def stream_chunks(raw: socket.socket, upto: int) -> tuple[int, bool]:
    """Send up to `upto` bytes of chunked body, slowly, until an answer is waiting:
    (bytes sent, whether the answer came before the body was done)."""
    sent = 0
    while sent < upto:
        if answer_waiting(raw, 0):
            return sent, True
        try:
            raw.sendall(f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            return sent, True
        sent += CHUNK
        time.sleep(CHUNK_PAUSE_SECONDS)
    answer_waiting(raw, ANSWER_SECONDS)  # the answer to a body sent whole
    return sent, False


# A Content-Length over the limit


@pytest.mark.parametrize(
    ("method", "path", "declared", "megabytes", "json"),
    [
        ("POST", "/healthz", 1024 * MB, DEFAULT_BODY_BYTES // MB, False),
        ("POST", "/api/projects/", DEFAULT_BODY_BYTES + 1, DEFAULT_BODY_BYTES // MB, True),
        ("POST", "/api/elements/1/images/", IMAGE_LIMIT + 1, MAX_IMAGE_BYTES // MB, True),
        ("POST", "/api/elements/1/video/", 300 * MB, MAX_VIDEO_BYTES // MB, True),
        ("PUT", "/api/sequences/1/frames/first/", 50 * MB, MAX_IMAGE_BYTES // MB, True),
        ("POST", "/projects/import/", 100 * MB, MAX_IMPORT_BYTES // MB, False),
        ("GET", "/api/projects/", 1, 0, True),
    ],
)
def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(
    served, temp_dir, server_errors, method, path, declared, megabytes, json
) -> None:
    with connect(served) as raw:
        raw.sendall(head(method, path, f"Content-Length: {declared}", "Content-Type: x/y"))
        status, headers, body = read_response(raw)  # not one byte of the body sent
        assert closed_by_server(raw)

    assert status == 413
    assert headers["connection"] == "close"
    sentence = f"This request is larger than the {megabytes} MB this address accepts."
    if json:
        assert headers["content-type"] == "application/json"
        assert httpx.Response(413, content=body).json() == {"detail": sentence}
    else:
        assert headers["content-type"].startswith("text/html")
        assert sentence in body.decode()
    assert leftovers(temp_dir) == []
    assert server_errors == []


# A chunked body that grows past the limit


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/healthz", DEFAULT_BODY_BYTES), ("/api/sequences/1/frames/first/", IMAGE_LIMIT)],
)
def test_a_chunked_body_is_cut_off_with_413_soon_after_the_limit(
    served, temp_dir, server_errors, path, limit
) -> None:
    """Past 2 MB the application's spooled copy of the body is a file on disk: dropped too."""
    with connect(served) as raw:
        raw.sendall(head("PUT", path, "Transfer-Encoding: chunked", "Content-Type: x/y"))
        sent, early = stream_chunks(raw, upto=limit * 4)
        assert early, "no answer while the body was still coming"
        status, headers, body = read_response(raw)
        assert closed_by_server(raw)

    assert status == 413
    assert limit < sent <= limit + 16 * CHUNK  # cut off after the limit, not far beyond
    assert headers["connection"] == "close"
    assert b"This request is larger than the" in body
    assert leftovers(temp_dir) == []
    assert server_errors == []


def test_a_chunked_body_of_exactly_the_limit_reaches_the_application(
    served, temp_dir, server_errors
) -> None:
    """The CSRF check answers it (403): the body got through, whole."""
    with connect(served) as raw:
        raw.sendall(head("POST", "/healthz", "Transfer-Encoding: chunked"))
        left = DEFAULT_BODY_BYTES
        while left:
            size = min(CHUNK, left)
            raw.sendall(f"{size:x}\r\n".encode() + b"x" * size + b"\r\n")
            left -= size
        raw.sendall(b"0\r\n\r\n")
        status, _, _ = read_response(raw)

    assert status == 403
    assert leftovers(temp_dir) == []


# Uploads under their limits


def noise_png(width: int, height: int) -> bytes:
    """A real picture that does not compress: a PNG of about width × height × 3 bytes."""
    picture = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(400, 300), (1100, 900)], ids=["small", "over 2 MB"])
def test_an_upload_under_its_limit_still_works(
    served, temp_dir, server_errors, media_root, cast: Cast, size
) -> None:
    """Over 2 MB, Django writes the upload to a temporary file: gone after the request."""
    image = noise_png(*size)
    token = Token.objects.create(user=cast.owner).key
    url = f"http://127.0.0.1:{served.port}/api/sequences/{cast.sequence.pk}/frames/first/"

    response = httpx.put(
        url,
        files={"image": ("frame.png", image, "image/png")},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )

    assert response.status_code == 200, response.text
    assert response.json()["first_frame"]
    assert leftovers(temp_dir) == []
    assert server_errors == []
