"""Helpers of the Kling tests (no Django, no database): images as Kling wants them, a small
HTTP server that records the callbacks it receives, and a wait for a condition."""

import base64
import io
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

# A Standard Webhooks secret: whsec_ + base64 of 32 bytes.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"fake-kling-webhook-secret-32byte").decode()
WAIT_SECONDS = 10.0
WAIT_STEP = 0.02


def image_bytes(size: tuple[int, int] = (640, 360), fmt: str = "PNG") -> bytes:
    picture = Image.new("RGB", size, (180, 120, 60))
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def image_b64(size: tuple[int, int] = (640, 360), fmt: str = "PNG") -> str:
    """Raw base64 (no data: prefix) of a picture, as the legacy API takes it."""
    return base64.b64encode(image_bytes(size, fmt)).decode()


def wait_until(condition: Callable[[], object], timeout: float = WAIT_SECONDS) -> object:
    """The first truthy value of `condition()`, polled until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(WAIT_STEP)


class CallbackReceiver:
    """Records each POST it gets as (headers, body); answers `status`."""

    def __init__(self, status: int = 200) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/callback"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "CallbackReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
