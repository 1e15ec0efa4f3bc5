"""The editor's Export dialog: the timelines for editing software download and open in
OpenTimelineIO; an edited OTIO brought back shows the change it proposes, and applying it
reorders the shots in the storyboard."""

import opentimelineio as otio
import pytest
from playwright.sync_api import Page, expect

from storyboard_app.models import Shot
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job
from tests.test_editor_in_browser import log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot_ids(cast: Cast) -> list[int]:
    return list(
        Shot.objects.filter(sequence=cast.sequence)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def test_an_export_downloads_and_an_edit_comes_back_as_a_change_to_apply(
    live_server, page: Page, cast: Cast, media_root, tmp_path
) -> None:
    delivered_take(queued_job(cast.owner, cast.sequence))
    before = shot_ids(cast)
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("button", name="Export…").click()
    dialog = page.locator("dialog.handoff-dialog")
    expect(dialog).to_be_visible()

    with page.expect_download() as downloading:
        dialog.get_by_role("link", name="OpenTimelineIO (.otio)").click()
    exported = tmp_path / "reel.otio"
    downloading.value.save_as(exported)
    timeline = otio.adapters.read_from_file(str(exported))
    clips = list(timeline.find_clips())
    assert len(clips) == len(before)

    # The editor swaps the first two clips.
    track = timeline.video_tracks()[0]
    first = track[0]
    track.remove(first)
    track.insert(1, first)
    edited = tmp_path / "edited.otio"
    otio.adapters.write_to_file(timeline, str(edited))
    page.set_input_files("#edit-file", str(edited))
    dialog.get_by_role("button", name="Read the edit").click()
    expect(dialog.locator(".edit-changes li").first).to_be_visible()

    dialog.get_by_role("button", name="Apply the edit").click()
    expect(dialog.locator(".edit-result")).to_contain_text("Applied")
    assert shot_ids(cast) == [before[1], before[0], *before[2:]]
