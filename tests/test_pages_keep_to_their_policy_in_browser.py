"""The pages work in Chromium under their Content-Security-Policy, and it refuses nothing.

Chromium enforces the header (config/settings.py) as a visitor's browser does. Each document
reports its `securitypolicyviolation` events to the test (a binding outlives navigations), and
the console's lines about the policy are kept as well: the dashboard, the editor with its live
socket, the sharing and activity pages, the API docs and the admin must leave both empty.
The behaviours that replaced inline handlers (static/js/page_behaviours.js) still work: deleting
a project asks first, Cancel keeps it; a new link's field selects itself; the person filter
sends its form.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from moderation import cases
from moderation.access import MODERATORS_GROUP
from storyboard_app.models import Project
from tests.conftest import PASSWORD, Cast
from tests.test_co_editing_in_browser import live
from tests.test_editor_in_browser import log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_keys")]

DELETE_QUESTION = "Delete this project and all its shots?"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def watch_policy(page: Page) -> list[str]:
    """Every refusal on this page from now on, across navigations."""
    refused: list[str] = []
    page.expose_binding("reportViolation", lambda _source, text: refused.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def assert_the_watch_sees_an_inline_script(page: Page, refused: list[str]) -> None:
    """The watch itself works: a script element with inline text, added now, is refused, and
    both the event and the console say so."""
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('script'), {text: '1'}))"
    )
    for _ in range(50):  # the reports come back asynchronously: wait up to 5 s
        if len(refused) >= 2:
            break
        page.wait_for_timeout(100)
    # The console's "Executing inline script violates …" sorts before the event's "script-src…".
    [console, event] = sorted(refused)
    assert "Content Security Policy" in console, refused
    assert event.startswith("script-src-elem refused inline"), refused
    refused.clear()


def settle(page: Page) -> None:
    """Let the page's late requests (pictures, the socket) finish and report."""
    page.wait_for_load_state("networkidle")


def test_the_dashboard_editor_and_sharing_run_under_the_policy(live_server, page: Page, cast: Cast):
    base = live_server.url
    refused = watch_policy(page)
    questions: list[str] = []
    answers = iter([False, True])  # Cancel first, then OK

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)

    log_in(page, base, "owner")
    settle(page)
    assert refused == [], "dashboard"
    assert_the_watch_sees_an_inline_script(page, refused)

    # The editor boots, draws its timeline and goes live over its WebSocket ('self' in
    # connect-src must cover ws: to this host).
    open_editor(page, f"{base}/projects/{cast.project.pk}/")
    live(page)
    expect(page.locator(".track .clip")).to_have_count(len(cast.shots))
    settle(page)
    assert refused == [], "editor"

    # Sharing: a new link's field selects its whole text on a click, for copying.
    page.goto(f"{base}/projects/{cast.project.pk}/sharing/")
    link_form = page.locator("form.share-form:has(input[name=op][value=link])")
    link_form.get_by_label("Role").select_option("viewer")
    link_form.get_by_role("button", name="Create link").click()
    field = page.locator("#new-link")
    field.click()
    start, end, length = field.evaluate("f => [f.selectionStart, f.selectionEnd, f.value.length]")
    assert (start, end) == (0, length)
    assert length > 0
    settle(page)
    assert refused == [], "sharing"

    # Activity: choosing a person sends the filter form.
    page.goto(f"{base}/projects/{cast.project.pk}/activity/")
    page.select_option("#person", label="owner")
    page.wait_for_url(re.compile(rf"person={cast.owner.pk}"))
    assert refused == [], "activity"

    # The dashboard's Delete asks; Cancel keeps the project, OK deletes it.
    page.goto(f"{base}/projects/")
    row = page.locator(f'tr[data-project="{cast.project.pk}"]')
    row.get_by_role("button", name="Delete").click()
    expect(row).to_be_visible()
    assert Project.objects.filter(pk=cast.project.pk).exists()
    row.get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    assert questions == [DELETE_QUESTION, DELETE_QUESTION]
    assert not Project.objects.filter(pk=cast.project.pk).exists()
    assert refused == [], "dashboard after deleting"
    assert page.script_errors == []


def test_the_api_docs_and_the_admin_run_under_the_policy(live_server, page: Page, cast: Cast):
    base = live_server.url
    refused = watch_policy(page)

    page.goto(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Storyboard Director API")
    expect(page.locator(".opblock").first).to_be_visible()
    settle(page)
    assert refused == [], "API docs"

    moderator = User.objects.create_user("mod", "mod@example.com", PASSWORD, is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "mod")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{base}/admin/moderation/case/")
    expect(page.locator("#changelist")).to_be_visible()
    case, _ = cases.file_report(cast.viewer, "project", cast.project.pk, "hate", "The title")
    page.goto(f"{base}/admin/moderation/case/{case.pk}/change/")
    expect(page.locator("#review-panel")).to_be_visible()
    settle(page)
    assert refused == [], "admin"
    assert page.script_errors == []
