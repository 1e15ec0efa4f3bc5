"""A library's owner sees, on the library's page in Chromium, every project it is attached to
(by name where they are a member, as "a project you are not in" otherwise), lets an editor
attach it, and detaches it from a project they cannot even open."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from elements_app import actions as element_actions
from elements_app.models import LibraryShare, ProjectLibrary
from sharing import actions as sharing_actions
from storyboard_app import actions
from storyboard_app.choices import Role
from tests.conftest import PASSWORD
from tests.test_editor_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_shares_the_right_to_attach_and_detaches_from_any_project(
    live_server, page: Page
):
    alice = User.objects.create_user("alice", "alice@example.com", PASSWORD)
    bruno = User.objects.create_user("bruno", "bruno@example.com", PASSWORD)
    library = element_actions.create_library(alice, "Faces", "shared")
    mine = actions.create_project(alice, "Alice's short", "16:9")
    element_actions.attach_library(mine, library, alice)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/libraries/{library.pk}/")

    # Share with Bruno, who may edit and attach it.
    page.fill("#share-username", "bruno")
    page.select_option("#share-can-edit", "attach")
    page.get_by_role("button", name="Share").click()
    expect(page.locator('#shares li[data-user="bruno"]')).to_contain_text("attach")
    assert LibraryShare.objects.get(library=library, user=bruno).can_attach

    # Bruno attaches it to a project of his own that Alice is not in.
    theirs = actions.create_project(bruno, "Bruno's ad", "9:16")
    sharing_actions.add_member(theirs, alice.username, Role.VIEWER)
    sharing_actions.remove_member(theirs, alice.pk)
    element_actions.attach_library(theirs, library, bruno)

    page.reload()
    rows = page.locator("#attachment-list li[data-attachment]")
    expect(rows).to_have_count(2)
    expect(page.locator("#attachment-list")).to_contain_text("Alice's short")
    expect(page.locator("#attachment-list")).to_contain_text("A project you are not in")
    expect(page.locator("#attachment-list")).not_to_contain_text("Bruno's ad")

    hidden = page.locator("#attachment-list li", has_text="A project you are not in")
    hidden.get_by_role("button", name=re.compile("Detach")).click()
    expect(rows).to_have_count(1)
    assert not ProjectLibrary.objects.filter(project=theirs).exists()
    assert ProjectLibrary.objects.filter(project=mine).exists()
