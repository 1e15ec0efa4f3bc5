"""The fixed cast of every permission test and a small storyboard to act on.

`cast` holds four users around one project: its owner, an editor, a viewer and an outsider
(a user with a project of their own, who must never see or change the first one).
"""

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from PIL import Image
from rest_framework.test import APIClient

from activity.models import Activity
from elements_app.models import Element, ElementImage, ElementLibrary, LibraryShare, ProjectLibrary
from jobs.models import CreditAccount, GenerationJob, LedgerEntry, Take
from sharing.models import Invitation, InvitationUse
from storyboard_app import actions
from storyboard_app.choices import Role
from storyboard_app.models import DialogueLine, Membership, Project, Sequence, Shot

pytest_plugins = [
    "tests.animatic_helpers",
    "tests.asgi_live_server",
    "tests.concurrency_suite",
    "tests.security_suite",
    "tests.browser_fixtures",
    "tests.socket_helpers",
    "tests.worker_fixtures",
    "tests.xdist_fixtures",
]

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

    def page_client(self, who: str | None) -> Client:
        """A browser-like client for the HTML pages, logged in through the session."""
        client = Client()
        if who is not None:
            client.force_login(getattr(self, who))
        return client


def make_user(username: str) -> User:
    return User.objects.create_user(username, f"{username}@example.com", PASSWORD)


_cache_namespace = "test"


def namespaced_cache_key(key: str, key_prefix: str, version: int) -> str:
    """The cache's keys, in the namespace of the test that runs (`own_cache_namespace`)."""
    return f"{_cache_namespace}:{version}:{key}"


@pytest.fixture(scope="session", autouse=True)
def namespaced_cache() -> Iterator[None]:
    """One cache for the whole run, whose keys carry the running test's namespace. (A cache
    remade for each test by overriding CACHES left its Redis connections open to the end of
    the run, over a thousand of them: Django keeps each override's cache objects in the main
    thread's context for good.)"""
    caches = django_settings.CACHES
    default = {**caches["default"], "KEY_FUNCTION": namespaced_cache_key}
    with override_settings(CACHES={**caches, "default": default}):
        yield


@pytest.fixture(autouse=True)
def own_cache_namespace() -> None:
    """Each test counts its rate-limited attempts in a namespace of its own in the real Redis
    cache: no test inherits another's failed logins (clearing the cache would flush the Redis
    database the Celery broker shares)."""
    global _cache_namespace
    _cache_namespace = f"test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made in every test; the production hasher would cost ~0.25 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


STORYBOARD_MODELS = (
    Project,
    Membership,
    Sequence,
    Shot,
    DialogueLine,
    User,
    ElementLibrary,
    LibraryShare,
    ProjectLibrary,
    Element,
    ElementImage,
    GenerationJob,
    Take,
    CreditAccount,
    LedgerEntry,
    Invitation,
    InvitationUse,
    Activity,
)


def storyboard_rows() -> dict[str, list[dict]]:
    """Every row of the storyboard tables (and users), to compare before and after a request."""
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in STORYBOARD_MODELS
    }


@pytest.fixture
def db_rows() -> Callable[[], dict[str, list[dict]]]:
    """`db_rows()` returns the whole storyboard state; equal snapshots mean nothing changed."""
    return storyboard_rows


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files go to a directory of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (800, 450), mode: str = "RGB", **save_options
) -> bytes:
    """A real picture made with Pillow: a gradient, so that re-encoding has something to keep."""
    picture = Image.linear_gradient("L").resize(size).convert(mode)
    out = io.BytesIO()
    picture.save(out, fmt, **save_options)
    return out.getvalue()


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    """`make_image("PNG", (800, 450), exif=...)` gives the bytes of a real image file."""
    return image_bytes


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (SQLite serializes whole-database writes)",
)
