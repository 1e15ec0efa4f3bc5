"""The review queue driven in Debian's Chromium: a member reports a take of the project; a
moderator logs in to the admin, opens the queue and the case, plays the take's video, writes a
reason and takes it down. Meanwhile the owner has the editor open on that take, and within a
few seconds its player gives way to the "Taken down by a moderator" note with the reason;
the take's video URL then answers 404."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from jobs import actions as job_actions
from moderation.choices import AuditAction, CaseState
from moderation.models import AuditEntry, Case
from tests.browser_fixtures import new_page
from tests.conftest import PASSWORD, Cast
from tests.job_helpers import delivered_take, queued_job
from tests.test_editor_in_browser import log_in, open_editor
from tests.test_generation_in_browser import video_loaded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_keys"),
]

SOON_MS = 5000  # "within a few seconds"
REASON = "Graphic injury in the second shot"


def make_moderator(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


@pytest.fixture
def owner_page(browser: Browser, live_server, cast: Cast):
    """The owner's editor, in a browser context of its own."""
    page = new_page(browser)
    log_in(page, live_server.url, "owner")
    yield page
    page.context.close()


def admin_log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}{reverse('admin:index')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_a_moderator_plays_a_reported_take_and_takes_it_down(
    live_server, page: Page, owner_page: Page, cast: Cast, media_root
) -> None:
    take = delivered_take(queued_job(cast.owner, cast.sequence))
    job_actions.choose_take(take, cast.owner)
    reported = cast.client("viewer").post(
        reverse("api-reports"),
        {"take": take.pk, "category": "violence", "reason": "Too gory for a pitch"},
        format="json",
    )
    assert reported.status_code == 201, reported.content
    case = Case.objects.get(take=take)
    make_moderator("mod")
    video_url = f"{live_server.url}{take.video.url}"

    # The owner watches the take in the editor.
    owner = owner_page
    open_editor(owner, f"{live_server.url}/projects/{cast.project.pk}/")
    expect(owner.locator("#live-state")).to_have_attribute("data-state", "live")
    panel = owner.locator(f'details[data-takes="{cast.sequence.pk}"]')
    panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    video_loaded(owner, f'.take-viewer[data-take="{take.pk}"] video')
    assert owner.request.get(video_url).status == 200

    # The moderator: the admin, the queue, the case.
    admin_log_in(page, live_server.url, "mod")
    page.get_by_role("link", name="Cases").first.click()
    page.wait_for_url(re.compile(r"/admin/moderation/case/$"))
    # The queue opens on the open cases.
    selected = page.locator("#changelist-filter li.selected").filter(has_text="Open")
    expect(selected).to_have_count(1)
    row = page.locator("#result_list tbody tr").filter(has_text=case.subject_label)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=str(case.pk), exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/moderation/case/{case.pk}/change/"))
    panel_of_case = page.locator("#review-panel")
    expect(panel_of_case).to_contain_text("Too gory for a pitch")

    # It plays.
    player = panel_of_case.locator("video[data-preview=video]")
    expect(player).to_have_count(1)
    media = reverse("admin:moderation_case_media", args=[case.pk, f"take-{take.pk}-video"])
    assert player.get_attribute("src") == media
    player.evaluate("video => { video.muted = true; return video.play(); }")
    page.wait_for_function("() => document.querySelector('#review-panel video').currentTime > 0.2")
    state = player.evaluate(
        "video => ({error: video.error && video.error.code, duration: video.duration})"
    )
    assert state["error"] is None
    assert state["duration"] > 1
    player.evaluate("video => video.pause()")

    # The decision.
    page.fill("#decision-reason", REASON)
    page.get_by_role("button", name="Take down", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("take down — done")
    expect(panel_of_case).to_contain_text("Taken down")
    expect(page.get_by_role("button", name="Restore")).to_be_visible()

    # The owner's editor hears of it at once: no player, the note with the reason.
    note = owner.locator(f'.take-viewer[data-take="{take.pk}"] .take-removed')
    expect(note).to_be_visible(timeout=SOON_MS)
    expect(note).to_contain_text("Taken down by a moderator")
    expect(note).to_contain_text(REASON)
    expect(owner.locator(f'.take-viewer[data-take="{take.pk}"] video')).to_have_count(0)
    expect(note.get_by_role("link", name="See the decision or appeal it")).to_have_attribute(
        "href", "/moderation/"
    )
    assert owner.request.get(video_url).status == 404

    case.refresh_from_db()
    assert case.state == CaseState.REMOVED
    entry = AuditEntry.objects.get(case=case)
    assert (entry.actor_name, entry.action, entry.reason) == ("mod", AuditAction.TAKE_DOWN, REASON)
    # The moderator still sees the evidence.
    assert page.request.get(f"{live_server.url}{media}").status == 200
    assert page.script_errors == []
    assert owner.script_errors == []
