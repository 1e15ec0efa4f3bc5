"""The page where users see what moderation decided about their content and appeal a takedown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from moderation import cases
from moderation.access import access_own_case, cases_of_owner

SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def own_cases_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        case = access_own_case(request.user, request.POST.get("case", ""))
        text = request.POST.get("text", "")
        try:
            if not text.strip():
                raise cases.AppealRefused("Say why the decision should change.")
            cases.appeal(request.user, case, text)
        except cases.AppealRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Your appeal was sent: a moderator will look at it again.")
        return redirect("moderation-cases")
    rows = list(cases_of_owner(request.user)[:SHOWN])
    for case in rows:
        case.can_appeal = cases.can_appeal(case)
    return render(request, "moderation/cases.html", {"rows": rows})
