"""deploy/nginx.conf refuses the same bodies as config/body_limits.py: one client_max_body_size
per limited route, the same regular expression and bytes, and the default for the rest; every
route of the table exists and its expression matches it, and every upload view has a limit of
its own. The proxy passes the WebSocket through with its upgrade, and is the only way in."""

import re

import yaml
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.parsers import MultiPartParser

from config.body_limits import DEFAULT_BODY_BYTES, ROUTE_LIMITS, body_limit

NGINX_CONF = settings.BASE_DIR / "deploy" / "nginx.conf"
COMPOSE = settings.BASE_DIR / "docker-compose.yml"
LOCATION = re.compile(r"location\s+(?:(~\*?|=|\^~)\s+)?(\S+)\s*\{([^{}]*)\}")
DIRECTIVE = re.compile(r"^\s*([a-z_]+)\s+(.*?);\s*$", re.MULTILINE)
# Sample values for the parameters of a route, to build an address of it.
SAMPLE_ARGUMENTS = {"which": "first"}
# Upload views that are not DRF views with a MultiPartParser of their own.
PAGE_UPLOADS = {"import-project"}


def _without_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def nginx_locations(text: str) -> list[tuple[str | None, str, dict[str, list[str]]]]:
    """(modifier, path, directives) of each location block."""
    found = []
    for modifier, path, body in LOCATION.findall(_without_comments(text)):
        directives: dict[str, list[str]] = {}
        for name, value in DIRECTIVE.findall(body):
            directives.setdefault(name, []).append(value)
        found.append((modifier or None, path, directives))
    return found


def server_directives(text: str) -> dict[str, list[str]]:
    """The directives of the server block itself, outside its locations."""
    server = _without_comments(text).split("server {", 1)[1]
    outside = LOCATION.sub("", server)
    directives: dict[str, list[str]] = {}
    for name, value in DIRECTIVE.findall(outside):
        directives.setdefault(name, []).append(value)
    return directives


def test_the_proxy_has_the_same_limit_per_route_as_the_application() -> None:
    conf = NGINX_CONF.read_text()
    proxied = {
        path: int(directives["client_max_body_size"][0])
        for modifier, path, directives in nginx_locations(conf)
        if "client_max_body_size" in directives
    }
    regex_locations = {path for modifier, path, _ in nginx_locations(conf) if modifier == "~"}

    assert proxied == {limit.path: limit.max_bytes for limit in ROUTE_LIMITS}
    assert regex_locations == set(proxied)
    assert server_directives(conf)["client_max_body_size"] == [str(DEFAULT_BODY_BYTES)]


def test_every_location_passes_to_the_application() -> None:
    for _, path, directives in nginx_locations(NGINX_CONF.read_text()):
        assert directives.get("proxy_pass") == ["http://web"], path


def test_the_socket_location_upgrades_and_keeps_the_host_and_port() -> None:
    conf = NGINX_CONF.read_text()
    [socket] = [directives for _, path, directives in nginx_locations(conf) if path == "/ws/"]

    headers = set(socket["proxy_set_header"])
    assert {"Upgrade $http_upgrade", "Connection $connection_upgrade"} <= headers
    # The origin check compares the Origin with the Host, port included.
    assert "Host $http_host" in headers
    assert "Host $http_host" in server_directives(conf)["proxy_set_header"]
    assert server_directives(conf)["proxy_http_version"] == ["1.1"]


def _sample_address(name: str) -> str:
    [(possibilities, *_)] = get_resolver().reverse_dict.getlist(name)
    [(_, parameters)] = possibilities
    return reverse(name, kwargs={p: SAMPLE_ARGUMENTS.get(p, 1) for p in parameters})


def test_each_limited_route_exists_and_its_expression_matches_it() -> None:
    for limit in ROUTE_LIMITS:
        address = _sample_address(limit.route)
        assert limit.matches(address), (limit.route, address)
        assert body_limit("POST", address) == limit.max_bytes
        assert not limit.matches(address + "x")


def _upload_routes(patterns=None) -> set[str]:
    """Names of the routes whose DRF view parses multipart bodies by its own choice."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            names |= _upload_routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            parsers = view.__dict__.get("parser_classes", ()) if view else ()
            if MultiPartParser in parsers:
                names.add(pattern.name)
    return names


def test_every_upload_view_has_a_limit_of_its_own() -> None:
    uploads = _upload_routes()

    assert uploads, "the walker found no upload view"
    assert uploads | PAGE_UPLOADS == {limit.route for limit in ROUTE_LIMITS}


def test_only_the_proxy_is_published() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
    assert services["proxy"]["image"].startswith("nginx")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    # uvicorn trusts the proxy's X-Forwarded-Proto: the scheme the origin check compares.
    assert "--proxy-headers" in " ".join(services["web"]["command"])
