"""Secret tokens never reach the logs: the lines Django writes for the answers of 400 and more
to invitation, review and password reset links (not found, gone, forbidden, unauthorized) carry
`<redacted>` where the token was and the rest of the line as it was; the same for the ASGI
server's access log and for the request a record carries along.

The lines are read from the handler that settings.LOGGING configured (its stream swapped for a
buffer), so the test sees what the console would.
"""

import io
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from uvicorn.logging import AccessFormatter

from config.log_redaction import REDACTED, RedactTokens, redact_every_handler
from sharing import actions
from sharing.models import Invitation, ReviewLink
from tests.conftest import Cast

UNKNOWN = "an-unknown-token-of-43-characters-xxxxxxxxx"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the console handler of settings.LOGGING writes, formatted."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def invitation(cast: Cast, spoil: Callable | None = None) -> str:
    made, token = actions.create_invitation(cast.project, cast.owner, "viewer")
    if spoil is not None:
        spoil(Invitation.objects.filter(pk=made.pk))
    return token


def review_link(cast: Cast, spoil: Callable | None = None, **options) -> str:
    made, token = actions.create_review_link(cast.project, cast.owner, **options)
    if spoil is not None:
        spoil(ReviewLink.objects.filter(pk=made.pk))
    return token


def expire(rows) -> None:
    rows.update(expires_at=timezone.now() - timedelta(days=1))


def revoke(rows) -> None:
    rows.update(revoked_at=timezone.now())


def reset_path(cast: Cast, token: str | None = None) -> tuple[str, str]:
    uid = urlsafe_base64_encode(force_bytes(cast.editor.pk))
    token = token or default_token_generator.make_token(cast.editor)
    return reverse("password_reset_confirm", args=[uid, token]), token


# Each: (the token, the request that Django answers with a logged status, the line expected).
def unknown_invitation(cast):
    return UNKNOWN, Client().get(f"/invite/{UNKNOWN}/"), f"Not Found: /invite/{REDACTED}/"


def expired_invitation(cast):
    token = invitation(cast, expire)
    return token, Client().get(f"/invite/{token}/"), f"Gone: /invite/{REDACTED}/"


def revoked_invitation_accepted_by_the_api(cast):
    token = invitation(cast, revoke)
    client = APIClient()
    client.force_authenticate(cast.outsider)
    answer = client.post(f"/api/invitations/{token}/accept/")
    return token, answer, f"Gone: /api/invitations/{REDACTED}/accept/"


def unknown_invitation_accepted_by_the_api(cast):
    client = APIClient()
    client.force_authenticate(cast.outsider)
    answer = client.post(f"/api/invitations/{UNKNOWN}/accept/")
    return UNKNOWN, answer, f"Not Found: /api/invitations/{REDACTED}/accept/"


def unknown_review_link(cast):
    return UNKNOWN, Client().get(f"/review/{UNKNOWN}/"), f"Not Found: /review/{REDACTED}/"


def expired_review_link(cast):
    token = review_link(cast, expire)
    return token, Client().get(f"/review/{token}/"), f"Gone: /review/{REDACTED}/"


def review_link_behind_a_password(cast):
    token = review_link(cast, password="pw")
    return token, Client().get(f"/review/{token}/"), f"Unauthorized: /review/{REDACTED}/"


def wrong_password_of_a_review_link(cast):
    token = review_link(cast, password="pw")
    answer = Client().post(f"/review/{token}/", {"password": "nope"})
    return token, answer, f"Forbidden: /review/{REDACTED}/"


def review_media_that_is_not_there(cast):
    token = review_link(cast)
    answer = Client().get(f"/review/{token}/takes/999/video/")
    return token, answer, f"Not Found: /review/{REDACTED}/takes/999/video/"


def password_reset_without_its_form(cast):
    path, token = reset_path(cast)
    answer = Client(enforce_csrf_checks=True).post(path, {"new_password1": "x"})
    return token, answer, f"/accounts/reset/{path.split('/')[3]}/{REDACTED}/"


