"""Sharing a project in Chromium, three people in three contexts over the live server.

The owner makes a one-use editor link on the sharing page and copies it; a newcomer opens it,
creates an account on the way, comes back to the invitation, joins and lands in the editor as
an editor, where the owner sees them arrive. A third person finds the link used up. The owner
then removes the newcomer, whose open editor says "No access" at once and whose next API call
is refused.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from storyboard_app.choices import Role
from storyboard_app.models import Membership, Shot
from tests.browser_fixtures import new_page
from tests.conftest import Cast
from tests.test_co_editing_in_browser import BLINK_MS, avatar, live
from tests.test_editor_in_browser import log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_keys")]

NEW_PASSWORD = "harbour-lamp-storm-42"


@pytest.fixture
def others(browser: Browser):
    """More people at other desks: each call gives a page in a fresh context."""
    pages: list[Page] = []

    def another() -> Page:
        pages.append(new_page(browser))
        return pages[-1]

    yield another
    for page in pages:
        page.context.close()


def sign_up(page: Page, username: str) -> None:
    """Fill and send the sign-up form the page shows."""
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.fill("#id_username", username)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def test_an_invited_newcomer_joins_and_is_shut_out_when_removed(
    live_server, page: Page, others, cast: Cast
) -> None:
    owner = page
    base = live_server.url
    project = cast.project
    editor_url = f"{base}/projects/{project.pk}/"
    owner.on("dialog", lambda dialog: dialog.accept())  # the Remove button asks to confirm

    # The owner, in the editor, follows its Share link and makes a one-use editor link.
    log_in(owner, base, "owner")
    open_editor(owner, editor_url)
    owner.get_by_role("link", name="Share").click()
    owner.wait_for_url(f"{base}/projects/{project.pk}/sharing/")
    link_form = owner.locator("form.share-form:has(input[name=op][value=link])")
    link_form.get_by_label("Role").select_option("editor")
    link_form.get_by_label("Uses (empty: any)").fill("1")
    link_form.get_by_role("button", name="Create link").click()
    expect(owner.locator(".new-link")).to_contain_text("Your new editor link")
    url = owner.locator("#new-link").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/invite/[A-Za-z0-9_-]{{43}}/", url)
    expect(owner.locator("table.links .link-state")).to_have_text(["active"])

    # The owner keeps the editor open in another tab, to see who comes.
    owner_editor = owner.context.new_page()
    owner_editor.script_errors = []
    owner_editor.on("pageerror", lambda error: owner_editor.script_errors.append(str(error)))
    open_editor(owner_editor, editor_url)
    live(owner_editor)

    # A newcomer opens the link, creates an account on the way, comes back and joins.
    newcomer = others()
    newcomer.goto(url)
    expect(newcomer.locator(".invitation")).to_contain_text(
        "owner invites you to the project “Lighthouse” as editor."
    )
    expect(newcomer.get_by_role("link", name="Log in to join")).to_be_visible()
    newcomer.get_by_role("link", name="create an account").click()
    sign_up(newcomer, "newcomer")
    newcomer.wait_for_url(url)
    newcomer.get_by_role("button", name="Join as newcomer").click()
    newcomer.wait_for_url(editor_url)
    expect(newcomer.locator("body.editor-ready")).to_have_count(1)
    expect(newcomer.locator(".messages")).to_contain_text("Welcome to “Lighthouse” (editor).")
    expect(newcomer.locator(".editor-bar .chip.role")).to_have_text("editor")
    expect(newcomer.get_by_role("button", name="+ Add shot")).to_have_count(1)
    expect(newcomer.locator(".badge.view-only")).to_have_count(0)
    live(newcomer)
    assert Membership.objects.get(project=project, user__username="newcomer").role == Role.EDITOR

    # The owner's editor shows the newcomer's avatar.
    expect(avatar(owner_editor, "newcomer")).to_have_count(1, timeout=BLINK_MS)

    # A third person, new as well, finds the link used up.
    third = others()
    third.goto(f"{base}/accounts/signup/")
    sign_up(third, "latecomer")
    third.wait_for_url(f"{base}/projects/")
    answer = third.goto(url)
    assert answer is not None
    assert answer.status == 410
    expect(third.locator(".invitation-problem")).to_have_text(
        "This invitation link has been used as many times as it allows."
    )
    expect(third.get_by_role("button", name=re.compile("^Join"))).to_have_count(0)
    assert not Membership.objects.filter(project=project, user__username="latecomer").exists()

    # The owner removes the newcomer on the sharing page: the newcomer's editor says so at once.
    owner.goto(f"{base}/projects/{project.pk}/sharing/")
    expect(owner.locator("table.links .link-state")).to_have_text(["used up"])
    owner.get_by_role("button", name="Remove newcomer").click()
    expect(owner.locator(".messages")).to_contain_text("Member removed")
    expect(owner.locator("table.members")).not_to_contain_text("newcomer")
    state = newcomer.locator("#live-state")
    expect(state).to_have_attribute("data-state", "denied", timeout=BLINK_MS)
    expect(state).to_have_text("No access")
    expect(avatar(owner_editor, "newcomer")).to_have_count(0, timeout=BLINK_MS)

    # Their next API call is refused, from the page they still have open.
    shots = Shot.objects.count()
    status = newcomer.evaluate(
        "url => fetch(url, {headers: {Accept: 'application/json'}}).then(r => r.status)",
        reverse("api-project-timeline", args=[project.pk]),
    )
    assert status == 404
    newcomer.get_by_role("button", name="+ Add shot").click()
    expect(newcomer.locator("#save-status")).to_have_attribute("data-state", "error")
    assert Shot.objects.count() == shots

    for person in (owner, owner_editor, newcomer, third):
        assert person.script_errors == []
