"""Every page sends the Content-Security-Policy, and none needs what it forbids.

The policy (config/settings.py) runs scripts from this origin only, and no inline script or
style: so each page's HTML must hold no `<script>` without `src` (but JSON boot data, which
does not run), no `on…=` handler attributes, no `<style>` element and no `style=` attribute.
The pages are read through the test client and parsed with html.parser.
"""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from elements_app import actions as element_actions
from moderation import cases
from moderation.access import MODERATORS_GROUP
from sharing import actions as sharing_actions
from tests.conftest import PASSWORD, Cast

NOT_THERE = "/no-such-page/"
FORBIDDEN_SCRIPT_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*")


class InlineCode(HTMLParser):
    """What in a page the policy would refuse to run or apply, as readable findings."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
        if "style" in named:
            self.findings.append(f"<{tag} style=…>")
        if tag == "style":
            self.findings.append("<style>")
        if tag == "script":
            self.scripts += 1
            if "src" not in named and named.get("type") != "application/json":
                self.findings.append("<script> without src")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.findings


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def moderator() -> User:
    user = User.objects.create_user("mod", "mod@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


def owner_pages(cast: Cast) -> dict[str, str]:
    library = element_actions.create_library(cast.owner, "Props")
    element = element_actions.create_element(library, {"handle": "Lantern", "kind": "prop"})
    project = cast.project.pk
    return {
        "dashboard": reverse("dashboard"),
        "editor": reverse("editor", args=[project]),
        "project settings": reverse("project-settings", args=[project]),
        "libraries": reverse("libraries"),
        "library": reverse("library", args=[library.pk]),
        "element": reverse("element", args=[element.pk]),
        "sharing": reverse("sharing", args=[project]),
        "activity": reverse("activity", args=[project]),
        "notifications": reverse("notifications"),
        "own moderation cases": reverse("moderation-cases"),
        "a page that is not there": NOT_THERE,
        "the API docs": reverse("api-docs"),
    }


def assert_keeps_to_the_policy(name: str, response) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], name
    assert not set(policy["script-src"]) & set(FORBIDDEN_SCRIPT_SOURCES), name
    assert "'unsafe-inline'" not in policy["style-src"], name
    assert policy["object-src"] == ["'none'"], name
    assert policy["frame-ancestors"] == ["'none'"], name
    assert inline_code(response.content.decode()) == [], name


@pytest.fixture
def page_of(cast: Cast) -> Callable[[Client, str], object]:
    def fetch(client: Client, url: str):
        response = client.get(url)
        assert response.status_code == (404 if url == NOT_THERE else 200), url
        assert response["Content-Type"].startswith("text/html"), url
        return response

    return fetch


def test_the_owners_pages_send_the_policy_and_hold_no_inline_code(cast: Cast, page_of) -> None:
    client = logged_in(cast.owner)
    for name, url in owner_pages(cast).items():
        assert_keeps_to_the_policy(name, page_of(client, url))


def test_the_sharing_page_with_new_links_and_members_holds_no_inline_code(cast: Cast) -> None:
    client = logged_in(cast.owner)
    url = reverse("sharing", args=[cast.project.pk])
    with_link = client.post(url, {"op": "link", "role": "editor", "max_uses": "1"})
    with_review = client.post(url, {"op": "review-link", "label": "Client"})
    for name, response in (("new link", with_link), ("new review link", with_review)):
        assert response.status_code == 201, name
        assert "data-select-on-click" in response.content.decode()
        assert_keeps_to_the_policy(name, response)
    page = client.get(url).content.decode()
    # The questions the forms ask: escaped by the template, no script text to break out of.
    assert 'data-confirm="Remove editor from this project?"' in page
    assert 'data-confirm="Make this member the owner? You will become an editor."' in page


def test_the_pages_of_visitors_send_the_policy_and_hold_no_inline_code(cast: Cast) -> None:
    _, token = sharing_actions.create_review_link(cast.project, cast.owner, label="Client")
    _, invitation = sharing_actions.create_invitation(cast.project, cast.owner, "viewer")
    anonymous = Client()
    pages = {
        "login": reverse("login"),
        "signup": reverse("signup"),
        "review page": reverse("review", args=[token]),
        "invitation": reverse("invitation", args=[invitation]),
        "the API docs": reverse("api-docs"),
    }
    for name, url in pages.items():
        response = anonymous.get(url)
        assert response.status_code == 200, name
        assert_keeps_to_the_policy(name, response)


def test_the_admin_pages_send_the_policy_and_hold_no_inline_code(cast: Cast) -> None:
    case, _ = cases.file_report(cast.viewer, "project", cast.project.pk, "hate", "The title")
    client = logged_in(moderator())
    for name, url in {
        "admin index": reverse("admin:index"),
        "cases": reverse("admin:moderation_case_changelist"),
        "a case": reverse("admin:moderation_case_change", args=[case.pk]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_keeps_to_the_policy(name, response)


def test_the_api_docs_start_swagger_from_a_script_file(db) -> None:
    page = Client().get(reverse("api-docs")).content.decode()
    assert "?script=" in page
    script = Client().get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
