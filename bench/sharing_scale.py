"""A user in 200 projects of 20 members each: the dashboard, the project list and a timeline.

The data is made with bulk_create (a few seconds): PROJECTS projects, the bench's sharing user
(`bench-sharing`, a user of its own so that the other benchmarks' projects do not join the
list) a member of every one: the owner of one in OWNED_EVERY, editor, commenter or viewer of
the others in turn; each project has MEMBERS members in all, the others taken from a pool of
POOL users in a different window per project (so the same people meet in many projects with
other roles) with mixed roles; each project has one sequence of SHOTS shots with a line of
dialogue each. Older data of this bench is deleted first.

Through uvicorn (1 worker), one httpx client (keep-alive) with the user's session cookie, as a
browser would: per URL WARMUP requests, then REQUESTS timed ones, one after another:
- GET /projects/ (the dashboard page, HTML: "My projects" and "Shared with me");
- GET /api/projects/ (the project list);
- GET /api/projects/{id}/timeline/ (a project shared with the user as editor).
Also printed: the SQL queries of one request of each (measured in-process with the Django test
client and the same session) and the response sizes. `--profile` adds those queries, a
cProfile of 100 in-process dashboard requests and the server's full garbage collections while
it answers the dashboard (bench.gc_probe).

Goal: p99 under 80 ms for each URL, and the same few queries whatever the number of projects
and members (pinned by tests/test_dashboard_query_count.py).
"""

import cProfile
import io
import os
import pstats
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH_PASSWORD,
    VAR_DIR,
    Figure,
    arguments,
    median,
    percentile,
    report,
    setup_django,
    uvicorn_server,
)

TITLE = "Bench: sharing scale"
USERNAME = "bench-sharing"
POOL_PREFIX = "bench-sharing-member-"
PROJECTS = 200
MEMBERS = 20  # per project, the bench user and the owner included
POOL = 400  # the other users the members are taken from
OWNED_EVERY = 5  # the bench user owns one project in 5 (40), the 160 others are shared
SHARED_ROLES = ["editor", "commenter", "viewer"]
OTHER_ROLES = ["editor", "commenter", "viewer", "viewer"]
SHOTS = 4
WARMUP = 30
REQUESTS = 300
GOAL_P99_MS = 80.0
PROFILE_REQUESTS = 100


@dataclass
class Data:
    user_id: int
    timeline_project_id: int
    projects: int
    memberships: int
    users: int
    shots: int


def delete_old_data() -> None:
    """The previous run's projects (cascading to their rows) and users."""
    from django.contrib.auth.models import User

    from storyboard_app.models import Project

    Project.objects.filter(memberships__user__username=USERNAME).delete()
    Project.objects.filter(owner__username__startswith=POOL_PREFIX).delete()
    User.objects.filter(username__startswith=POOL_PREFIX).delete()


def make_data() -> Data:
    """The bench user in PROJECTS projects of MEMBERS members each, all with bulk_create."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction

    from storyboard_app.choices import Role
    from storyboard_app.models import DialogueLine, Membership, Project, Sequence, Shot

    delete_old_data()
    user, _ = User.objects.get_or_create(username=USERNAME)
    if not user.check_password(BENCH_PASSWORD):
        user.set_password(BENCH_PASSWORD)
        user.save()
    unusable = make_password(None)
    with transaction.atomic():
        pool = User.objects.bulk_create(
            User(
                username=f"{POOL_PREFIX}{i}",
                email=f"{POOL_PREFIX}{i}@example.com",
                password=unusable,
            )
            for i in range(POOL)
        )
        roles = [
            Role.OWNER if i % OWNED_EVERY == 0 else SHARED_ROLES[i % len(SHARED_ROLES)]
            for i in range(PROJECTS)
        ]
        projects = Project.objects.bulk_create(
            Project(
                title=f"{TITLE} {i + 1:03d}",
                aspect_ratio=["16:9", "9:16", "1:1"][i % 3],
                owner=user if role == Role.OWNER else pool[(i * 7) % POOL],
            )
            for i, role in enumerate(roles)
        )
        memberships = []
        for i, (project, role) in enumerate(zip(projects, roles, strict=True)):
            crowd = [Membership(project=project, user=user, role=role)]
            if role != Role.OWNER:
                crowd.append(Membership(project=project, user=project.owner, role=Role.OWNER))
            window = (pool[(i * 13 + k) % POOL] for k in range(MEMBERS))
            others = [member for member in window if member.pk != project.owner_id]
            crowd += [
                Membership(project=project, user=member, role=OTHER_ROLES[k % len(OTHER_ROLES)])
                for k, member in enumerate(others[: MEMBERS - len(crowd)])
            ]
            assert len(crowd) == MEMBERS
            memberships += crowd
        Membership.objects.bulk_create(memberships)
        sequences = Sequence.objects.bulk_create(
            Sequence(project=project, position=0, title="Opening") for project in projects
        )
        shots = Shot.objects.bulk_create(
            Shot(
                sequence=sequence,
                position=n,
                duration=2 + n % 3,
                shot_size="wide" if n % 2 else "close_up",
                camera_movement="push_in",
                text=f"Shot {n + 1}: rain on the lighthouse window.",
                sound_notes="Rain on glass.",
            )
            for sequence in sequences
            for n in range(SHOTS)
        )
        DialogueLine.objects.bulk_create(
            DialogueLine(
                shot=shot,
                order=0,
                speaker="Mara",
                text="The ferry won't run today.",
                language="en",
            )
            for shot in shots
        )
    analyze(Project, Membership, Sequence, Shot, DialogueLine, User)
    timeline_project = next(
        p for p, role in zip(projects, roles, strict=True) if role == Role.EDITOR
    )
    return Data(
        user_id=user.pk,
        timeline_project_id=timeline_project.pk,
        projects=Project.objects.filter(memberships__user=user).count(),
        memberships=Membership.objects.filter(project__in=projects).count(),
        users=len({m.user_id for m in memberships}),
        shots=len(shots),
    )


def analyze(*models) -> None:
    """Fresh planner statistics after the bulk inserts, as autovacuum would gather in time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def session_cookie(user_id: int) -> str:
    """A session of the bench user (stored in the database, so the server knows it too)."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client.cookies["sessionid"].value


def urls(data: Data) -> dict[str, str]:
    return {
        "dashboard": "/projects/",
        "project list": "/api/projects/",
        "timeline": f"/api/projects/{data.timeline_project_id}/timeline/",
    }


def in_process_queries(cookie: str, path: str) -> list[str]:
    """The SQL queries of one request through Django's test client (no server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = cookie
    client.get(path)  # warm caches (content types, URL resolver, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def profile_in_process(cookie: str, path: str) -> str:
    """cProfile of PROFILE_REQUESTS in-process GETs of `path`: where the time goes, top 25."""
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = cookie
    client.get(path)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(PROFILE_REQUESTS):
        client.get(path)
    profiler.disable()
    per_request = (time.perf_counter() - start) / PROFILE_REQUESTS * 1000
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    heading = f"in-process {path} (WSGI test client, profiled): {per_request:.1f} ms/request"
    return f"{heading}\n{out.getvalue()}"


