"""The dashboard's "Import a project" form: a project exported as JSON (or its zip) becomes a new
project of the user's, then the editor opens on it; a refused file comes back with why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from exports.import_checks import ImportRefused
from exports.project_json import import_project
from plumbing.upload_slots import UploadsBusy, upload_slot


@login_required
@require_POST
def import_project_page(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a project file (.json or .zip) to import.")
        return redirect("dashboard")
    try:
        with upload_slot(request.user):  # its frames are decoded as image uploads are
            project, missing = import_project(request.user, upload)
    except UploadsBusy as busy:
        messages.error(request, "The file was not imported. " + busy.message)
        return redirect("dashboard")
    except ImportRefused as refused:
        reasons = [f"{field}: {' '.join(why)}" for field, why in refused.errors.items()]
        messages.error(request, "The file was not imported. " + " ".join(reasons))
        return redirect("dashboard")
    if missing:
        messages.warning(request, "Not found in your libraries: " + ", ".join(missing) + ".")
    return redirect("editor", project_id=project.pk)
