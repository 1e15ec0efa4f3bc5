"""The timeline editor driven in Debian's Chromium through Playwright (sync API).

A director logs in through the login page, creates a project from the dashboard, adds three
shots, reorders them with a real mouse drag, stretches one by dragging its right edge, writes its
action in the inspector, reloads and finds it all saved (in the page and in the database), then
undoes back to the previous order. A second test edits a shot someone else has just changed and
gets the conflict panel with the typed text kept; a third opens the editor as a viewer.
"""

import re
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from storyboard_app.models import Project, Shot
from tests.browser_fixtures import ARTIFACTS, WAIT_SECONDS
from tests.conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(check: Callable[[], object], what: str) -> None:
    """Poll `check` (e.g. a database read) until it is true."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def assert_light_and_quick(page: Page) -> None:
    """The editor page weighs under 300 KB (HTML, JS, CSS) and is ready within 1 s."""
    assets = page.evaluate(
        """() => [...new Set([location.href,
            ...performance.getEntriesByType('resource').map(e => e.name),
            ...[...document.querySelectorAll('script[src], link[href]')]
                .map(e => e.src || e.href)])]
            .filter(url => url === location.href || /\\.(js|css)$/.test(url))"""
    )
    weight = sum(len(page.request.get(url).body()) for url in assets)
    assert len(assets) > 10
    assert weight < 300_000
    ready = page.evaluate("performance.getEntriesByName('editor-ready')[0].startTime")
    assert ready < 1000


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/$"))


def open_editor(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body.editor-ready")).to_have_count(1)
    expect(page.locator("#save-status")).to_have_text("All changes saved")


def page_order(page: Page) -> list[int]:
    return page.locator(".track .clip").evaluate_all("els => els.map(e => Number(e.dataset.shot))")


def expect_page_order(page: Page, ids: list[int]) -> None:
    """Wait until the blocks show the shots in the order `ids`."""
    page.wait_for_function(
        """ids => JSON.stringify([...document.querySelectorAll('.track .clip')]
            .map(e => Number(e.dataset.shot))) === JSON.stringify(ids)""",
        arg=ids,
    )


def db_order(sequence_id: int) -> list[int]:
    return list(Shot.objects.filter(sequence_id=sequence_id).values_list("pk", flat=True))


def block(page: Page, shot_id: int):
    return page.locator(f'.clip[data-shot="{shot_id}"]')


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A real mouse drag: press, move in small steps, release."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def box_of(locator) -> dict:
    """The element's box once it stands still: a live update (the socket's snapshot, the echo
    of a save) may replace a block between finding it and measuring it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        if box is not None:
            return box
        if time.monotonic() > deadline:
            raise AssertionError(f"{locator} never stood still")


