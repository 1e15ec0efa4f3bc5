"""The dashboard's "Import a project" form: a project file exported from here becomes a new
project of the user's and the editor opens on it; a refused file comes back to the dashboard
with why, and nothing is made."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.project_json import export_project
from storyboard_app.models import Project
from tests.conftest import Cast

IMPORT = reverse("import-project")


def test_an_exported_project_is_imported_and_opens_in_the_editor(cast: Cast) -> None:
    document, _ = export_project(cast.project)
    upload = SimpleUploadedFile("project.json", document, content_type="application/json")
    theirs = set(Project.objects.filter(owner=cast.outsider).values_list("pk", flat=True))

    answer = cast.page_client("outsider").post(IMPORT, {"file": upload})

    made = Project.objects.filter(owner=cast.outsider).exclude(pk__in=theirs).get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("editor", args=[made.pk])
    assert made.title == cast.project.title
    assert made.sequences.count() == cast.project.sequences.count()


def test_a_refused_file_comes_back_to_the_dashboard_with_why(cast: Cast) -> None:
    before = Project.objects.count()
    upload = SimpleUploadedFile("project.json", b"{not json", content_type="application/json")

    answer = cast.page_client("editor").post(IMPORT, {"file": upload}, follow=True)

    assert answer.redirect_chain[-1][0] == reverse("dashboard")
    assert "The file was not imported." in answer.content.decode()
    assert Project.objects.count() == before


def test_no_file_is_asked_for(cast: Cast) -> None:
    answer = cast.page_client("editor").post(IMPORT, {}, follow=True)

    assert "Choose a project file" in answer.content.decode()


def test_the_import_wants_a_login(client) -> None:
    answer = client.post(IMPORT, {})

    assert answer.status_code == 302
    assert reverse("login") in answer["Location"]
