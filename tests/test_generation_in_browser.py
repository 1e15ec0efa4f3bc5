"""The editor's generation UI driven in Debian's Chromium, with real Celery workers rendering.

An editor opens the Generate dialog, sees the estimate and the balance of each provider,
confirms, watches the progress bar move and finds the finished take playing in the takes panel
without a reload; generates it again, compares the two takes side by side and chooses the second.
A viewer sees jobs and takes but no button that changes them. A job is followed across a reload,
a second one is refused over the in-flight limit, and a long render is canceled as it runs.
"""

import pytest
from playwright.sync_api import Page, expect

from jobs.choices import JobState
from jobs.models import CreditAccount, GenerationJob, Take
from storyboard_app.models import Shot
from tests.browser_fixtures import ARTIFACTS
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.test_editor_in_browser import log_in, open_editor
from tests.worker_fixtures import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RENDER_MS = 60_000  # the longest a test waits for a job to end

# Every value the progress bars take, recorded in the page as they change.
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(() => {
    for (const bar of document.querySelectorAll('.job [role=progressbar]')) {
      const value = Number(bar.getAttribute('aria-valuenow'));
      if (window.progressSeen.at(-1) !== value) window.progressSeen.push(value);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ['aria-valuenow']});
}"""


def set_shots(cast: Cast, seconds: int, **sequence_fields) -> None:
    """Make each of the cast's three shots `seconds` long (a longer render to watch)."""
    Shot.objects.filter(sequence=cast.sequence).update(duration=seconds)
    for name, value in sequence_fields.items():
        setattr(cast.sequence, name, value)
    cast.sequence.save()


def open_dialog(page: Page):
    page.get_by_role("button", name="Generate sequence 1").click()
    dialog = page.get_by_role("dialog", name="Generate sequence 1")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Provider")).to_be_focused()
    return dialog


def estimate(dialog, name: str):
    return dialog.locator(f'[data-estimate="{name}"] dd')


def job_row(page: Page, job_id: int):
    return page.locator(f'.job[data-job="{job_id}"]')


def wait_for_state(page: Page, job_id: int, state: str, timeout: float = RENDER_MS) -> None:
    expect(job_row(page, job_id)).to_have_attribute("data-state", state, timeout=timeout)


def newest_job() -> GenerationJob:
    return GenerationJob.objects.order_by("-id").first()


def video_loaded(page: Page, selector: str) -> None:
    """The player has read the video's metadata: a real, playable file came through."""
    page.wait_for_function(
        f"""() => {{ const v = document.querySelector('{selector}');
                    return v && v.readyState >= 1 && v.duration > 0; }}""",
        timeout=RENDER_MS,
    )


