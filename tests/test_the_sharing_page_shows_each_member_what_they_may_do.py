"""Who sees what on a project's sharing page: every member finds the link to it in the
editor and the dashboard; the owner sees the members and every form; other members see
who is in and can only leave (403 for the owner's operations); an outsider gets 404
whatever they do, and an anonymous visitor is sent to log in.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, make_user
from tests.sharing_page_helpers import (
    OWNER_OPS,
    everything,
    make_link,
    ops_offered,
    sharing_url,
    text,
)

# The links to the sharing page


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_every_member_finds_the_share_link_in_the_editor_and_the_dashboard(cast: Cast, who):
    client = cast.page_client(who)
    href = f'href="{sharing_url(cast.project)}"'

    editor = client.get(reverse("editor", args=[cast.project.pk]))
    dashboard = client.get(reverse("dashboard"))

    assert editor.status_code == 200
    assert href in text(editor)
    assert re.search(rf'<a class="button share-link" {href}[^>]*>Share</a>', text(editor))
    assert dashboard.status_code == 200
    assert href in text(dashboard)


# Who sees what


def test_the_owner_sees_the_members_and_every_form(cast: Cast):
    make_link(cast, max_uses=3)

    response = cast.page_client("owner").get(sharing_url(cast.project))

    assert response.status_code == 200
    page = text(response)
    for name in ("owner (you)", "editor", "viewer"):
        assert name in page
    assert ops_offered(response) == {"add", "role", "remove", "link", "revoke", "transfer"}
    assert 'aria-label="Remove editor"' in page
    assert 'aria-label="Remove owner"' not in page  # the owner cannot be removed
    assert "0 of 3" in page
    assert "Leave this project" not in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # each label finds its own field


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_other_members_see_who_is_in_and_can_only_leave(cast: Cast, who):
    make_link(cast)

    response = cast.page_client(who).get(sharing_url(cast.project))

    assert response.status_code == 200
    page = text(response)
    rows = re.findall(r'<tr data-member="(\d+)">', page)
    assert sorted(map(int, rows)) == sorted(u.pk for u in (cast.owner, cast.editor, cast.viewer))
    assert f"{who} (you)" in page
    assert ops_offered(response) == {"leave"}
    assert "Leave this project" in page
    assert "<select" not in page
    assert "Invitation links" not in page
    assert "data-link=" not in page


@pytest.mark.parametrize("op", OWNER_OPS)
@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_other_members_cannot_do_the_owners_operations(cast: Cast, who, op):
    invitation, _ = make_link(cast)
    newcomer = make_user("newcomer")
    fields = {
        "add": {"user": newcomer.username, "role": "editor"},
        "role": {"member": cast.viewer.pk, "role": "editor"},
        "remove": {"member": cast.viewer.pk},
        "link": {"role": "editor"},
        "revoke": {"link": invitation.pk},
        "transfer": {"user": cast.editor.pk},
    }[op]
    client = cast.page_client(who)
    before = everything()

    response = client.post(sharing_url(cast.project), {"op": op, **fields})

    assert response.status_code == 403
    assert everything() == before


@pytest.mark.parametrize("op", ["", "leave", *OWNER_OPS])
def test_an_outsider_gets_404_whatever_they_do(cast: Cast, op):
    client = cast.page_client("outsider")
    before = everything()

    assert client.get(sharing_url(cast.project)).status_code == 404
    response = client.post(sharing_url(cast.project), {"op": op, "member": cast.editor.pk})

    assert response.status_code == 404
    assert everything() == before


def test_an_anonymous_visitor_is_sent_to_log_in(cast: Cast):
    response = Client().get(sharing_url(cast.project))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
