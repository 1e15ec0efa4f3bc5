"""The WebSocket's origin check: a socket opens only from a page of this very site.

A browser sends the page's origin (scheme, host and port) with every WebSocket handshake, and
the session cookie whatever the page. Channels' AllowedHostsOriginValidator compares only the
origin's host name with ALLOWED_HOSTS, so a page at http://127.0.0.1:9999 (another program on the
same machine) could open the socket of a user logged in at http://127.0.0.1:8000. Here the whole
origin must equal the request's own, as Django's CSRF check has it for HTTP: the scheme (https
when the connection, or the proxy's SECURE_PROXY_SSL_HEADER, says so) with the Host header,
which must itself be one of ALLOWED_HOSTS; or one of CSRF_TRUSTED_ORIGINS (`https://*.example.com`
admits the subdomains). Anything else is refused at the handshake, before the session is read.
"""

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

# The ports a browser leaves out of an origin and a Host header.
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # scheme, host name (lowercase), port


def parse_origin(text: str) -> Origin | None:
    """`scheme://host[:port]` as a comparable triple, or None for anything else ("null", paths,
    user names, other schemes)."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", ()) if key == name]
    if len(values) != 1:
        return None  # missing, or repeated to confuse whoever reads which one
    try:
        return values[0].decode("ascii")
    except UnicodeDecodeError:
        return None


def _is_secure(scope: dict[str, Any]) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").lower().replace("_", "-").encode()
        forwarded = _header(scope, name)
        if forwarded is not None:
            return forwarded.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") in ("wss", "https")


def own_origin(scope: dict[str, Any]) -> Origin | None:
    """The origin of the site this handshake reached: its scheme and Host, if the Host is ours."""
    host = _header(scope, b"host")
    if host is None:
        return None  # every browser sends one; without it there is nothing to compare
    domain, _ = split_domain_port(host)
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]  # as Django's own get_host()
    if not domain or not validate_host(domain, allowed_hosts):
        return None
    return parse_origin(f"{'https' if _is_secure(scope) else 'http'}://{host}")


def _trusted(origin: Origin) -> bool:
    for text in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, rest = text.partition("://")
        if rest.startswith("*."):
            trusted = parse_origin(f"{scheme}://{rest[2:]}")
            if (
                trusted is not None
                and (origin[0], origin[2]) == (trusted[0], trusted[2])
                and origin[1].endswith("." + trusted[1])
            ):
                return True
        elif parse_origin(text) == origin:
            return True
    return False


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Whether the handshake's Origin is this site's own origin or a trusted one."""
    text = _header(scope, b"origin")
    origin = parse_origin(text) if text is not None else None
    own = own_origin(scope)
    if origin is None or own is None:
        return False
    return origin == own or _trusted(origin)


class StrictOriginValidator:
    """Passes a WebSocket handshake to `application` only from an allowed origin."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket" and origin_allowed(scope):
            await self.application(scope, receive, send)
            return
        # Closed before the handshake completes: the browser's page learns nothing.
        await WebsocketDenier()(scope, receive, send)
