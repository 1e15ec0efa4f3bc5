"""Who calls the API: a wrong token is refused like no credentials (a JSON 401), a real token
authenticates the call as its user, and a write through the session without a CSRF token is
refused and changes nothing.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import Cast
from tests.permission_helpers import matrix_rows
from tests.role_helpers import FullCast, with_more_roles


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    """conftest's cast with a commenter of the project, a moderator and a staff user."""
    return with_more_roles(cast)


@pytest.fixture
def db_rows():
    """Here the snapshot holds the sharing tables too (invitation links and their uses), the
    discussion (comments and notifications) and moderation (cases, reports, appeals, notices)."""
    return matrix_rows


def test_a_wrong_token_is_refused_like_no_credentials(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_real_token_authenticates_the_url(cast):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.viewer).key}")

    response = client.get(reverse("api-project", args=[cast.project.pk]))

    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


def test_a_session_write_without_a_csrf_token_is_refused(cast, db_rows):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    before = db_rows()

    response = client.patch(
        reverse("api-project", args=[cast.project.pk]),
        {"title": "Forged"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert db_rows() == before
