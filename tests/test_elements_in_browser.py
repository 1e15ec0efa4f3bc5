"""Element libraries driven in Debian's Chromium through Playwright (sync API).

A director creates a library and an element `Mara` through the pages, uploads a reference image
with the file input of the sheet's drop zone and sees its thumbnail; in the timeline editor they
attach the library with the library panel, type `@Ma` in a shot's action, pick the completion
with Enter, find `@Mara …` saved and shown as a chip; then `@Nobody` is flagged both as a chip
and by the server's validation message at the field.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import Page, expect

from elements_app import actions as element_actions
from elements_app.models import Element, ElementLibrary, ProjectLibrary
from storyboard_app import actions
from storyboard_app.models import Shot
from tests.browser_fixtures import ARTIFACTS
from tests.conftest import PASSWORD
from tests.media_samples import speech_wav, video
from tests.test_editor_in_browser import block, log_in, open_editor, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def portrait(path: Path) -> Path:
    """A real 800×600 JPEG: a face-ish figure on a gradient."""
    image = Image.new("RGB", (800, 600))
    for x in range(800):
        for y in range(0, 600, 4):
            image.putpixel((x, y), (40 + x // 8, 60 + y // 8, 110))
    inner = Image.new("RGB", (240, 320), (210, 160, 120))
    image.paste(inner, (280, 140))
    image.save(path, "JPEG", quality=88)
    return path


def test_library_element_image_attach_and_mentions(live_server, page: Page, media_root, tmp_path):
    director = User.objects.create_user("director", "director@example.com", PASSWORD)
    project = actions.create_project(director, "Harbour at dawn", "16:9")
    sequence = project.sequences.get()
    shot = actions.add_shot(sequence, {"duration": 5, "text": ""})
    log_in(page, live_server.url, "director")

    # A library, from the "Libraries" link of the top bar.
    page.get_by_role("link", name="Libraries").click()
    page.wait_for_url(re.compile(r"/libraries/$"))
    page.fill("#library-name", "Harbour cast")
    page.get_by_role("button", name="Create library").click()
    page.wait_for_url(re.compile(r"/libraries/\d+/$"))
    library = ElementLibrary.objects.get(name="Harbour cast", owner=director)
    expect(page.locator("#library-title")).to_have_text("Harbour cast")

    # A duplicate-free element: a handle with a refused character shows its message first.
    page.fill("#element-handle", "Mara?")
    page.get_by_role("button", name="Create element").click()
    expect(page.locator('[data-errors="handle"] li')).to_contain_text("cannot contain ?")
    page.fill("#element-handle", "Mara")
    page.select_option("#element-kind", "character")
    page.fill("#element-description", "A fisherwoman in a yellow oilskin")
    page.get_by_role("button", name="Create element").click()
    page.wait_for_url(re.compile(r"/elements/\d+/$"))
    element = Element.objects.get(library=library, handle="Mara")
    expect(page.locator("body.sheet-ready")).to_have_count(1)
    expect(page.locator("#f-description")).to_have_value("A fisherwoman in a yellow oilskin")

    # A reference image through the drop zone's file input: its thumbnail and angle appear.
    page.set_input_files("#image-input", str(portrait(tmp_path / "mara-front.jpg")))
    card = page.locator("#images .image-card")
    expect(card).to_have_count(1)
    expect(card.locator(".angle")).to_have_value("front")
    expect(card.locator("img")).to_have_js_property("complete", True)
    assert card.locator("img").evaluate("img => img.naturalWidth") == 320
    assert element.images.get().width == 800

    # A file that is no image is refused with the server's message under the zone.
    (tmp_path / "notes.jpg").write_bytes(b"not a picture at all")
    page.set_input_files("#image-input", str(tmp_path / "notes.jpg"))
    expect(page.locator('[data-errors="image"] li')).to_contain_text("notes.jpg:")
    assert element.images.count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "element-sheet.png"), full_page=True)

    # In the editor: attach the library with the panel; Mara's thumbnail shows.
    open_editor(page, f"{live_server.url}/projects/{project.pk}/")
    page.locator(".lp-libraries summary").click()
    page.get_by_label("Harbour cast").check()
    panel_card = page.locator(f'.lp-element[data-element="{element.pk}"]')
    expect(panel_card).to_contain_text("@Mara")
    expect(panel_card.locator("img")).to_have_count(1)
    assert ProjectLibrary.objects.filter(project=project, library=library).exists()
    page.locator(".lp-libraries summary").click()

    # "@Ma" in the shot's action: the completion offers Mara; Enter picks it.
    block(page, shot.pk).locator(".shot").click()
    action = page.locator("#inspector textarea[name=text]")
    action.click()
    action.press_sequentially("@Ma")
    option = page.locator("#mention-popup li")
    expect(option.first).to_contain_text("@Mara")
    page.keyboard.press("Enter")
    expect(page.locator("#mention-popup")).to_be_hidden()
    action.press_sequentially("mends the nets.")
    saved = "@Mara mends the nets."
    wait_until(lambda: Shot.objects.get(pk=shot.pk).text == saved, "the mention saved")
    chips = page.locator("#inspector .mention-preview .mention-chip")
    expect(chips).to_have_text(["@Mara"])
    expect(chips.first).not_to_have_class(re.compile("unknown"))

    # "@Nobody" is no element: flagged as a chip and by the server's validation at the field.
    action.press_sequentially(" @Nobody waves.")
    expect(page.locator("#mention-popup")).to_be_hidden()
    wait_until(lambda: "@Nobody" in Shot.objects.get(pk=shot.pk).text, "the unknown mention saved")
    expect(page.locator("#inspector .mention-chip.unknown")).to_have_text("@Nobody")
    errors = page.locator('#inspector [data-field-wrap="text"] .field-errors')
    expect(errors).to_contain_text("@Nobody is not an element of this project's libraries.")
    expect(page.locator("#save-status")).to_have_text("All changes saved")

    # A dialogue line's speaker completes too, with Tab this time.
    page.get_by_role("button", name="+ Add line").click()
    speaker = page.locator(f"#line-{shot.pk}-0-speaker")
    expect(speaker).to_be_focused()
    speaker.press_sequentially("@ma")
    expect(page.locator("#mention-popup")).to_be_visible()
    expect(page.locator("#mention-popup li").first).to_contain_text("@Mara")
    page.keyboard.press("Tab")
    expect(speaker).to_have_value("@Mara")
    wait_until(
        lambda: (
            [
                (line.speaker, line.speaker_element_id)
                for line in Shot.objects.get(pk=shot.pk).dialogue.all()
            ]
            == [("@Mara", element.pk)]
        ),
        "the speaker saved",
    )

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "elements.png"))

    # The sheet now lists where Mara is used, with a link to the editor.
    page.goto(f"{live_server.url}/elements/{element.pk}/")
    expect(page.locator("#used-in a")).to_have_text("Harbour at dawn")
    expect(page.locator("#used-in")).to_contain_text("shot 1")
    assert page.script_errors == []


def test_reorder_images_and_upload_voice_and_video(live_server, page: Page, media_root, tmp_path):
    director = User.objects.create_user("director", "director@example.com", PASSWORD)
    library = element_actions.create_library(director, "Cast", "private")
    element = element_actions.create_element(library, {"handle": "老周", "kind": "character"})
    log_in(page, live_server.url, "director")
    page.goto(f"{live_server.url}/elements/{element.pk}/")
    expect(page.locator("body.sheet-ready")).to_have_count(1)
    expect(page.locator("#element-title")).to_have_text("@老周")

    # Two images in one go: front, then the next angle; the arrow moves the second first.
    files = [str(portrait(tmp_path / name)) for name in ("front.jpg", "side.jpg")]
    page.set_input_files("#image-input", files)
    cards = page.locator("#images .image-card")
    expect(cards).to_have_count(2)
    front, side = element.images.values_list("pk", flat=True)
    page.get_by_role("button", name="Move image 2 earlier").click()
    expect(cards.first).to_have_attribute("data-image", str(side))
    assert list(element.images.values_list("pk", flat=True)) == [side, front]
    cards.first.locator(".angle").fill("left side")
    cards.first.locator(".angle").press("Enter")
    wait_until(lambda: element.images.get(pk=side).angle == "left side", "the angle saved")

    # A voice clip: the <audio> player appears with the stored clip.
    clip = speech_wav(
        tmp_path / "voice.wav",
        "Good morning. The boats are late again today, "
        "and the fog has not lifted over the harbour.",
    )
    page.set_input_files("#voice-input", str(clip))
    expect(page.locator("#voice audio")).to_have_count(1)
    assert page.locator("#voice audio").get_attribute("src").startswith("/media/private/")
    assert element.voice.speech_seconds >= 1

    # A 4 s reference video: a player, and its key frames join the images.
    sound = speech_wav(tmp_path / "video-voice.wav", "Hold the rope, I am coming aboard now.")
    clip = video(tmp_path / "ref.mp4", 4, size=(1280, 720), sound=sound)
    page.set_input_files("#video-input", str(clip))
    expect(page.locator("#video video")).to_have_count(1)
    expect(page.locator("#images .from-video").first).to_be_visible()
    assert element.images.filter(source="video").exists()

    # A file that is no video is refused with the server's message under its control.
    (tmp_path / "fake.mp4").write_bytes(b"nothing to see")
    page.set_input_files("#video-input", str(tmp_path / "fake.mp4"))
    expect(page.locator('[data-errors="video"] li')).not_to_be_empty()
    page.screenshot(path=str(ARTIFACTS / "element-media.png"), full_page=True)
    assert page.script_errors == []
