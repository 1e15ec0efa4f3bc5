"""Each operation of the sharing page works: the owner adds a member by e-mail, changes a
role, removes a member, revokes a link (of this project only), transfers the ownership
and stays as an editor; a member leaves; the owner cannot leave. A new link is shown
once and never again, and can go out by e-mail.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing import actions
from sharing.models import Invitation
from storyboard_app.choices import Role
from storyboard_app.models import Project
from tests.conftest import Cast, make_user
from tests.sharing_page_helpers import (
    TOKEN_IN_PAGE,
    everything,
    invite_url,
    make_link,
    ops_offered,
    role_of,
    sharing_url,
    text,
)

# Each operation


def test_the_owner_adds_a_member_by_e_mail(cast: Cast):
    mara = make_user("mara")
    client = cast.page_client("owner")

    response = client.post(
        sharing_url(cast.project),
        {"op": "add", "user": "MARA@example.com", "role": "commenter"},
        follow=True,
    )

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert role_of(cast.project, mara) == Role.COMMENTER
    assert '<li class="success">mara is now commenter.</li>' in text(response)
    assert f'<tr data-member="{mara.pk}">' in text(response)


def test_the_owner_changes_a_role(cast: Cast):
    response = cast.page_client("owner").post(
        sharing_url(cast.project),
        {"op": "role", "member": cast.editor.pk, "role": "viewer"},
        follow=True,
    )

    assert role_of(cast.project, cast.editor) == Role.VIEWER
    assert "Role changed." in text(response)


def test_the_owner_removes_a_member(cast: Cast):
    response = cast.page_client("owner").post(
        sharing_url(cast.project), {"op": "remove", "member": cast.viewer.pk}, follow=True
    )

    assert role_of(cast.project, cast.viewer) is None
    assert "Member removed" in text(response)
    assert f'<tr data-member="{cast.viewer.pk}">' not in text(response)
    assert cast.page_client("viewer").get(sharing_url(cast.project)).status_code == 404


def test_the_owner_revokes_a_link(cast: Cast):
    invitation, token = make_link(cast)

    response = cast.page_client("owner").post(
        sharing_url(cast.project), {"op": "revoke", "link": invitation.pk}, follow=True
    )

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    page = text(response)
    assert "Link revoked" in page
    assert '<td class="link-state" data-state="revoked">revoked</td>' in page
    assert 'name="op" value="revoke"' not in page
    assert Client().get(invite_url(token)).status_code == 410


def test_a_link_of_another_project_cannot_be_revoked_here(cast: Cast):
    elsewhere = Project.objects.get(owner=cast.outsider)
    invitation, _ = actions.create_invitation(elsewhere, cast.outsider, "editor")

    response = cast.page_client("owner").post(
        sharing_url(cast.project), {"op": "revoke", "link": invitation.pk}
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_owner_transfers_the_ownership_and_stays_as_an_editor(cast: Cast):
    client = cast.page_client("owner")

    response = client.post(
        sharing_url(cast.project), {"op": "transfer", "user": cast.editor.pk}, follow=True
    )

    cast.project.refresh_from_db()
    assert cast.project.owner == cast.editor
    assert role_of(cast.project, cast.editor) == Role.OWNER
    assert role_of(cast.project, cast.owner) == Role.EDITOR
    assert "You transferred the ownership" in text(response)
    assert ops_offered(response) == {"leave"}  # the page now shows the old owner as an editor
    assert "add" in ops_offered(cast.page_client("editor").get(sharing_url(cast.project)))


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_a_member_leaves_and_lands_on_the_dashboard(cast: Cast, who):
    response = cast.page_client(who).post(sharing_url(cast.project), {"op": "leave"}, follow=True)

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert role_of(cast.project, getattr(cast, who)) is None
    assert "You left “Lighthouse”." in text(response)
    assert f'data-project="{cast.project.pk}"' not in text(response)


def test_the_owner_cannot_leave(cast: Cast):
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), {"op": "leave"}, follow=True)

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert "transfer the ownership before you leave" in text(response)
    assert everything() == before


# A new link is shown once


def test_a_new_link_is_shown_once_and_never_again(cast: Cast):
    client = cast.page_client("owner")

    response = client.post(
        sharing_url(cast.project), {"op": "link", "role": "editor", "max_uses": "1"}
    )

    assert response.status_code == 201
    page = text(response)
    tokens = set(TOKEN_IN_PAGE.findall(page))
    assert len(tokens) == 1
    token = tokens.pop()
    assert f'value="http://testserver/invite/{token}/"' in page
    assert "Copy it now: it is not shown again." in page
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.max_uses, invitation.created_by) == (
        "editor",
        1,
        cast.owner,
    )
    assert invitation.token_hash == actions.hash_token(token)
    assert token not in str(list(Invitation.objects.values()))

    again = client.get(sharing_url(cast.project))

    assert again.status_code == 200
    assert token not in text(again)
    assert not TOKEN_IN_PAGE.search(text(again))
    assert "0 of 1" in text(again)
    assert '<td class="link-state" data-state="active">active</td>' in text(again)
    assert Client().get(invite_url(token)).status_code == 200


def test_a_link_can_go_out_by_e_mail(cast: Cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.page_client("owner").post(
            sharing_url(cast.project),
            {"op": "link", "role": "viewer", "expires": "7", "email": "mara@example.com"},
        )

    assert response.status_code == 201
    (token,) = set(TOKEN_IN_PAGE.findall(text(response)))
    assert "sent to mara@example.com" in text(response)
    (message,) = mail.outbox
    assert message.to == ["mara@example.com"]
    assert f"http://testserver/invite/{token}/" in message.body
    invitation = Invitation.objects.get()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
