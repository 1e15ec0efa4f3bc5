"""The sharing pages through Django's test client: a project's sharing page and an invitation
link's landing page, with the links that lead to them.

The owner manages members and links there; other members see who is in and can leave, and get
403 for the owner's operations; outsiders get 404. Each operation works, a bad form comes back
with its error (400) and changes nothing, a new link is shown once only, and an invitation leads
a visitor (logged in, or signing up on the way) into the project.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing import actions
from sharing.models import Invitation, InvitationUse
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project
from tests.conftest import PASSWORD, Cast, make_user, storyboard_rows

NEW_PASSWORD = "harbour-lamp-storm-42"
OWNER_OPS = ["add", "role", "remove", "link", "revoke", "transfer"]
TOKEN_IN_PAGE = re.compile(r"/invite/([A-Za-z0-9_-]{20,100})/")


def sharing_url(project: Project) -> str:
    return reverse("sharing", args=[project.pk])


def invite_url(token: str) -> str:
    return reverse("invitation", args=[token])


def text(response) -> str:
    return response.content.decode()


def ops_offered(response) -> set[str]:
    return set(re.findall(r'name="op" value="([a-z]+)"', text(response)))


def role_of(project: Project, user: User) -> str | None:
    membership = Membership.objects.filter(project=project, user=user).first()
    return membership.role if membership else None


def everything() -> dict:
    """The storyboard tables plus the sharing ones: equal snapshots mean nothing changed."""
    rows = storyboard_rows()
    rows["Invitation"] = list(Invitation.objects.order_by("pk").values())
    rows["InvitationUse"] = list(InvitationUse.objects.order_by("pk").values())
    return rows


def make_link(cast: Cast, role: str = "editor", **options) -> tuple[Invitation, str]:
    return actions.create_invitation(cast.project, cast.owner, role, **options)


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


# Bad forms and refusals


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"op": "add", "user": "", "role": "editor"}, "This field is required."),
        ({"op": "add", "user": "editor", "role": "owner"}, "Select a valid choice."),
        ({"op": "link", "role": ""}, "This field is required."),
        ({"op": "link", "role": "owner"}, "Select a valid choice."),
        ({"op": "link", "role": "editor", "max_uses": "0"}, "greater than or equal to 1"),
        ({"op": "link", "role": "editor", "max_uses": "1001"}, "less than or equal to 1000"),
        ({"op": "link", "role": "editor", "expires": "999"}, "Select a valid choice."),
        ({"op": "link", "role": "editor", "email": "not-an-address"}, "valid email address"),
    ],
    ids=[
        "add without a user",
        "add as owner",
        "link without a role",
        "link as owner",
        "link with no uses",
        "link with too many uses",
        "link with an odd expiry",
        "link to a bad address",
    ],
)
def test_a_bad_form_comes_back_with_its_error_and_changes_nothing(cast: Cast, fields, error):
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), fields)

    assert response.status_code == 400
    page = text(response)
    assert '<ul class="errorlist' in page
    assert error in page
    assert everything() == before
    assert not TOKEN_IN_PAGE.search(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("nobody", "No user has that username"), ("viewer", "viewer is already a member")],
)
def test_a_refused_addition_keeps_what_was_typed_and_says_why_at_the_field(
    cast: Cast, typed, message
):
    client = cast.page_client("owner")  # logging in writes last_login: before the snapshot
    before = everything()

    fields = {"op": "add", "user": typed, "role": "editor"}
    response = client.post(sharing_url(cast.project), fields)

    assert response.status_code == 400
    page = text(response)
    assert f'name="user" value="{typed}"' in page
    assert '<ul class="errorlist' in page
    assert message in page
    assert everything() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"op": "role", "member": "owner-id", "role": "viewer"}, "transferring the ownership"),
        ({"op": "role", "member": "editor-id", "role": "owner"}, "Choose a role."),
        ({"op": "remove", "member": "owner-id"}, "The owner cannot be removed"),
        ({"op": "remove", "member": "outsider-id"}, "not a member of this project"),
        ({"op": "transfer", "user": "owner-id"}, "already owns this project"),
        ({"op": "transfer", "user": ""}, "Choose the member to make owner."),
        ({"op": "transfer", "user": "outsider-id"}, "not a member of this project"),
        ({"op": "transfer", "user": "99999999999999999999"}, "not a member of this project"),
    ],
    ids=[
        "change the owner's role",
        "make someone owner",
        "remove the owner",
        "remove an outsider",
        "transfer to the owner",
        "transfer to no one",
        "transfer to an outsider",
        "transfer to no such id",
    ],
)
def test_a_refused_operation_says_why_and_changes_nothing(cast: Cast, fields, message):
    ids = {f"{who}-id": str(getattr(cast, who).pk) for who in ("owner", "editor", "outsider")}
    fields = {key: ids.get(value, value) for key, value in fields.items()}
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), fields, follow=True)

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert '<li class="error">' in text(response)
    assert message in text(response)
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


# The invitation page


def test_an_unknown_token_is_not_valid(cast: Cast):
    response = Client().get(invite_url("x" * 43))

    assert response.status_code == 404
    assert "This invitation link is not valid." in text(response)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("revoke", "This invitation link was revoked by the project's owner."),
        ("expire", "This invitation link expired on"),
        ("use up", "This invitation link has been used as many times as it allows."),
    ],
)
@pytest.mark.parametrize("who", [None, "outsider"])
def test_a_spent_link_says_why_in_plain_words(cast: Cast, spoil, message, who):
    invitation, token = make_link(cast, max_uses=1)
    if spoil == "revoke":
        actions.revoke_invitation(invitation)
    elif spoil == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        actions.accept_invitation(token, make_user("first"))
    client = cast.page_client(who)
    before = everything()

    response = client.get(invite_url(token))
    joining = client.post(invite_url(token))

    for answer in (response, joining):
        assert answer.status_code == 410
        assert f'<p class="invitation-problem" role="alert">{message}' in text(answer).replace(
            "&#x27;", "'"
        )
        assert "Join as" not in text(answer)
        assert "Log in to join" not in text(answer)
    assert everything() == before


def test_an_anonymous_visitor_is_offered_to_log_in_or_sign_up_and_come_back(cast: Cast):
    _, token = make_link(cast, role="commenter")
    back = f"?next=/invite/{token}/"

    response = Client().get(invite_url(token))

    assert response.status_code == 200
    page = text(response)
    assert "owner invites you to the project <strong>“Lighthouse”</strong>" in page
    assert "as <strong>commenter</strong>" in page
    assert f'<a class="button primary" href="/accounts/login/{back}">Log in to join</a>' in page
    assert f'<a href="/accounts/signup/{back}">create an account</a>' in page


def test_logging_in_through_the_link_comes_back_to_it(cast: Cast):
    _, token = make_link(cast)
    client = Client()

    login = client.get(f"/accounts/login/?next=/invite/{token}/")
    response = client.post(
        "/accounts/login/",
        {"username": "outsider", "password": PASSWORD, "next": f"/invite/{token}/"},
    )

    assert f'href="/accounts/signup/?next=/invite/{token}/"' in text(login)
    assert response.status_code == 302
    assert response["Location"] == invite_url(token)
    assert "Join as outsider" in text(client.get(response["Location"]))


def test_a_logged_in_visitor_joins_and_lands_in_the_editor(cast: Cast):
    invitation, token = make_link(cast, role="editor", max_uses=2)
    client = cast.page_client("outsider")

    page = client.get(invite_url(token))
    response = client.post(invite_url(token), follow=True)

    assert "Join as outsider" in text(page)
    assert response.redirect_chain == [(reverse("editor", args=[cast.project.pk]), 302)]
    assert role_of(cast.project, cast.outsider) == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert "Welcome to “Lighthouse” (editor)." in text(response)
    assert '<span class="chip role">editor</span>' in text(response)


def test_signing_up_through_the_link_comes_back_to_it_and_joins(cast: Cast):
    invitation, token = make_link(cast, role="viewer", max_uses=1)
    client = Client()

    form = client.get(f"/accounts/signup/?next=/invite/{token}/")
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": f"/invite/{token}/",
        },
    )

    assert f'<input type="hidden" name="next" value="/invite/{token}/">' in text(form)
    assert response.status_code == 302
    assert response["Location"] == invite_url(token)
    assert "Join as newcomer" in text(client.get(invite_url(token)))
    joined = client.post(invite_url(token))
    assert joined.status_code == 302
    assert joined["Location"] == reverse("editor", args=[cast.project.pk])
    assert role_of(cast.project, User.objects.get(username="newcomer")) == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert "used as many times" in text(Client().get(invite_url(token)))


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/invite/x/", "//evil.example/", "http://testserver.evil.example/"],
)
def test_signing_up_ignores_a_next_to_another_site(db, elsewhere):
    client = Client()

    form = client.get(reverse("signup"), {"next": elsewhere})
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": elsewhere,
        },
    )

    assert '<input type="hidden" name="next" value="">' in text(form)
    assert "evil.example" not in text(form)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_looking_at_tokens_over_and_over_is_slowed_down(cast: Cast):
    _, token = make_link(cast)
    client = Client()
    for _ in range(20):
        assert client.get(invite_url("y" * 43)).status_code == 404

    response = client.get(invite_url("y" * 43))

    assert response.status_code == 429
    assert "Too many attempts: try again in" in text(response)
    assert client.get(invite_url(token)).status_code == 200  # a real link still opens


@pytest.mark.parametrize("link", ["abc", "", "99999999999999999999", "-1"])
def test_revoking_a_link_that_is_no_id_is_a_404(cast: Cast, link):
    make_link(cast)
    client = cast.page_client("owner")
    before = everything()

    response = client.post(sharing_url(cast.project), {"op": "revoke", "link": link})

    assert response.status_code == 404
    assert everything() == before


@pytest.mark.parametrize("op", ["role", "remove"])
@pytest.mark.parametrize("member", ["abc", "", "99999999999999999999", "1.5"])
def test_a_member_that_is_no_id_is_refused(cast: Cast, op, member):
    client = cast.page_client("owner")
    before = everything()

    response = client.post(
        sharing_url(cast.project), {"op": op, "member": member, "role": "viewer"}, follow=True
    )

    assert response.redirect_chain == [(sharing_url(cast.project), 302)]
    assert "That user is not a member of this project." in text(response)
    assert everything() == before
