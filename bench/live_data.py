"""The data of the live-events bench (bench/live_latency.py), made before it measures.

- `make_viewers`, `make_members`: fresh users (older ones of the bench deleted), members of the
  bench's projects, bulk-created; their session cookies (`session_cookies`) are what the
  WebSocket clients send.
- `make_jobs`: running jobs of a project at progress 0, whose events the worker publishes.
- `make_held_projects`: the projects of the held connections, each with its editors.
- `socket_specs`: which member's cookie opens which socket; `check_caps` stops the bench before
  it measures if its own data would take a user over the server's caps
  (plumbing/socket_slots.py).
"""

from collections import Counter

from bench.common import BENCH_USERNAME
from plumbing.socket_slots import SOCKETS_PER_USER, SOCKETS_PER_USER_PER_PROJECT

HELD_TITLE = "Bench: live connections"
VIEWER_PREFIX = "live-bench-viewer-"
MEMBER_PREFIX = "live-bench-member-"


def session_cookies(users) -> list[str]:
    from django.test import Client

    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    return cookies


def make_members(prefix: str, project_ids: list[int], per_project: int, role: str) -> dict:
    """`per_project` fresh users (older ones of `prefix` deleted) in `role` on each project, none
    on two; {project id: their session cookies}. Without passwords, bulk-created."""
    from django.contrib.auth.models import User

    from storyboard_app.models import Membership

    User.objects.filter(username__startswith=prefix).delete()
    users = [
        User(username=f"{prefix}{project_id}-{n}")
        for project_id in project_ids
        for n in range(per_project)
    ]
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users)
    # No socket is open for them yet, so the post_save hook that bulk_create skips (it tells a
    # member's sockets to check again) has nothing to tell.
    Membership.objects.bulk_create(
        Membership(project_id=project_ids[n // per_project], user=user, role=role)
        for n, user in enumerate(users)
    )
    cookies = session_cookies(users)
    return {
        pid: cookies[n * per_project : (n + 1) * per_project] for n, pid in enumerate(project_ids)
    }


def make_viewers(project_id: int, count: int) -> list[str]:
    """`count` fresh users, viewers of the project; their session cookies."""
    from storyboard_app.choices import Role

    return make_members(VIEWER_PREFIX, [project_id], count, Role.VIEWER)[project_id]


def socket_specs(project_id: int, cookies: list[str], first: int, end: int) -> list[tuple]:
    """Sockets `first`…`end - 1` of a project, the members' cookies taken in turn (so that each
    member opens at most ceil(end / len(cookies)) of them)."""
    return [(project_id, cookies[n % len(cookies)]) for n in range(first, end)]


def check_caps(specs: list[tuple[int, str]]) -> None:
    """Stop before measuring if the bench's own data would take a user over the server's caps."""
    on_project = Counter(specs)
    in_all = Counter(cookie for _, cookie in specs)
    if (
        max(on_project.values()) > SOCKETS_PER_USER_PER_PROJECT
        or max(in_all.values()) > SOCKETS_PER_USER
    ):
        raise SystemExit(
            f"bench data: a user would open {max(on_project.values())} sockets on a project and "
            f"{max(in_all.values())} in all; the caps are {SOCKETS_PER_USER_PER_PROJECT} and "
            f"{SOCKETS_PER_USER}"
        )


def make_jobs(project_id: int, count: int) -> list[int]:
    """`count` running jobs of the project, at progress 0."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from jobs.choices import JobState, Provider
    from jobs.models import GenerationJob
    from storyboard_app.models import Project

    project = Project.objects.get(pk=project_id)
    sequence = project.sequences.order_by("position").first()
    owner = User.objects.get(username=BENCH_USERNAME)
    now = timezone.now()
    jobs = GenerationJob.objects.bulk_create(
        GenerationJob(
            project=project,
            sequence=sequence,
            created_by=owner,
            provider=Provider.ANIMATIC,
            request={"seconds": 5},
            storyboard={},
            state=JobState.RUNNING,
            external_task_id=f"live-bench-{project_id}-{n}",
            submitted_at=now,
            started_at=now,
            heartbeat_at=now,
        )
        for n in range(count)
    )
    return [job.pk for job in jobs]


def make_held_projects(count: int, members: int) -> dict[int, list[str]]:
    """`count` fresh projects of the bench user (older ones deleted), each with `members`
    editors; {project id: the editors' session cookies}."""
    from django.contrib.auth.models import User

    from storyboard_app import actions
    from storyboard_app.choices import Role
    from storyboard_app.models import Project

    user = User.objects.get(username=BENCH_USERNAME)
    for old in Project.objects.filter(owner=user, title__startswith=HELD_TITLE):
        actions.delete_project(old)
    ids = [actions.create_project(user, f"{HELD_TITLE} {n}").pk for n in range(count)]
    return make_members(MEMBER_PREFIX, ids, members, Role.EDITOR)