def center(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_build_reorder_resize_edit_reload_and_undo(live_server, page: Page) -> None:
    User.objects.create_user("director", "director@example.com", PASSWORD)
    log_in(page, live_server.url, "director")

    page.fill("#id_title", "Harbour at dawn")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = Project.objects.get(title="Harbour at dawn")
    sequence = project.sequences.get()
    expect(page.locator("body.editor-ready")).to_have_count(1)

    # Three shots, added with the row's button.
    for count in (1, 2, 3):
        page.get_by_role("button", name="+ Add shot").click()
        expect(page.locator(".track .clip")).to_have_count(count)
    wait_until(lambda: len(db_order(sequence.pk)) == 3, "three shots saved")
    first, second, third = original = db_order(sequence.pk)
    assert page_order(page) == original
    expect(page.get_by_role("button", name="Shot 1, medium, 3 seconds")).to_be_visible()

    # Drag the first block past the middle of the third: the order becomes 2, 3, 1.
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    start = center(box_of(block(page, first).locator(".shot")))
    target = box_of(block(page, third))
    drag(page, start, (target["x"] + target["width"] * 0.8, start[1]))
    reordered = [second, third, first]
    wait_until(lambda: db_order(sequence.pk) == reordered, "the new order saved")
    expect_page_order(page, reordered)

    # Stretch the (now first) second shot by two seconds with its right edge.
    clip = block(page, second)
    box = box_of(clip)
    per_second = box["width"] / 3
    handle = box_of(clip.locator(".handle"))
    grip = center(handle)
    drag(page, grip, (grip[0] + 2 * per_second + per_second * 0.2, grip[1]))
    wait_until(lambda: Shot.objects.get(pk=second).duration == 5, "the new duration saved")
    expect(page.get_by_role("button", name="Shot 1, medium, 5 seconds")).to_be_visible()

    # Write its action in the inspector.
    clip.locator(".shot").click()
    action = page.locator("#inspector textarea[name=text]")
    action.fill("A gull lands on the rail; the fog lifts.")
    wait_until(lambda: "gull" in Shot.objects.get(pk=second).text, "the action saved")
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    # Reload: order, durations and text all come back from the server.
    page.reload()
    expect(page.locator(".track .clip")).to_have_count(3)
    assert page_order(page) == reordered
    expect(page.locator(".track .shot")).to_have_text(
        [re.compile(r"gull lands.*5 s"), re.compile(r"3 s"), re.compile(r"3 s")]
    )
    assert_light_and_quick(page)
    block(page, second).locator(".shot").click()
    expect(action).to_have_value("A gull lands on the rail; the fog lifts.")
    assert [(s.pk, s.duration) for s in Shot.objects.filter(sequence=sequence)] == [
        (second, 5),
        (third, 3),
        (first, 3),
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor.png"))

    # Undo (the history survives the reload): the text, the resize, then the reorder.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    wait_until(lambda: Shot.objects.get(pk=second).text == "", "the text edit undone")
    expect(action).to_have_value("")
    page.keyboard.press("Control+z")
    wait_until(lambda: Shot.objects.get(pk=second).duration == 3, "the resize undone")
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: db_order(sequence.pk) == original, "the reorder undone")
    expect_page_order(page, original)
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    # Redo brings the reorder back.
    page.keyboard.press("Control+Shift+z")
    wait_until(lambda: db_order(sequence.pk) == reordered, "the reorder redone")
    expect_page_order(page, reordered)
    assert page.script_errors == []


def test_conflict_keeps_the_typed_text(live_server, page: Page, cast: Cast) -> None:
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    shot = cast.shots[0]
    block(page, shot.pk).locator(".shot").click()
    action = page.locator("#inspector textarea[name=text]")
    expect(action).to_have_value("Shot 1 action")

    # The owner's change (version 1 -> 2) whose event has not reached the page yet.
    Shot.objects.filter(pk=shot.pk).update(
        version=2, text="The owner's new action", shot_size="wide"
    )

    action.fill("My own words for this shot")
    conflict = page.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else changed this shot meanwhile.")
    expect(conflict).to_contain_text("The owner's new action")
    expect(page.locator("#save-status")).to_contain_text("Conflict")
    expect(action).to_have_value("My own words for this shot")
    assert Shot.objects.get(pk=shot.pk).text == "The owner's new action"

    # Keep mine: the typed text is saved on top of the owner's version, their size stays.
    conflict.get_by_role("button", name="Keep mine").click()
    wait_until(lambda: Shot.objects.get(pk=shot.pk).version == 3, "the kept edit saved")
    saved = Shot.objects.get(pk=shot.pk)
    assert (saved.text, saved.shot_size) == ("My own words for this shot", "wide")
    expect(conflict).to_have_count(0)
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    expect(action).to_have_value("My own words for this shot")
    assert page.script_errors == []


def test_viewer_sees_a_read_only_editor(live_server, page: Page, cast: Cast) -> None:
    log_in(page, live_server.url, "viewer")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    expect(page.locator(".badge.view-only")).to_have_text("View only")
    expect(page.locator(".track .clip")).to_have_count(3)
    expect(page.locator(".handle")).to_have_count(0)
    expect(page.get_by_role("button", name="+ Add shot")).to_have_count(0)
    page.get_by_role("button", name="Shot 2, medium, 3 seconds").click()
    expect(page.locator("#inspector textarea[name=text]")).to_be_disabled()
    expect(page.locator("#inspector select[name=shot_size]")).to_be_disabled()

    # A drag does not reorder anything.
    shots = [shot.pk for shot in cast.shots]
    start = center(box_of(block(page, shots[0])))
    end = center(box_of(block(page, shots[2])))
    drag(page, start, (end[0] + 20, end[1]))
    assert page_order(page) == shots
    assert db_order(cast.sequence.pk) == shots
    assert page.script_errors == []
