"""The notifications page: moderators' notices about the user's content, then mentions and
replies, newest first, with a way to mark them all read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from discussion import actions
from discussion.access import notifications_of
from moderation.access import notices_of
from moderation.notices import mark_notices_read

SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def notifications_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        actions.mark_read(request.user)
        mark_notices_read(request.user)
        return redirect("notifications")
    rows = list(notifications_of(request.user)[:SHOWN])
    notices = list(notices_of(request.user)[:SHOWN])
    return render(request, "discussion/notifications.html", {"rows": rows, "notices": notices})
