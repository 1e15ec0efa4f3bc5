"""An invitation link's landing page: an unknown or spent link says why in plain words; an
anonymous visitor is offered to log in or sign up and come back (never to another site);
a logged-in visitor joins and lands in the editor; looking at tokens over and over is
slowed down.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing import actions
from sharing.models import Invitation
from storyboard_app.choices import Role
from tests.conftest import PASSWORD, Cast, make_user
from tests.sharing_page_helpers import (
    NEW_PASSWORD,
    everything,
    invite_url,
    make_link,
    role_of,
    text,
)

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
