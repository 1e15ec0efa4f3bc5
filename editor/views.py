"""HTML pages: sign-up, the dashboard, a project's settings, the timeline editor, private media.

Thin: each page loads through `access.py` and changes through `actions.py`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from editor.timeline_snapshot import vocabulary
from elements_app.access import attached_to_project
from moderation.choices import Category
from plumbing import private_files
from plumbing.ranged_files import stored_file_response
from storyboard_app import actions
from storyboard_app.access import access_project, permissions_of, projects_of
from storyboard_app.choices import Role
from storyboard_app.forms import ProjectForm
from storyboard_app.models import Project


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "login")


DASHBOARD_FIELDS = ("title", "aspect_ratio", "updated_at", "owner", "removed_at", "removed_reason")
DASHBOARD_LINKS = {
    "editor": "editor",
    "sharing": "sharing",
    "settings": "project-settings",
    "delete": "project-delete",
}
_ANY_ID = "2147483647"


def _url_pattern(name: str) -> str:
    return reverse(name, args=[int(_ANY_ID)])


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, initial={"aspect_ratio": "16:9"})
    if request.method == "POST" and form.is_valid():
        project = actions.create_project(request.user, **form.cleaned_data)
        return redirect("editor", project_id=project.pk)
    projects = list(
        projects_of(request.user).select_related("owner").only(*DASHBOARD_FIELDS, "owner__username")
    )
    # Each row's links from one reversed pattern per page (reversing 4 URLs × 200 rows was
    # half the page's time, bench/sharing_scale.py).
    patterns = {key: _url_pattern(name) for key, name in DASHBOARD_LINKS.items()}
    for project in projects:
        project.permissions = permissions_of(project.role)
        pk = str(project.pk)
        project.links = {key: url.replace(_ANY_ID, pk) for key, url in patterns.items()}
    context = {
        "owned": [p for p in projects if p.role == Role.OWNER],
        "shared": [p for p in projects if p.role != Role.OWNER],
        "form": form,
    }
    return render(request, "storyboard/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, write=request.method == "POST")
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_project(
                project,
                {k: form.cleaned_data[k] for k in form.changed_data},
                by=request.user,
            )
        except Project.DoesNotExist:  # deleted by its owner while this form was open
            raise Http404("No such project.") from None
        messages.success(request, "Project saved.")
        return redirect("dashboard")
    project.permissions = permissions_of(project.role)
    return render(request, "storyboard/project_settings.html", {"project": project, "form": form})


@login_required
@require_POST
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, manage=True)
    title = project.title
    actions.delete_project(project)
    messages.success(request, f"Deleted “{title}”.")
    return redirect("dashboard")


@login_required
@require_safe
def editor(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    boot = {
        "project_id": project.pk,
        "role": project.role,
        "permissions": permissions_of(project.role),
        "api": reverse("api-project-timeline", args=[project.pk]),
        # The libraries attached to the project, for the editor's library panel.
        "libraries": [
            {"id": pk, "name": name}
            for pk, name in attached_to_project(project.pk)
            .order_by("name", "id")
            .values_list("id", "name")
        ],
        "report_categories": Category.choices,
        **vocabulary(),
    }
    return render(request, "storyboard/editor.html", {"project": project, "boot": boot})


@login_required
@require_safe
def private_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve a stored file, with HTTP Range, only to those who may read the row it belongs to
    (see `private_files`: the row decides, never the shape of the path)."""
    name = f"private/{path}"
    private_files.authorize(request.user, name)
    return stored_file_response(request, name)
