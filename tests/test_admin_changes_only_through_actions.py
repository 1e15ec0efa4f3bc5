"""The admin shows projects, shots and links but writes none of them directly (that would skip
the actions' locks, versions, events and activity); revoking links is an admin action that
goes through sharing.actions."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from activity.models import Activity
from sharing import actions
from tests.conftest import Cast


def superuser() -> Client:
    admin = User.objects.create_superuser("root", "root@example.com", "x")
    client = Client()
    client.force_login(admin)
    return client


def test_the_admin_shows_a_project_and_its_members_but_cannot_change_them(cast: Cast, db_rows):
    client = superuser()
    url = reverse("admin:storyboard_app_project_change", args=[cast.project.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lighthouse" in html
    assert 'name="_save"' not in html
    before = db_rows()
    refused = client.post(url, {"title": "Hijacked", "aspect_ratio": "1:1"})
    assert refused.status_code == 403
    for name in ("project", "sequence", "shot"):
        assert client.get(reverse(f"admin:storyboard_app_{name}_add")).status_code == 403
    shot_delete = reverse("admin:storyboard_app_shot_delete", args=[cast.shots[0].pk])
    assert client.post(shot_delete, {"post": "yes"}).status_code == 403
    assert db_rows() == before


def test_an_admin_revokes_links_through_the_sharing_actions(cast: Cast) -> None:
    invitation, _ = actions.create_invitation(cast.project, cast.owner, "editor")
    review, _ = actions.create_review_link(cast.project, cast.owner, label="Client")
    client = superuser()
    for model, row in (("invitation", invitation), ("reviewlink", review)):
        answer = client.post(
            reverse(f"admin:sharing_{model}_changelist"),
            {"action": "revoke", "_selected_action": [row.pk]},
        )
        assert answer.status_code == 302
        row.refresh_from_db()
        assert row.revoked_at is not None
    revoked = Activity.objects.filter(verb="link_revoked", actor__username="root")
    assert revoked.count() == 2
