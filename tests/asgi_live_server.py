"""`live_server` served by uvicorn, as `make run` serves the app: HTTP and the project WebSocket.

Loaded as a pytest plugin from tests/conftest.py; it replaces pytest-django's threaded WSGI
server (which cannot speak WebSocket) under the same name, so every browser test runs against
the real ASGI stack. The server runs in a thread of the test process, on the test database and
settings; static files come from the finders, as with pytest-django's server.
"""

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.test.utils import modify_settings

HOST = "localhost"
START_SECONDS = 10.0


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

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def live_server() -> Iterator[AsgiLiveServer]:
    server = AsgiLiveServer()
    yield server
    server.stop()