def test_generate_watch_compare_and_choose(
    live_server, page: Page, cast: Cast, workers, settings
) -> None:
    # 15 s at 1080p: a render of a few seconds, so the polls see the bar between 0 and 100.
    set_shots(cast, 5, quality="1080p")
    settings.KLING_API_KEY = "a-key-so-kling-is-offered"
    CreditAccount.objects.create(user=cast.editor, balance=3)
    workers.start()
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    page.evaluate(RECORD_PROGRESS)

    # Kling costs more than the balance: confirming is not offered.
    dialog = open_dialog(page)
    confirm = dialog.get_by_role("button", name="Generate take")
    dialog.get_by_label("Provider").select_option("kling")
    expect(estimate(dialog, "balance")).to_have_text("3 credits")
    expect(dialog.locator(".gen-refusal")).to_contain_text("costs more than your balance")
    expect(confirm).to_be_disabled()

    # The animatic is free: 15 seconds for 0 credits.
    dialog.get_by_label("Provider").select_option("animatic")
    expect(estimate(dialog, "seconds")).to_have_text("15 seconds")
    expect(estimate(dialog, "cost")).to_have_text("0 credits")
    expect(estimate(dialog, "balance")).to_have_text("3 credits")
    expect(confirm).to_be_enabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "generate-dialog.png"))
    confirm.dblclick()  # one job however eager the click: one Idempotency-Key per opening
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Generate sequence 1")).to_be_focused()

    first_job = newest_job()
    expect(page.locator(".job")).to_have_count(1)
    expect(job_row(page, first_job.pk).get_by_role("progressbar")).to_be_visible()
    wait_for_state(page, first_job.pk, "succeeded")
    assert GenerationJob.objects.count() == 1
    seen = page.evaluate("window.progressSeen")
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen), seen
    expect(page.locator("#live-status")).to_contain_text("generation succeeded")

    # The take is in the opened panel, selected and playable, with no reload.
    first_take = Take.objects.get(job=first_job)
    panel = page.locator(".takes")
    expect(panel).to_have_attribute("open", "")
    expect(panel.locator(".take-card")).to_have_count(1)
    expect(panel.locator(f'.take-card[data-take="{first_take.pk}"]')).to_contain_text("★ Chosen")
    video_loaded(page, f'.take-viewer[data-take="{first_take.pk}"] video')
    settings_disclosure = panel.locator(".take-settings")
    settings_disclosure.locator("summary").click()
    expect(settings_disclosure.locator(".settings-shots li")).to_have_count(3)
    expect(settings_disclosure).to_contain_text("Shot 1 action")

    # Generate again: the same settings, a second take, which the panel then shows.
    panel.get_by_role("button", name="Generate take 1 again").click()
    expect(page.locator(".job")).to_have_count(2)
    second_job = newest_job()
    assert second_job.pk != first_job.pk
    assert second_job.storyboard == first_job.storyboard
    wait_for_state(page, second_job.pk, "succeeded")
    second_take = Take.objects.get(job=second_job)
    expect(panel.locator(".take-card")).to_have_count(2)
    newest = panel.locator(f'.take-card[data-take="{second_take.pk}"] .take-pick')
    expect(newest).to_have_attribute("aria-pressed", "true")

    # Compare the two side by side and play both at once.
    panel.get_by_label("Compare take 1").check()
    panel.get_by_label("Compare take 2").check()
    expect(panel.locator(".take-stage.comparing video")).to_have_count(2)
    video_loaded(page, f'.take-viewer[data-take="{first_take.pk}"] video')
    video_loaded(page, f'.take-viewer[data-take="{second_take.pk}"] video')
    panel.get_by_role("button", name="Play both").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.take-stage.comparing video')]
                 .every(v => !v.paused && v.currentTime > 0)""",
        timeout=RENDER_MS,
    )

    page.screenshot(path=str(ARTIFACTS / "takes-compared.png"), full_page=True)

    # Choose the second: the chosen mark moves, and the API agrees.
    panel.get_by_role("button", name="Use take 2").click()
    expect(panel.locator(".take-card.chosen")).to_have_attribute("data-take", str(second_take.pk))
    expect(panel.locator(".takes-title + .chip + .meta")).to_have_text("chosen: take 2")
    answer = page.request.get(f"{live_server.url}/api/sequences/{cast.sequence.pk}/takes/")
    chosen = [take["id"] for take in answer.json() if take["chosen"]]
    assert chosen == [second_take.pk]
    assert page.script_errors == []


def test_a_viewer_sees_jobs_and_takes_but_no_buttons(
    live_server, page: Page, cast: Cast, media_root
) -> None:
    delivered_take(queued_job(cast.editor, cast.sequence))
    delivered_take(queued_job(cast.editor, cast.sequence))
    waiting = queued_job(cast.editor, cast.sequence)  # no worker: it stays queued
    log_in(page, live_server.url, "viewer")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")

    expect(job_row(page, waiting.pk)).to_have_attribute("data-state", "queued")
    expect(job_row(page, waiting.pk).get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", "0"
    )
    panel = page.locator(".takes")
    panel.locator("summary").click()
    expect(panel.locator(".take-card")).to_have_count(2)
    video_loaded(page, ".take-viewer video")
    panel.get_by_label("Compare take 1").check()
    panel.get_by_label("Compare take 2").check()
    expect(panel.locator(".take-stage.comparing video")).to_have_count(2)

    for name in ("Generate sequence 1", "Cancel", "Use this take", "Generate again"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    assert page.script_errors == []


def test_a_long_render_survives_a_reload_and_is_canceled(
    live_server, page: Page, cast: Cast, workers, settings
) -> None:
    set_shots(cast, 5, quality="1080p")  # 15 s at 1080p: the longest render there is
    settings.JOBS_MAX_IN_FLIGHT_PER_USER = 1
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    dialog = open_dialog(page)
    dialog.get_by_role("button", name="Generate take").click()
    expect(dialog).to_be_hidden()  # the 202 came: the job exists
    job = newest_job()
    wait_for_state(page, job.pk, "queued")

    # No worker yet, so the job waits. A reload keeps showing it, and keeps following it.
    page.reload()
    expect(page.locator("body.editor-ready")).to_have_count(1)
    wait_for_state(page, job.pk, "queued", timeout=5_000)

    # Over the in-flight limit, the dialog says so in words.
    dialog = open_dialog(page)
    dialog.get_by_role("button", name="Generate take").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Too many generations at once")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    # A worker starts the render; cancel it as soon as it runs (seen in the database, which is
    # quicker than the page's one-second polls: the render lasts only a few seconds).
    workers.start()
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).state == JobState.RUNNING,
        30,
        "the render never started",
    )
    job_row(page, job.pk).get_by_role("button", name=f"Cancel job {job.pk}").click()
    wait_for_state(page, job.pk, "canceled", timeout=10_000)
    expect(job_row(page, job.pk)).to_contain_text("Canceled")
    expect(job_row(page, job.pk).get_by_role("button", name=f"Cancel job {job.pk}")).to_be_hidden()
    expect(page.locator("#live-status")).to_contain_text("generation canceled")
    job.refresh_from_db()
    assert job.state == JobState.CANCELED
    assert not Take.objects.filter(job=job).exists()
    assert page.script_errors == []


def test_the_dialog_lists_errors_per_field_and_will_not_confirm(
    live_server, page: Page, cast: Cast
) -> None:
    set_shots(cast, 6)  # 18 s: too long
    Shot.objects.filter(pk=cast.shots[1].pk).update(text="@nobody walks in")
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")

    dialog = open_dialog(page)
    errors = dialog.locator(".gen-errors li")
    expect(errors).to_have_text(
        [
            "Duration: The sequence lasts 18 s; it must last between 3 and 15 s.",
            "Shot 2, action: @nobody is not an element of this project's libraries.",
        ]
    )
    expect(estimate(dialog, "seconds")).to_have_text("18 seconds")
    expect(dialog.get_by_role("button", name="Generate take")).to_be_disabled()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Generate sequence 1")).to_be_focused()
    assert not GenerationJob.objects.exists()
    assert page.script_errors == []
