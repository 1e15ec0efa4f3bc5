"""The prompt director in the editor: paste a long direction prompt, preview the shots the
server makes of it (nothing saved yet), add them as a new sequence of custom shots, or keep the
prompt as one auto sequence; both stay after a reload."""

import re

import pytest
from playwright.sync_api import Page, expect

from storyboard_app.models import Sequence
from tests.conftest import Cast
from tests.test_editor_in_browser import log_in, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_EXAMPLE = (
    "Shot 1: Wide shot of a lighthouse kitchen at dawn, rain on the window. @Mara pours tea "
    'and says, "The ferry won\'t run today."\nShot 2: Close-up of @Tomas, who smiles without '
    'looking up and replies, "Then we have all day."\nShot 3: Medium shot, the camera slowly '
    "pushes in on both of them as the kettle whistles."
)


def open_director(page: Page, live_server, cast: Cast) -> None:
    log_in(page, live_server.url, "editor")
    open_editor(page, f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("button", name="Direct a prompt…").click()
    expect(page.locator("dialog.director-dialog")).to_be_visible()
    page.fill("#director-prompt", FIRST_EXAMPLE)


def test_a_prompt_is_previewed_then_added_as_a_sequence_of_shots(live_server, page: Page, cast):
    before = Sequence.objects.filter(project=cast.project).count()
    open_director(page, live_server, cast)

    page.get_by_role("button", name="Preview the shots").click()
    shots = page.locator(".directed-shot")
    expect(shots).to_have_count(3)
    expect(shots.nth(1)).to_contain_text("Then we have all day.")
    expect(shots.nth(2)).to_contain_text("Push in")
    assert Sequence.objects.filter(project=cast.project).count() == before  # nothing saved

    page.get_by_role("button", name="Add as shots").click()
    expect(page.locator("dialog.director-dialog")).to_be_hidden()
    added = Sequence.objects.filter(project=cast.project).order_by("-position").first()
    assert Sequence.objects.filter(project=cast.project).count() == before + 1
    assert added.mode == "custom"
    assert [shot.shot_size for shot in added.shots.order_by("position")] == [
        "wide",
        "close_up",
        "medium",
    ]
    expect(page.locator(f'section.sequence[data-seq="{added.pk}"] .clip')).to_have_count(3)

    page.reload()
    expect(page.locator("body.editor-ready")).to_have_count(1)
    expect(page.locator(f'section.sequence[data-seq="{added.pk}"] .clip')).to_have_count(3)


def test_a_prompt_can_be_kept_as_an_auto_sequence(live_server, page: Page, cast):
    open_director(page, live_server, cast)
    page.get_by_role("button", name="Preview the shots").click()
    expect(page.locator(".directed-shot")).to_have_count(3)

    page.get_by_role("button", name="Keep as an auto sequence").click()

    expect(page.locator("dialog.director-dialog")).to_be_hidden()
    kept = Sequence.objects.filter(project=cast.project).order_by("-position").first()
    assert kept.mode == "auto"
    assert kept.prompt == FIRST_EXAMPLE
    assert 3 <= kept.auto_duration <= 15
    assert re.search(r"Shot 2:", kept.prompt)
