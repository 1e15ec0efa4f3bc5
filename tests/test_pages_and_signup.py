"""The HTML side: sign up, log in and out, the dashboard, project settings, the editor, the demo."""

import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from editor.management.commands import load_demo
from editor.timeline_snapshot import vocabulary
from script import rules
from storyboard_app.models import Membership, Project, Sequence, Shot
from tests.conftest import PASSWORD, storyboard_rows

NEW_PASSWORD = "harbour-lamp-storm-42"


def logged_in_user(client: Client) -> User | None:
    response = client.get(reverse("dashboard"))
    return response.context["user"] if response.status_code == 200 else None


# Sign up, log in, log out


def test_the_signup_page_shows_a_form(db):
    response = Client().get(reverse("signup"))

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password1"' in response.content


def test_signing_up_creates_the_account_and_logs_in(db):
    client = Client()

    response = client.post(
        reverse("signup"),
        {
            "username": "mara",
            "email": "mara@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(username="mara")
    assert user.email == "mara@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user(client) == user


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"username": "mara", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
            "password2",
        ),
        ({"username": "mara", "password1": "password", "password2": "password"}, "password2"),
        ({"username": "owner", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, "username"),
        ({"username": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, "username"),
        (
            {
                "username": "x",
                "email": "nope",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "email",
        ),
    ],
    ids=["passwords differ", "common password", "name taken", "no name", "bad email"],
)
def test_a_bad_signup_shows_the_error_and_creates_no_account(cast, fields, field):
    users_before = User.objects.count()
    client = Client()

    response = client.post(reverse("signup"), fields)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == users_before
    assert logged_in_user(client) is None


def test_logging_in_with_the_right_password_goes_to_the_dashboard(cast):
    client = Client()

    response = client.post(reverse("login"), {"username": "editor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert logged_in_user(client) == cast.editor


def test_logging_in_returns_to_the_page_asked_for(cast):
    client = Client()
    editor_url = reverse("editor", args=[cast.project.pk])
    assert client.get(editor_url)["Location"] == f"{reverse('login')}?next={editor_url}"

    response = client.post(
        reverse("login"), {"username": "viewer", "password": PASSWORD, "next": editor_url}
    )

    assert response["Location"] == editor_url


def test_logging_in_with_a_wrong_password_fails_with_a_message(cast):
    client = Client()

    response = client.post(reverse("login"), {"username": "editor", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_user(client) is None


def test_logging_out_takes_a_post_and_ends_the_session(cast):
    client = cast.page_client("owner")
    assert logged_in_user(client) == cast.owner

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_user(client) is None


def test_the_home_page_sends_visitors_to_log_in_and_members_to_their_projects(cast):
    assert Client().get(reverse("home"))["Location"] == reverse("login")
    assert cast.page_client("viewer").get(reverse("home"))["Location"] == reverse("dashboard")


# The dashboard


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_the_dashboard_lists_my_projects_and_those_shared_with_me_with_my_role(cast, who):
    response = cast.page_client(who).get(reverse("dashboard"))

    assert response.status_code == 200
    mine, shared = response.context["owned"], response.context["shared"]
    listed = [(p.title, p.role, p.owner.username) for p in mine + shared]
    assert listed == [("Lighthouse", who, "owner")]
    assert (mine if who == "owner" else shared)[0].title == "Lighthouse"
    html = response.content.decode()
    assert f'<span class="chip role">{who}</span>' in html
    assert reverse("editor", args=[cast.project.pk]) in html
    assert "Shared with me" in html


def test_the_dashboard_does_not_list_other_peoples_projects(cast):
    response = cast.page_client("outsider").get(reverse("dashboard"))

    assert [p.title for p in response.context["owned"]] == ["Someone else's film"]
    assert response.context["shared"] == []
    assert b"Lighthouse" not in response.content


def test_the_dashboard_offers_rename_to_writers_and_delete_to_the_owner_only(cast):
    settings_url = reverse("project-settings", args=[cast.project.pk]).encode()
    delete_url = reverse("project-delete", args=[cast.project.pk]).encode()

    pages = {
        who: cast.page_client(who).get(reverse("dashboard")).content
        for who in ("owner", "editor", "viewer")
    }

    assert (settings_url in pages["owner"], delete_url in pages["owner"]) == (True, True)
    assert (settings_url in pages["editor"], delete_url in pages["editor"]) == (True, False)
    assert (settings_url in pages["viewer"], delete_url in pages["viewer"]) == (False, False)


def test_a_new_user_sees_an_empty_dashboard_with_the_new_project_form(db):
    User.objects.create_user("newcomer", password=PASSWORD)
    client = Client()
    client.login(username="newcomer", password=PASSWORD)

    response = client.get(reverse("dashboard"))

    assert b"No projects of your own yet" in response.content
    assert b"Nothing shared with you yet" in response.content
    assert b'name="title"' in response.content


@pytest.mark.parametrize("aspect_ratio", ["16:9", "9:16", "1:1"])
def test_a_project_created_on_the_dashboard_opens_in_the_editor(cast, aspect_ratio):
    response = cast.page_client("viewer").post(
        reverse("dashboard"), {"title": f"Shot in {aspect_ratio}", "aspect_ratio": aspect_ratio}
    )

    project = Project.objects.get(title=f"Shot in {aspect_ratio}")
    assert response.status_code == 302
    assert response["Location"] == reverse("editor", args=[project.pk])
    assert project.aspect_ratio == aspect_ratio
    assert project.owner == cast.viewer
    assert list(project.memberships.values_list("user__username", "role")) == [("viewer", "owner")]
    assert project.sequences.count() == 1


# Project settings and deletion


def test_renaming_a_project_in_its_settings_saves_and_returns_to_the_dashboard(cast):
    client = cast.page_client("editor")
    url = reverse("project-settings", args=[cast.project.pk])
    assert client.get(url).context["form"]["title"].value() == "Lighthouse"

    response = client.post(
        url, {"title": "Lighthouse, revised", "aspect_ratio": "1:1"}, follow=True
    )

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert "Project saved." in [str(m) for m in response.context["messages"]]
    cast.project.refresh_from_db()
    assert (cast.project.title, cast.project.aspect_ratio) == ("Lighthouse, revised", "1:1")


def test_a_viewer_sees_the_settings_without_a_save_button_and_cannot_post_them(cast):
    client = cast.page_client("viewer")
    url = reverse("project-settings", args=[cast.project.pk])

    page = client.get(url)
    refused = client.post(url, {"title": "Mine", "aspect_ratio": "1:1"})

    assert page.status_code == 200
    assert b">Save</button>" not in page.content
    assert refused.status_code == 403
    cast.project.refresh_from_db()
    assert cast.project.title == "Lighthouse"


def test_the_owner_deletes_a_project_with_all_its_shots(cast):
    response = cast.page_client("owner").post(
        reverse("project-delete", args=[cast.project.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert "Deleted “Lighthouse”." in [str(m) for m in response.context["messages"]]
    assert not Project.objects.filter(pk=cast.project.pk).exists()
    assert not Sequence.objects.filter(pk=cast.sequence.pk).exists()
    assert not Shot.objects.filter(pk__in=[s.pk for s in cast.shots]).exists()
    assert not Membership.objects.filter(project_id=cast.project.pk).exists()
    assert Project.objects.filter(owner=cast.outsider).exists()


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_the_owner_can_delete_a_project(cast, who, status):
    response = cast.page_client(who).post(reverse("project-delete", args=[cast.project.pk]))

    assert response.status_code == status
    assert Project.objects.filter(pk=cast.project.pk).exists()


def test_deleting_a_project_takes_a_post(cast):
    response = cast.page_client("owner").get(reverse("project-delete", args=[cast.project.pk]))

    assert response.status_code == 405
    assert Project.objects.filter(pk=cast.project.pk).exists()


# The editor page


def boot_of(html: str) -> dict:
    match = re.search(
        r'<script id="editor-boot" type="application/json">(?P<json>.*?)</script>', html, re.S
    )
    assert match, "the editor page carries its boot data as a json_script"
    return json.loads(match["json"])


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_the_editor_page_boots_with_the_project_role_and_the_servers_limits(cast, who):
    response = cast.page_client(who).get(reverse("editor", args=[cast.project.pk]))

    assert response.status_code == 200
    boot = boot_of(response.content.decode())
    assert boot["project_id"] == cast.project.pk
    assert boot["role"] == who
    assert boot["api"] == reverse("api-project-timeline", args=[cast.project.pk])
    assert boot["limits"] == rules.limits()
    assert boot["limits"]["max_shots"] == rules.MAX_SHOTS
    assert boot["choices"] == json.loads(json.dumps(vocabulary()["choices"]))
    assert {c["value"] for c in boot["choices"]["shot_size"]} >= {"wide", "close_up"}


def test_the_boot_data_cannot_break_out_of_its_script_tag(cast):
    cast.project.title = "</script><script>alert(1)</script>"
    cast.project.save()

    html = cast.page_client("owner").get(reverse("editor", args=[cast.project.pk])).content

    assert b"<script>alert(1)" not in html
    assert boot_of(html.decode())["project_id"] == cast.project.pk


# The demo


def test_load_demo_creates_the_demo_user_and_a_project_of_three_shots_with_dialogue(db):
    call_command("load_demo", stdout=io.StringIO())

    user = User.objects.get(username=load_demo.DEMO_USERNAME)
    assert user.check_password(load_demo.DEMO_PASSWORD)
    project = Project.objects.get(owner=user)
    assert project.title == load_demo.DEMO_TITLE
    shots = list(Shot.objects.filter(sequence__project=project).order_by("position"))
    assert [shot.position for shot in shots] == [0, 1, 2]
    assert [shot.duration for shot in shots] == [4, 3, 3]
    assert all(shot.dialogue.count() == 1 for shot in shots)
    assert shots[2].dialogue.get().voice_over is True
    assert shots[2].lettering == "HARBOUR CLOSED"


def test_load_demo_run_twice_changes_nothing_the_second_time(db):
    call_command("load_demo", stdout=io.StringIO())
    after_first = storyboard_rows()

    call_command("load_demo", stdout=io.StringIO())

    assert storyboard_rows() == after_first
    assert Project.objects.filter(title=load_demo.DEMO_TITLE).count() == 1


def test_the_demo_user_can_log_in_and_open_the_demo(db):
    call_command("load_demo", stdout=io.StringIO())
    client = Client()

    client.post(
        reverse("login"),
        {"username": load_demo.DEMO_USERNAME, "password": load_demo.DEMO_PASSWORD},
    )

    project = Project.objects.get(title=load_demo.DEMO_TITLE)
    response = client.get(reverse("editor", args=[project.pk]))
    assert response.status_code == 200
    timeline = client.get(reverse("api-project-timeline", args=[project.pk])).json()
    assert [len(s["shots"]) for s in timeline["sequences"]] == [3]
    assert timeline["sequences"][0]["duration"] == 10
