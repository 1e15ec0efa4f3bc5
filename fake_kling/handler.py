"""The HTTP side of the fake server: routing, the `{code, message, request_id, data}` envelope,
authentication, and the injected faults applied in the order a real outage would show them
(down before anything, then a hang, then the credentials, then a queued error)."""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from fake_kling import control, endpoints, media
from fake_kling.auth import check_authorization
from fake_kling.errors import KlingError
from fake_kling.tasks import ELEMENT_PRODUCT, SUCCEED

if TYPE_CHECKING:
    from fake_kling.server import FakeKling

MAX_BODY_BYTES = 64 * 1024 * 1024  # a few 10 MB images in base64, with room to spare
LISTEN_BACKLOG = 512  # benchmarks open many connections at once
JSON_TYPE = "application/json"
VIDEO_TYPE = "video/mp4"
VIDEO_PATH = r"/v1/videos/(text2video|image2video|omni-video)"
ELEMENT_PATH = r"/v1/general/advanced-custom-elements"

# (status, content type, body)
Response = tuple[int, str, bytes]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    kind: str  # the request kind of faults.py
    action: Callable[["FakeKling", re.Match, bytes, str], Response]


def envelope(data: object) -> Response:
    body = {"code": 0, "message": "SUCCEED", "request_id": str(uuid.uuid4()), "data": data}
    return 200, JSON_TYPE, json.dumps(body).encode()


def error_envelope(error: KlingError) -> Response:
    body = {"code": error.code, "message": error.message, "request_id": str(uuid.uuid4())}
    return error.http_status, JSON_TYPE, json.dumps(body).encode()


def _json_body(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KlingError(1200, "the request body is not valid JSON") from error
    if not isinstance(body, dict):
        raise KlingError(1200, "the request body must be a JSON object")
    return body


def _result(app: "FakeKling", match: re.Match, raw: bytes, query: str) -> Response:
    task = app.store.get(match[1])
    # Result URLs are plain CDN links: a missing one is a bare 404, not an envelope.
    if (
        app.faults.results_missing
        or task is None
        or task.video is None
        or task.status_at(app.clock()) != SUCCEED
    ):
        return 404, "text/plain", b"Not Found"
    return 200, VIDEO_TYPE, media.result_video(task.video.duration)


ROUTES = (
    Route(
        "POST",
        re.compile(f"^{VIDEO_PATH}$"),
        "submit",
        lambda app, m, raw, q: envelope(endpoints.create_video(app, m[1], _json_body(raw))),
    ),
    Route(
        "GET",
        re.compile(f"^{VIDEO_PATH}/([^/]+)$"),
        "query",
        lambda app, m, raw, q: envelope(endpoints.query(app, m[1], unquote(m[2]))),
    ),
    Route(
        "GET",
        re.compile(f"^{VIDEO_PATH}$"),
        "query",
        lambda app, m, raw, q: envelope(endpoints.list_tasks(app, m[1], q)),
    ),
    Route(
        "POST",
        re.compile(f"^{ELEMENT_PATH}$"),
        "element",
        lambda app, m, raw, q: envelope(endpoints.create_element(app, _json_body(raw))),
    ),
    Route(
        "GET",
        re.compile(f"^{ELEMENT_PATH}/([^/]+)$"),
        "element_query",
        lambda app, m, raw, q: envelope(endpoints.query(app, ELEMENT_PRODUCT, unquote(m[1]))),
    ),
    Route(
        "GET",
        re.compile(f"^{ELEMENT_PATH}$"),
        "element_query",
        lambda app, m, raw, q: envelope(endpoints.list_tasks(app, ELEMENT_PRODUCT, q)),
    ),
    Route("GET", re.compile(r"^/results/([^/]+)\.mp4$"), "result", _result),
    Route("HEAD", re.compile(r"^/results/([^/]+)\.mp4$"), "result", _result),
)


def find_route(method: str, path: str) -> tuple[Route, re.Match] | None:
    for route in ROUTES:
        match = route.pattern.match(path)
        if route.method == method and match:
            return route, match
    return None


class KlingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # hanging handlers must not hold up stop()
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], app: "FakeKling") -> None:
        super().__init__(address, KlingHandler)
        self.app = app


class KlingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients' connection pools are exercised
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's
    # delayed ACK and every answer took 40 ms more.
    disable_nagle_algorithm = True
    server_version = "FakeKling/1.0"
    server: KlingHTTPServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and benchmarks make thousands of requests."""

    def _handle(self, method: str) -> None:
        app = self.server.app
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        if length > MAX_BODY_BYTES or chunked:
            # Unread bytes would corrupt the next request on this connection: close it.
            self.close_connection = True
            problem = "too large" if not chunked else "chunked (send a Content-Length)"
            self._send(error_envelope(KlingError(1200, f"the request body is {problem}")), method)
            return
        raw = self.rfile.read(length) if length else b""
        if url.path == control.PATH or url.path.startswith(control.PATH + "/"):
            status, data = control.handle(app, method, url.path, raw)
            self._send((status, JSON_TYPE, json.dumps(data).encode()), method)
            return
        found = find_route(method, url.path)
        if found is None:
            self._send(error_envelope(KlingError(1202, f"{method} {url.path}")), method)
            return
        route, match = found
        app.counters.count(f"requests.{route.kind}")
        down, closes = app.faults.down()
        if down:
            if closes:
                self.close_connection = True
            else:
                self._send(error_envelope(KlingError(5001)), method)
            return
        hang = app.faults.take_hang(route.kind)
        if hang is not None and not hang.process_first:
            self._hang(hang.seconds)
            return
        response = self._answer(app, route, match, raw, url.query)
        if hang is not None:
            self._hang(hang.seconds)
            return
        self._send(response, method)

    def _answer(
        self, app: "FakeKling", route: Route, match: re.Match, raw: bytes, query: str
    ) -> Response:
        try:
            if route.kind != "result":  # result URLs are public links, as on a CDN
                check_authorization(
                    self.headers.get("Authorization"),
                    api_key=app.api_key,
                    access_key=app.access_key,
                    secret_key=app.secret_key,
                )
            queued = app.faults.take_error(route.kind)
            if queued is not None:
                app.counters.count("errors_injected")
                if not queued.after_create:
                    raise KlingError(queued.code, queued.message)
            response = route.action(app, match, raw, query)
            if queued is not None:
                raise KlingError(queued.code, queued.message)
            return response
        except KlingError as error:
            return error_envelope(error)

    def _hang(self, seconds: float) -> None:
        """Answer nothing for `seconds` (or until the server stops), then drop the connection."""
        self.server.app.released.wait(seconds)
        self.close_connection = True

    def _send(self, response: Response, method: str) -> None:
        status, content_type, body = response
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its timeout); nothing to answer any more.
            self.close_connection = True
