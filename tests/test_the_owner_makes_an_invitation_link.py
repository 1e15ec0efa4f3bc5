"""The owner makes an invitation link through the API: with a role, an optional expiry and
use limit; only the token's SHA-256 is stored and the answer alone holds the token; with an
address it is e-mailed after the commit (a mail server that is down loses neither the link
nor the answer); bad input is refused at its field and makes no link.
"""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from sharing.models import Invitation
from tests.conftest import Cast, make_user
from tests.invitation_helpers import (
    accept,
    client_of,
    create,
    invitations_url,
)
from tests.sharing_helpers import accept_url, sharing_rows

# Making a link


def test_the_owner_makes_a_link_with_a_role_an_expiry_and_a_use_limit(cast: Cast):
    expires_at = timezone.now() + timedelta(days=7)

    response = create(cast, role="commenter", expires_at=expires_at.isoformat(), max_uses=5)

    assert response.status_code == 201, response.json()
    body = response.json()
    invitation = Invitation.objects.get(pk=body["id"])
    assert (invitation.project, invitation.role, invitation.max_uses, invitation.uses) == (
        cast.project,
        "commenter",
        5,
        0,
    )
    assert invitation.expires_at == expires_at
    assert invitation.created_by == cast.owner
    assert {key: body[key] for key in ("role", "max_uses", "uses", "state", "created_by")} == {
        "role": "commenter",
        "max_uses": 5,
        "uses": 0,
        "state": "active",
        "created_by": "owner",
    }
    assert body["url"] == f"http://testserver/invite/{body['token']}/"


def test_a_link_without_limits_never_expires_and_takes_any_number_of_uses(cast: Cast):
    body = create(cast, role="viewer").json()

    assert (body["expires_at"], body["max_uses"], body["revoked_at"]) == (None, None, None)
    for number in range(3):
        response = client_of(make_user(f"guest{number}")).post(accept_url(body["token"]))
        assert response.status_code == 200
    assert Invitation.objects.get(pk=body["id"]).uses == 3


def test_only_the_tokens_sha_256_is_stored_and_the_answer_alone_holds_the_token(cast: Cast):
    body = create(cast, role="editor", email="guest@example.com").json()
    token = body["token"]

    stored = Invitation.objects.filter(pk=body["id"]).values().get()

    assert len(token) >= 43
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert [name for name, value in stored.items() if token in str(value)] == []
    listed = cast.client("owner").get(invitations_url(cast))
    assert token not in listed.content.decode()
    assert "token" not in listed.json()[0]


def test_two_links_never_share_a_token(cast: Cast):
    tokens = {create(cast, role="viewer").json()["token"] for _ in range(5)}

    assert len(tokens) == 5
    assert Invitation.objects.values("token_hash").distinct().count() == 5


def test_a_link_with_an_address_is_e_mailed_after_the_commit(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = create(cast, role="editor", email="Guest@Example.com", max_uses=1)
        assert mail.outbox == [], "sent before the invitation was committed"

    assert response.status_code == 201
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Guest@Example.com"]
    assert message.subject == "owner invites you to “Lighthouse” on Storyboard Director"
    assert response.json()["url"] in message.body
    assert "as editor" in message.body
    assert response.json()["email"] == "Guest@Example.com"


def test_a_link_without_an_address_sends_no_e_mail(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = create(cast, role="viewer")

    assert response.status_code == 201
    assert (callbacks, mail.outbox) == ([], [])


def test_the_e_mail_says_until_when_the_link_works(
    cast: Cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    expires_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        create(cast, role="viewer", email="guest@example.com", expires_at=expires_at.isoformat())

    assert f"works until {expires_at:%d %B %Y %H:%M} UTC" in mail.outbox[0].body


def in_days(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        pytest.param(
            {"role": "viewer", "expires_at": in_days(-1)},
            {"expires_at": ["The expiry must be in the future."]},
            id="an expiry in the past",
        ),
        pytest.param(
            {"role": "viewer", "expires_at": in_days(400)},
            {"expires_at": ["A link lasts at most 365 days."]},
            id="an expiry beyond a year",
        ),
        pytest.param(
            {"role": "viewer", "expires_at": "next tuesday"},
            {
                "expires_at": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
            id="an expiry that is no date",
        ),
        pytest.param(
            {"role": "viewer", "max_uses": 0},
            {"max_uses": ["Ensure this value is greater than or equal to 1."]},
            id="no use allowed",
        ),
        pytest.param(
            {"role": "viewer", "max_uses": 5000},
            {"max_uses": ["Ensure this value is less than or equal to 1000."]},
            id="5000 uses",
        ),
        pytest.param(
            {"role": "owner"}, {"role": ['"owner" is not a valid choice.']}, id="an owner link"
        ),
        pytest.param({}, {"role": ["This field is required."]}, id="no role"),
        pytest.param(
            {"role": "viewer", "email": "not an address"},
            {"email": ["Enter a valid email address."]},
            id="a bad e-mail address",
        ),
        pytest.param(
            {"role": "boss", "max_uses": -1, "email": "@"},
            {
                "role": ['"boss" is not a valid choice.'],
                "max_uses": ["Ensure this value is greater than or equal to 1."],
                "email": ["Enter a valid email address."],
            },
            id="every field wrong at once",
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_makes_no_link(
    cast: Cast, settings, django_capture_on_commit_callbacks, body, errors
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = sharing_rows()

    with django_capture_on_commit_callbacks(execute=True):
        response = create(cast, **body)

    assert response.status_code == 400
    assert response.json() == errors
    assert sharing_rows() == before
    assert mail.outbox == []


class UnreachableMailServer(BaseEmailBackend):
    """An e-mail backend whose server is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_loses_neither_the_link_nor_the_answer(
    cast: Cast, settings, caplog
):
    """Outside a test's transaction, as in production: the e-mail goes out right after the
    commit, inside the request. Its failure is logged; the owner still gets the link, which is
    shown once only."""
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"

    response = create(cast, role="viewer", email="guest@example.com")

    assert response.status_code == 201
    invitation = Invitation.objects.get(pk=response.json()["id"])
    assert invitation.token_hash == hashlib.sha256(response.json()["token"].encode()).hexdigest()
    assert accept(cast, "outsider", response.json()["token"]).status_code == 200
    assert "Connection refused" in caplog.text
