"""Comments in the editor: a commenter comments on a shot mentioning the editor; the editor's
open page shows the thread and the badge on the shot at once (live), replies and resolves it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from discussion.models import Notification
from storyboard_app.models import Membership
from tests.browser_fixtures import new_page
from tests.conftest import PASSWORD, Cast
from tests.job_helpers import delivered_take, queued_job
from tests.test_editor_in_browser import block, log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_keys")]


def open_as(page: Page, live_server, cast: Cast, who: str) -> None:
    log_in(page, live_server.url, who)
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")


def test_a_comment_with_a_mention_reaches_the_editor_who_replies_and_resolves(
    live_server, page: Page, browser: Browser, cast: Cast
) -> None:
    commenter = User.objects.create_user("carla", password=PASSWORD)
    Membership.objects.create(project=cast.project, user=commenter, role="commenter")
    shot = cast.shots[1]
    open_as(page, live_server, cast, "editor")
    other = new_page(browser)
    open_as(other, live_server, cast, "carla")

    # The commenter may not edit the shot but may comment on it.
    block(other, shot.pk).locator(".shot").click()
    expect(other.locator("#inspector textarea[name=text]")).to_be_disabled()
    comments = other.get_by_role("region", name="Comments")
    comments.get_by_label("New comment").fill("@editor the gull lands too early")
    comments.get_by_role("button", name="Comment").click()
    expect(comments.locator(".comment-body")).to_have_text(["@editor the gull lands too early"])
    assert Notification.objects.get().user == cast.editor

    # The editor sees the badge on the shot at once, then the thread.
    expect(block(page, shot.pk).locator(".shot-comments")).to_have_text("💬 1")
    block(page, shot.pk).locator(".shot").click()
    thread = page.get_by_role("region", name="Comments").locator(".thread")
    expect(thread.locator(".comment-body")).to_have_text(["@editor the gull lands too early"])
    thread.get_by_label("Reply to carla").fill("Moved it to 3 s")
    thread.get_by_role("button", name="Reply").click()
    expect(thread.locator(".replies .comment-body")).to_have_text(["Moved it to 3 s"])
    thread.get_by_role("button", name="Resolve").click()
    expect(block(page, shot.pk).locator(".shot-comments")).to_have_count(0)
    # The commenter's open page follows.
    expect(comments.locator(".thread.resolved")).to_have_count(1)
    expect(comments.locator(".replies .comment-body")).to_have_text(["Moved it to 3 s"])
    assert page.script_errors == []
    assert other.script_errors == []
    other.context.close()


def test_a_take_is_commented_on_under_its_player(
    live_server, page: Page, cast: Cast, media_root
) -> None:
    take = delivered_take(queued_job(cast.editor, cast.sequence))
    open_as(page, live_server, cast, "viewer")
    panel = page.locator(".takes")
    panel.locator("summary").click()
    region = page.get_by_role("region", name="Comments on this take")
    expect(region.locator(".empty")).to_have_text("No comments yet.")
    expect(region.get_by_label("New comment")).to_have_count(0)  # a viewer reads only
    client_comment = cast.client("editor").post(
        f"/api/projects/{cast.project.pk}/comments/",
        {"take": take.pk, "body": "The cut at 4 s jumps"},
        format="json",
    )
    assert client_comment.status_code == 201
    expect(region.locator(".comment-body")).to_have_text(["The cut at 4 s jumps"])
    assert page.script_errors == []
