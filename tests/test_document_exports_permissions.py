"""Who may export the PDF sheet and the project JSON, and import a project: members read,
strangers get 404, anonymous callers 401; any signed-in user imports into a new project."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.project_json import export_project
from storyboard_app.models import Project

ROLES = [None, "outsider", "viewer", "editor", "owner"]
READ = {None: 401, "outsider": 404, "viewer": 200, "editor": 200, "owner": 200}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    ("name", "query", "content_type"),
    [
        ("api-project-export-pdf", "?paper=a4", "application/pdf"),
        ("api-project-export-pdf", "?paper=letter", "application/pdf"),
        ("api-project-export-json", "", "application/json"),
        ("api-project-export-json", "?media=1", "application/zip"),
    ],
)
def test_members_export_and_others_are_refused(cast, media_root, who, name, query, content_type):
    url = reverse(name, args=[cast.project.pk]) + query

    response = cast.client(who).get(url)

    assert response.status_code == READ[who]
    if response.status_code == 200:
        assert response["Content-Type"] == content_type


def test_an_unknown_paper_is_a_400_at_the_field(cast):
    url = reverse("api-project-export-pdf", args=[cast.project.pk]) + "?paper=a3"

    response = cast.client("viewer").get(url)

    assert response.status_code == 400
    assert "paper" in response.json()


@pytest.mark.parametrize("who", ROLES)
def test_any_signed_in_user_imports_into_a_project_of_their_own(cast, who):
    content, _ = export_project(cast.project)
    upload = SimpleUploadedFile("project.json", content)
    count = Project.objects.count()

    response = cast.client(who).post(reverse("api-project-import"), {"file": upload})

    if who is None:
        assert response.status_code == 401
        assert Project.objects.count() == count
        return
    assert response.status_code == 201
    assert Project.objects.get(pk=response.json()["id"]).owner == getattr(cast, who)


def test_a_refused_import_answers_with_its_message(cast):
    upload = SimpleUploadedFile("project.json", json.dumps({"format": "x"}).encode())

    response = cast.client("viewer").post(reverse("api-project-import"), {"file": upload})

    assert response.status_code == 400
    assert "format" in response.json()
