"""The ASGI application: Django for HTTP, behind the body limits (config/body_limits.py); the
project WebSocket behind the strict origin check (config/socket_origin.py) and the session (the
same login as the pages)."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

import config.urls  # noqa: E402, F401  (registers the URL converters the routes use)
from config.body_limits import limit_bodies  # noqa: E402
from config.socket_origin import StrictOriginValidator  # noqa: E402
from editor.routing import websocket_urlpatterns  # noqa: E402

http_app = limit_bodies(django_asgi_app)
websocket_app = StrictOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))

application = ProtocolTypeRouter({"http": http_app, "websocket": websocket_app})

# Everything loaded so far lives as long as the process: move it out of the collector's sight,
# so full collections (every few dozen requests) no longer walk it. Measured in
# bench/timeline_latency.py: p99 126 → 55 ms.
gc.freeze()