def password_reset_path_gone_wrong(cast):
    path, token = reset_path(cast)
    answer = Client().get(path + "more/")
    return token, answer, f"Not Found: /accounts/reset/{path.split('/')[3]}/{REDACTED}/more/"


CASES = [
    unknown_invitation,
    expired_invitation,
    revoked_invitation_accepted_by_the_api,
    unknown_invitation_accepted_by_the_api,
    unknown_review_link,
    expired_review_link,
    review_link_behind_a_password,
    wrong_password_of_a_review_link,
    review_media_that_is_not_there,
    password_reset_without_its_form,
    password_reset_path_gone_wrong,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_the_token_of_a_refused_link_is_redacted_from_the_log_line(cast: Cast, console, case):
    token, answer, expected = case(cast)

    lines = console.getvalue().splitlines()

    assert answer.status_code >= 400
    assert any(expected in line for line in lines), lines
    assert token not in console.getvalue()


def test_the_redaction_is_on_every_handler_django_and_uvicorn_set_up(cast: Cast):
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    handlers += logging.getLogger("django").handlers  # Django's defaults: console, admins' mail
    handlers += logging.getLogger("django.server").handlers  # runserver's request lines

    handlers = [h for h in handlers if not type(h).__module__.startswith("_pytest")]

    assert len(handlers) >= 4
    for handler in handlers:
        assert any(isinstance(f, RedactTokens) for f in handler.filters), handler


def test_the_asgi_servers_access_log_is_redacted(monkeypatch):
    """As uvicorn logs each request when its access log is on: its own handler and formatter,
    set up before Django's settings are applied."""
    access = logging.getLogger("uvicorn.access")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))
    monkeypatch.setattr(access, "handlers", [handler])
    monkeypatch.setattr(access, "propagate", False)
    monkeypatch.setattr(access, "level", logging.INFO)
    redact_every_handler()  # what applying settings.LOGGING ends with

    access.info(
        '%s - "%s %s HTTP/%s" %d', "203.0.113.9:5000", "GET", f"/review/{UNKNOWN}/?x=1", "1.1", 404
    )
    access.info(
        '%s - "%s %s HTTP/%s" %d', "203.0.113.9:5000", "GET", "/api/projects/7/", "1.1", 200
    )

    assert buffer.getvalue().splitlines() == [
        f'203.0.113.9:5000 - "GET /review/{REDACTED}/?x=1 HTTP/1.1" 404 Not Found',
        '203.0.113.9:5000 - "GET /api/projects/7/ HTTP/1.1" 200 OK',
    ]


def test_the_request_a_record_carries_is_redacted_but_left_alone_for_the_view(rf):
    request = rf.get(f"/invite/{UNKNOWN}/", HTTP_REFERER=f"http://testserver/review/{UNKNOWN}/")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    record.request = request

    RedactTokens().filter(record)

    assert record.request.path == f"/invite/{REDACTED}/"
    assert UNKNOWN not in record.request.build_absolute_uri()
    assert record.request.META["PATH_INFO"] == f"/invite/{REDACTED}/"
    assert record.request.META["HTTP_REFERER"] == f"http://testserver/review/{REDACTED}/"
    assert request.path == f"/invite/{UNKNOWN}/"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Not Found: /api/invitations/12/", "Not Found: /api/invitations/12/"),
        ("GET /accounts/reset/MQ/set-password/", "GET /accounts/reset/MQ/set-password/"),
        ("GET /accounts/reset/done/", "GET /accounts/reset/done/"),
        (
            'Traceback… "/invite/abcdefghijklmnopqrstuvwxyz/" failed',
            f'Traceback… "/invite/{REDACTED}/" failed',
        ),
    ],
)
def test_ids_and_the_steps_after_a_token_are_kept(line, kept):
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, line, (), None)

    RedactTokens().filter(record)

    assert record.getMessage() == kept
