"""Two people in the same project, in two Chromium contexts, over the live socket.

Each sees the other's avatar and the shot the other has selected; what one edits, adds,
resizes, reorders or deletes appears for the other at once, while what the other is typing in
another field stays. A restarted server loses nothing: the page reconnects by itself and shows
what changed while it was away; a page that misses an event notices the gap and catches up.
"""

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db.models import F
from playwright.sync_api import Browser, Page, expect

from plumbing.live_state import live_state
from storyboard_app import actions
from storyboard_app.models import Shot
from tests.asgi_live_server import AsgiLiveServer
from tests.browser_fixtures import new_page
from tests.conftest import Cast
from tests.test_editor_in_browser import block, expect_page_order, log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_keys")]

BLINK_MS = 2000  # "within a blink": well under the 10 s every other wait allows


def avatar(page: Page, name: str):
    return page.locator(f'#presence .avatar[aria-label^="{name} "]')


def live(page: Page) -> None:
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")


@pytest.fixture
def editor_page(browser: Browser, live_server, cast: Cast):
    page = new_page(browser)
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    live(page)
    yield page
    page.context.close()


def test_two_editors_see_each_other_and_each_others_changes(
    live_server, page: Page, editor_page: Page, cast: Cast
) -> None:
    owner, editor = page, editor_page
    first, second, third = cast.shots
    log_in(owner, live_server.url, "owner")
    open_editor(owner, f"{live_server.url}/projects/{cast.project.pk}/")
    live(owner)

    # Each sees the other, and the shot the other selects.
    expect(avatar(owner, "editor")).to_have_count(1)
    expect(avatar(editor, "owner")).to_have_count(1)
    block(editor, second.pk).locator(".shot").click()
    marker = block(owner, second.pk).locator(".clip-people .avatar")
    selected = "editor has this shot selected"
    expect(marker).to_have_attribute("aria-label", selected, timeout=BLINK_MS)
    expect(avatar(owner, "editor")).to_have_attribute("title", "editor is on shot 2 of sequence 1")

    # The owner types into shot 2's action while the editor changes its size: the owner's text
    # stays, focused, and the new size shows on both the block and the owner's form.
    block(owner, second.pk).locator(".shot").click()
    action = owner.locator("#inspector textarea[name=text]")
    action.click()
    action.press("End")
    owner.keyboard.type(" at dusk")
    editor.locator("#inspector select[name=shot_size]").select_option("close_up")
    close_up = re.compile(r"\bsize-close_up\b")
    expect(block(owner, second.pk)).to_have_class(close_up, timeout=BLINK_MS)
    expect(owner.locator("#inspector select[name=shot_size]")).to_have_value("close_up")
    expect(action).to_have_value("Shot 2 action at dusk")
    expect(action).to_be_focused()
    expect(owner.locator("#save-status")).to_have_text("All changes saved")
    saved = Shot.objects.get(pk=second.pk)
    assert (saved.text, saved.shot_size) == ("Shot 2 action at dusk", "close_up")
    expect(editor.locator("#inspector textarea[name=text]")).to_have_value(
        "Shot 2 action at dusk", timeout=BLINK_MS
    )

    # The editor reorders (shot 2 first), resizes, adds and deletes; the owner sees each.
    focused = block(editor, second.pk).locator(".shot")
    focused.focus()
    focused.press("Alt+ArrowLeft")
    expect_page_order(owner, [second.pk, first.pk, third.pk])
    block(editor, third.pk).locator(".shot").focus()
    editor.keyboard.press("+")
    expect(block(owner, third.pk).locator(".shot-dur")).to_have_text("5 s", timeout=BLINK_MS)
    editor.get_by_role("button", name="+ Add shot").click()
    expect(owner.locator(".track .clip")).to_have_count(4, timeout=BLINK_MS)
    added = Shot.objects.exclude(pk__in=[s.pk for s in cast.shots]).get()
    block(editor, first.pk).locator(".shot").focus()
    editor.keyboard.press("Delete")
    expect_page_order(owner, [second.pk, third.pk, added.pk])

    # The editor leaves: their avatar goes.
    editor.close()
    expect(avatar(owner, "editor")).to_have_count(0, timeout=BLINK_MS)
    assert owner.script_errors == []
    assert editor.script_errors == []


def test_a_restarted_server_loses_nothing(browser: Browser, cast: Cast, transactional_db) -> None:
    server = AsgiLiveServer()
    page = new_page(browser)
    try:
        log_in(page, server.url, "viewer")
        open_editor(page, f"{server.url}/projects/{cast.project.pk}/")
        live(page)
        port = server.port
        server.stop()
        expect(page.locator("#live-state")).to_have_attribute("data-state", "offline")

        # Changes made while the server is down reach no one…
        first = cast.shots[0]
        actions.update_shot(first, first.version, {"text": "Written during the restart"})
        actions.reorder_shots(cast.sequence, [cast.shots[2].pk, first.pk, cast.shots[1].pk])

        # …until the server is back: the page reconnects by itself and catches up.
        server = AsgiLiveServer(port=port)
        live(page)
        expect(block(page, first.pk).locator(".shot-text")).to_have_text(
            "Written during the restart"
        )
        expect_page_order(page, [cast.shots[2].pk, first.pk, cast.shots[1].pk])
        assert page.script_errors == []
    finally:
        page.context.close()
        server.stop()


def test_a_page_that_misses_an_event_catches_up_with_a_snapshot(
    live_server, page: Page, cast: Cast
) -> None:
    first, _, third = cast.shots
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    log_in(page, live_server.url, "viewer")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    live(page)

    # A change whose event is lost on the way: committed and numbered, never delivered.
    lost = "Changed, its event lost"
    Shot.objects.filter(pk=first.pk).update(text=lost, version=F("version") + 1)
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, live_state().next_seq(cast.project.pk)).result()

    # The next event shows the gap: the page asks for a snapshot and shows both changes.
    actions.update_shot(third, third.version, {"text": "Seen live"})
    expect(block(page, third.pk).locator(".shot-text")).to_have_text("Seen live")
    expect(block(page, first.pk).locator(".shot-text")).to_have_text(lost)
    assert any(json.loads(frame)["type"] == "snapshot" for frame in sent), sent
    assert page.script_errors == []
