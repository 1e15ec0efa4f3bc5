"""`live_server` served by uvicorn, as `make run` serves the app: HTTP and the project WebSocket.

Loaded as a pytest plugin from tests/conftest.py; it replaces pytest-django's threaded WSGI
server (which cannot speak WebSocket) under the same name, so every browser test runs against
the real ASGI stack. The server runs in a thread of the test process, on the test database and
settings; static files come from the finders, as with pytest-django's server.
"""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.test.utils import modify_settings

HOST = "localhost"
START_SECONDS = 10.0
# How long what a browser sent before it closed may still run in the server after a test.
IDLE_SECONDS = 10.0


class AsgiLiveServer:
    def __init__(self, port: int = 0) -> None:
        from config.asgi import django_asgi_app, websocket_app
        from config.body_limits import limit_bodies

        # The application of config/asgi.py (body limits, strict origins) with static files.
        http = limit_bodies(ASGIStaticFilesHandler(django_asgi_app))
        app = ProtocolTypeRouter({"http": http, "websocket": websocket_app})
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(app, lifespan="off", log_level="warning", ws="auto")
        self.server = uvicorn.Server(config)
        # Read by pytest-django's `_live_server_helper` around each test that uses the server.
        self._live_server_modified_settings = modify_settings(ALLOWED_HOSTS={"append": HOST})
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve(sockets=[self._socket])),
            name="asgi-live-server",
            daemon=True,
        )
        self.thread.start()
        waited = 0.0
        while not self.server.started:
            if waited > START_SECONDS or not self.thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            threading.Event().wait(0.05)
            waited += 0.05

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def wait_until_idle(self, seconds: float = IDLE_SECONDS) -> None:
        """Until the server runs no request and no socket (uvicorn's tasks). A request the
        browser sent just before it closed may still be in its view, in a transaction."""
        tasks = self.server.server_state.tasks
        deadline = time.monotonic() + seconds
        while tasks:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the live server still runs {len(tasks)} requests or sockets")
            time.sleep(0.02)

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def live_server() -> Iterator[AsgiLiveServer]:
    server = AsgiLiveServer()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _live_server_idle_before_reset(
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    """A test on the live server ends with its browser closed (the page and browser fixtures
    are torn down before this one), then waits for the server to finish what the browser sent,
    and only then are the database reset and the settings restored (transactional_db and
    settings, set up before this fixture, are torn down after it). A view still writing
    deadlocked with the reset's TRUNCATE."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    request.getfixturevalue("settings")
    server = request.getfixturevalue("live_server")
    yield
    server.wait_until_idle()
