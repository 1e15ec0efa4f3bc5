"""The activity page of a project: who changed what and when, filtered by person."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from activity.access import activity_of
from plumbing.query_params import integer_params
from storyboard_app.access import access_project
from storyboard_app.models import Membership


@login_required
@require_safe
def activity_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    person = integer_params(request, "person")["person"]
    members = Membership.objects.filter(project=project).select_related("user")
    context = {
        "project": project,
        "rows": activity_of(project, person),
        "people": [m.user for m in members.order_by("user__username")],
        "person": "" if person is None else str(person),  # as the menu's values are
    }
    return render(request, "activity/activity.html", context)
