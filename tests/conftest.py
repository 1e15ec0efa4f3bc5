"""The fixed cast of every permission test and a small storyboard to act on.

`cast` holds four users around one project: its owner, an editor, a viewer and an outsider
(a user with a project of their own, who must never see or change the first one).
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from storyboard_app import actions
from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project, Sequence, Shot

PASSWORD = "a-long-test-password-1"


@dataclass
class Cast:
    owner: User
    editor: User
    viewer: User
    outsider: User
    project: Project
    sequence: Sequence
    shots: list[Shot]

    def client(self, who: str | None) -> APIClient:
        client = APIClient()
        if who is not None:
            client.force_authenticate(getattr(self, who))
        return client


def make_user(username: str) -> User:
    return User.objects.create_user(username, f"{username}@example.com", PASSWORD)


@pytest.fixture
def cast(db) -> Cast:
    owner, editor, viewer, outsider = (
        make_user(name) for name in ("owner", "editor", "viewer", "outsider")
    )
    project = actions.create_project(owner, "Lighthouse", "16:9")
    Membership.objects.create(project=project, user=editor, role=Role.EDITOR)
    Membership.objects.create(project=project, user=viewer, role=Role.VIEWER)
    actions.create_project(outsider, "Someone else's film", "9:16")
    sequence = project.sequences.get()
    shots = [
        actions.add_shot(
            sequence,
            {
                "duration": 2 + i,
                "text": f"Shot {i + 1} action",
                "dialogue": [{"speaker": "Mara", "text": f"Line {i + 1}", "language": "en"}],
            },
        )
        for i in range(3)
    ]
    return Cast(owner, editor, viewer, outsider, project, sequence, shots)
