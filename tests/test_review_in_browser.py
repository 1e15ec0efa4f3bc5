"""The review state in the editor: an editor sends a sequence for review and approves it; the
approved row is locked in every open editor (no adding, no editing, no choosing another take)
until it is reopened."""

import pytest
from playwright.sync_api import Browser, Page, expect

from jobs import actions as job_actions
from storyboard_app.models import Sequence
from tests.browser_fixtures import new_page
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.test_editor_in_browser import log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_keys")]


def open_as(page: Page, live_server, cast: Cast, who: str) -> None:
    log_in(page, live_server.url, who)
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")


def test_approving_locks_the_sequence_everywhere_until_it_is_reopened(
    live_server, page: Page, browser: Browser, cast: Cast, media_root
) -> None:
    job_actions.choose_take(delivered_take(queued_job(cast.editor, cast.sequence)))
    open_as(page, live_server, cast, "editor")
    other = new_page(browser)
    open_as(other, live_server, cast, "owner")

    page.get_by_role("button", name="Sequence 1", exact=True).click()
    review = page.get_by_role("region", name="Review")
    expect(review.locator(".review-state")).to_have_text("Draft")
    review.get_by_role("button", name="Send for review").click()
    expect(review.locator(".review-state")).to_have_text("In review")
    review.get_by_role("button", name="Approve").click()
    expect(review.locator(".review-state")).to_contain_text("Approved")
    assert Sequence.objects.get(pk=cast.sequence.pk).review_state == "approved"

    for editor in (page, other):
        row = editor.locator(f'.sequence[data-seq="{cast.sequence.pk}"]')
        expect(row.locator(".chip.review-approved")).to_have_text("🔒 Approved")
        expect(row.get_by_role("button", name="+ Add shot")).to_have_count(0)
        expect(row.locator(".handle")).to_have_count(0)
    other.get_by_role("button", name="Shot 1, medium, 2 seconds").click()
    expect(other.locator("#inspector textarea[name=text]")).to_be_disabled()

    # Reopened (changes requested): editable again, everywhere.
    review.get_by_role("button", name="Reopen").click()
    expect(review.locator(".review-state")).to_have_text("Changes requested")
    expect(other.locator("#inspector textarea[name=text]")).to_be_enabled()
    expect(other.get_by_role("button", name="+ Add shot")).to_have_count(1)
    assert page.script_errors == []
    assert other.script_errors == []
    other.context.close()


def test_approving_without_a_chosen_take_says_why(live_server, page: Page, cast: Cast) -> None:
    open_as(page, live_server, cast, "editor")
    page.get_by_role("button", name="Sequence 1", exact=True).click()
    review = page.get_by_role("region", name="Review")
    review.get_by_role("button", name="Send for review").click()
    review.get_by_role("button", name="Approve").click()
    expect(review.locator(".review-message")).to_have_text(
        "Choose a take before approving: the approval is of a take."
    )
    assert Sequence.objects.get(pk=cast.sequence.pk).review_state == "in_review"
