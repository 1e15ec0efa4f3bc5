"""The dashboard, the project list and the timeline cost the same few queries however many
projects a user is in and however many members each project has.

A user in 200 projects of 20 members each must see them all in one read: each page below is
measured for 1 and 50 projects of 2 and of 20 members, the user owning some of them and having
the others shared as editor, commenter or viewer.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from storyboard_app.choices import Role
from storyboard_app.models import Membership, Project, Sequence
from tests.test_timeline_query_count import TIMELINE_QUERIES, build_project

# Every request of a browser-like client: its session, then the session's user.
SESSION_QUERIES = 2
# The dashboard page (HTML): the projects the user is a member of, each with the user's role
# (a subquery) and its owner (a join), in one query; then the unread notification count of the
# top bar (base.html, discussion.context); the rows ask for nothing more.
DASHBOARD_QUERIES = SESSION_QUERIES + 2
# GET /api/projects/ through the session: the same single query as the dashboard's.
PROJECT_LIST_QUERIES = SESSION_QUERIES + 1

# The user's role in the i-th project: one in four their own, the others shared in turn.
ROLES_IN_TURN = [Role.OWNER, Role.EDITOR, Role.COMMENTER, Role.VIEWER]
# The role of each other member, in turn (the owner of a shared project aside).
OTHER_ROLES = [Role.EDITOR, Role.COMMENTER, Role.VIEWER]

SIZES = pytest.mark.parametrize(
    ("projects", "members"),
    [(1, 2), (1, 20), (50, 2), (50, 20)],
    ids=["1 project of 2", "1 project of 20", "50 projects of 2", "50 projects of 20"],
)


@dataclass
class World:
    user: User
    projects: list[Project]
    roles: dict[int, str]  # project id -> the user's role

    def client(self) -> Client:
        """A browser-like client logged in through the session."""
        client = Client()
        client.force_login(self.user)
        return client


def build_world(projects: int, members: int) -> World:
    """`projects` projects of `members` members each (the user among them), with bulk_create.

    The other members come from a pool twice the size of a project's crowd, each project taking
    a different window of it, so that the same people meet in many projects with other roles.
    """
    user = User.objects.create_user("me", "me@example.com")
    pool = User.objects.bulk_create(
        User(username=f"member{i}", email=f"member{i}@example.com")
        for i in range(max(2, 2 * (members - 1)))
    )
    roles = [ROLES_IN_TURN[i % len(ROLES_IN_TURN)] for i in range(projects)]
    made = Project.objects.bulk_create(
        Project(
            title=f"Film {i}",
            aspect_ratio="16:9",
            owner=user if role == Role.OWNER else pool[i % len(pool)],
        )
        for i, role in enumerate(roles)
    )
    memberships = []
    for i, (project, role) in enumerate(zip(made, roles, strict=True)):
        memberships.append(Membership(project=project, user=user, role=role))
        if role != Role.OWNER:
            memberships.append(Membership(project=project, user=project.owner, role=Role.OWNER))
        others = [m for m in pool if m.pk != project.owner_id]
        crowd = members - 1 - (role != Role.OWNER)
        memberships += [
            Membership(
                project=project,
                user=others[(i + k) % len(others)],
                role=OTHER_ROLES[(i + k) % len(OTHER_ROLES)],
            )
            for k in range(crowd)
        ]
    Membership.objects.bulk_create(memberships)
    Sequence.objects.bulk_create(Sequence(project=project, position=0) for project in made)
    return World(user, made, {p.pk: role for p, role in zip(made, roles, strict=True)})


def rows_of(html: str) -> int:
    return html.count("<tr data-project=")


@SIZES
def test_the_dashboard_costs_the_same_queries_for_any_number_of_projects_and_members(
    db, django_assert_num_queries, projects, members
):
    world = build_world(projects, members)
    assert Membership.objects.filter(project__in=world.projects).count() == projects * members
    client = world.client()

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert rows_of(html) == projects
    owned, shared = response.context["owned"], response.context["shared"]
    assert len(owned) + len(shared) == projects
    assert {p.pk: p.role for p in owned + shared} == world.roles


@SIZES
def test_the_project_list_costs_the_same_queries_for_any_number_of_projects_and_members(
    db, django_assert_num_queries, projects, members
):
    world = build_world(projects, members)
    client = world.client()

    with django_assert_num_queries(PROJECT_LIST_QUERIES):
        response = client.get(reverse("api-projects"))

    assert response.status_code == 200
    listed = response.json()
    assert {p["id"]: p["role"] for p in listed} == world.roles
    owners = {p.pk: p.owner.username for p in world.projects}
    assert {p["id"]: p["owner"] for p in listed} == owners


def test_the_dashboard_shows_each_project_once_under_its_heading_with_the_users_role(db):
    world = build_world(projects=4, members=20)

    html = world.client().get(reverse("dashboard")).content.decode()

    mine, _, shared = html.partition("Shared with me")
    assert rows_of(mine) == 1
    assert rows_of(shared) == 3
    for role in (Role.EDITOR, Role.COMMENTER, Role.VIEWER):
        assert f'<span class="chip role">{role}</span>' in shared


def add_members(project: Project, user: User, role: str, others: int) -> None:
    """`user` joins `project` as `role` (unless they own it), then `others` more people."""
    crowd = User.objects.bulk_create(
        User(username=f"crowd{project.pk}-{i}", email=f"crowd{project.pk}-{i}@example.com")
        for i in range(others)
    )
    joining = [] if role == Role.OWNER else [Membership(project=project, user=user, role=role)]
    joining += [
        Membership(project=project, user=member, role=OTHER_ROLES[i % len(OTHER_ROLES)])
        for i, member in enumerate(crowd)
    ]
    Membership.objects.bulk_create(joining)


@pytest.mark.parametrize("members", [2, 20], ids=["2 members", "20 members"])
@pytest.mark.parametrize("role", [Role.OWNER, Role.VIEWER], ids=["owner", "viewer"])
def test_the_timeline_costs_the_same_queries_however_many_members_the_project_has(
    db, django_assert_num_queries, members, role
):
    """The same storyboard as tests/test_timeline_query_count.py, with a library of elements
    (so that every one of its TIMELINE_QUERIES runs), read by its owner or by a viewer."""
    user = User.objects.create_user("me", "me@example.com")
    owner = user if role == Role.OWNER else User.objects.create_user("boss", "boss@example.com")
    project = build_project(owner, sequences=2, shots_per_sequence=5, lines_per_shot=2)
    add_members(project, user, role, others=members - 1 - (role != Role.OWNER))
    assert project.memberships.count() == members
    client = Client()
    client.force_login(user)

    with django_assert_num_queries(SESSION_QUERIES + TIMELINE_QUERIES):
        response = client.get(reverse("api-project-timeline", args=[project.pk]))

    assert response.status_code == 200
    timeline = response.json()
    assert timeline["project"]["role"] == role
    assert sum(len(sequence["shots"]) for sequence in timeline["sequences"]) == 10
    assert len(timeline["elements"]) == 3
