"""The permission tables (tests/permission_tables/) are complete: every declaration gives the
outcome of every role, every route of the URL map (outside the admin and the public routes of
`NOT_IN_TABLE`, each with its reason) is declared with every method of its API view, and no
declaration names a route that does not exist. The union of the tables of every app is what is
compared with the URL map, so a new route cannot ship without saying who may use it.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.permission_tables import TABLE
from tests.role_helpers import ROLES

# Routes deliberately left out of the table, with the reason.
NOT_IN_TABLE = {
    "healthz": "public health check for load balancers",
    "api-token": "public: exchanges a password for a token",
    "api-schema": "public OpenAPI schema",
    "api-docs": "public schema browser",
    "signup": "public page, covered by test_pages_and_signup",
    "login": "django.contrib.auth",
    "logout": "django.contrib.auth",
    "password_change": "django.contrib.auth",
    "password_change_done": "django.contrib.auth",
    "password_reset": "django.contrib.auth",
    "password_reset_done": "django.contrib.auth",
    "password_reset_confirm": "django.contrib.auth",
    "password_reset_complete": "django.contrib.auth",
    "api-kling-callback": "public: the provider calls it; test_kling_callbacks covers it",
}
NOT_IN_TABLE_NAMESPACES = {"admin"}


def test_every_declaration_gives_the_outcome_of_every_role():
    incomplete = [str(endpoint) for endpoint in TABLE if set(endpoint.expect) != set(ROLES)]

    assert incomplete == []


# The declaration is complete


def _routes(patterns, prefix=""):
    """(full route, name, view class or None) of every URL pattern, outside skipped namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_IN_TABLE_NAMESPACES:
                continue
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            yield prefix + str(pattern.pattern), pattern.name, view_class


def _api_methods(view_class) -> set[str]:
    return {
        method.upper()
        for method in view_class.http_method_names
        if method not in {"options", "head"} and hasattr(view_class, method)
    }


def test_the_route_walker_sees_the_api_and_the_pages():
    names = {name for _, name, _ in _routes(get_resolver().url_patterns)}

    assert {"api-shot", "api-sequence-frame", "editor", "private-media", "login"} <= names
    assert not any(name.startswith("admin") for name in names if name)


def test_every_route_is_declared_in_the_permission_table():
    declared = {endpoint.name for endpoint in TABLE}
    undeclared = [
        (route, name)
        for route, name, _ in _routes(get_resolver().url_patterns)
        if name not in declared and name not in NOT_IN_TABLE
    ]

    assert undeclared == [], "add these routes to TABLE (or to NOT_IN_TABLE with a reason)"


def test_every_method_of_every_api_view_is_declared_in_the_permission_table():
    declared = {(endpoint.name, endpoint.method) for endpoint in TABLE}
    missing = [
        (name, method)
        for _, name, view_class in _routes(get_resolver().url_patterns)
        if view_class is not None and name in {e.name for e in TABLE}
        for method in sorted(_api_methods(view_class))
        if (name, method) not in declared
    ]

    assert missing == []


def test_the_table_declares_no_route_that_does_not_exist():
    names = {name for _, name, _ in _routes(get_resolver().url_patterns)}

    assert {endpoint.name for endpoint in TABLE} - names == set()
    assert set(NOT_IN_TABLE) - names == set()