def measure(base_url: str, cookie: str, path: str) -> tuple[list[float], int]:
    """Milliseconds of each timed request, and the size of the response body."""
    import httpx

    timings = []
    size = 0
    with httpx.Client(
        base_url=base_url, cookies={"sessionid": cookie}, trust_env=False, timeout=30
    ) as client:
        for _ in range(WARMUP):
            client.get(path).raise_for_status()
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
            size = len(response.content)
    return timings, size


def gc_pauses(cookie: str, path: str) -> str:
    """The full garbage collections of the server while it answers `path` (bench.gc_probe)."""
    log = VAR_DIR / "gc-pauses-sharing.txt"
    log.unlink(missing_ok=True)
    os.environ.update(BENCH_GC_LOG=str(log), BENCH_GC_FREEZE="1")
    with uvicorn_server("bench.gc_probe:application") as base_url:
        timings, _ = measure(base_url, cookie, path)
    pauses = [float(x) for x in log.read_text().split()] if log.exists() else []
    worst = f", pause median {median(pauses):.1f} ms, max {max(pauses):.1f} ms" if pauses else ""
    return (
        f"  {path} through bench.gc_probe: median {median(timings):.1f} ms,"
        f" p99 {percentile(timings, 99):.1f} ms; {len(pauses)} full collections{worst}"
    )


def check_answers(base_url: str, cookie: str, data: Data) -> None:
    """The server shows every project, with the user's role (not a login page or a subset)."""
    import httpx

    with httpx.Client(
        base_url=base_url, cookies={"sessionid": cookie}, trust_env=False, timeout=30
    ) as client:
        listed = client.get("/api/projects/").json()
        page = client.get("/projects/", follow_redirects=False)
    assert len(listed) == data.projects, (len(listed), data.projects)
    assert page.status_code == 200, page.status_code
    assert page.text.count("<tr data-project=") == data.projects


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    setup_django()
    began = time.perf_counter()
    data = make_data()
    built_s = time.perf_counter() - began
    cookie = session_cookie(data.user_id)
    paths = urls(data)
    queries = {name: in_process_queries(cookie, path) for name, path in paths.items()}
    results = {}
    with uvicorn_server() as base_url:
        check_answers(base_url, cookie, data)
        for name, path in paths.items():
            results[name] = measure(base_url, cookie, path)

    figures = [
        Figure("projects of the user (owned + shared)", data.projects),
        Figure("members per project (memberships in all)", f"{MEMBERS} ({data.memberships})"),
        Figure("users in the projects", data.users),
        Figure("shots (one sequence per project)", data.shots),
        Figure("data built with bulk_create in", built_s, "s"),
    ]
    for name, (timings, size) in results.items():
        p99 = percentile(timings, 99)
        figures += [
            Figure(f"{name} GET median", median(timings), "ms"),
            Figure(f"{name} GET p99", p99, "ms", f"< {GOAL_P99_MS:.0f} ms", p99 < GOAL_P99_MS),
            Figure(f"{name} response size", round(size / 1024, 1), "KB"),
            Figure(f"{name} SQL queries (2 of the session)", len(queries[name])),
        ]
    report(
        f"Sharing scale ({REQUESTS} requests per URL; {PROJECTS} projects × {MEMBERS} members,"
        " session cookie)",
        figures,
        args.json,
    )
    if args.profile:
        for name, sqls in queries.items():
            print(f"  queries of one {name} request:", *(f"    {s[:160]}" for s in sqls), sep="\n")
        print(profile_in_process(cookie, paths["dashboard"]))
        print("Full garbage collections in the server:")
        print(gc_pauses(cookie, paths["dashboard"]))


if __name__ == "__main__":
    main()
