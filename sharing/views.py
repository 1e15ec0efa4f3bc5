"""HTML pages of sharing: a project's sharing page and an invitation link's landing page.

Thin: each loads through `access_project` and changes through `sharing.actions`. The sharing
page takes one form per POST, named by its `op`; a new link is shown on the answer page only
(its token is not stored anywhere to show it again).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from plumbing.attempts import wait_message
from sharing import actions
from sharing.access import invitation_state
from sharing.forms import AddMemberForm, InvitationForm, ReviewLinkForm, RoleForm, TransferForm
from sharing.token_guard import INVITATION_GUESSES
from storyboard_app.access import access_project, permissions_of
from storyboard_app.models import Membership


def _page(request: HttpRequest, project, status: int = 200, **extra) -> HttpResponse:
    project.permissions = permissions_of(project.role)
    members = Membership.objects.filter(project=project).select_related("user")
    context = {
        "project": project,
        "members": members.order_by("created_at"),
        "add_form": extra.pop("add_form", None) or AddMemberForm(),
        "link_form": extra.pop("link_form", None) or InvitationForm(),
        "review_form": extra.pop("review_form", None) or ReviewLinkForm(),
        **extra,
    }
    if "manage" in project.permissions:
        links = list(project.invitations.select_related("created_by"))
        for link in links:
            link.state = invitation_state(link)
        context["links"] = links
        context["review_links"] = list(project.review_links.all())
    return render(request, "sharing/sharing.html", context, status=status)


def _member_op(request: HttpRequest, project, op: str) -> None:
    user_id = request.POST.get("member")
    if op == "role":
        form = RoleForm(request.POST)
        if not form.is_valid():
            raise actions.SharingRefused("role", "Choose a role.")
        actions.change_role(project, user_id, form.cleaned_data["role"], by=request.user)
        messages.success(request, "Role changed.")
    elif op == "remove":
        actions.remove_member(project, user_id, by=request.user)
        messages.success(request, "Member removed: their open editors closed at once.")
    elif op == "transfer":
        form = TransferForm(request.POST)
        if not form.is_valid():
            raise actions.SharingRefused("user", "Choose the member to make owner.")
        actions.transfer_ownership(project, form.cleaned_data["user"], by=request.user)
        messages.success(request, "You transferred the ownership; you are now an editor.")


@login_required
@require_http_methods(["GET", "POST"])
def sharing_page(request: HttpRequest, project_id: int) -> HttpResponse:
    op = request.POST.get("op", "")
    if request.method == "GET":
        return _page(request, access_project(request.user, project_id))
    if op == "leave":
        project = access_project(request.user, project_id)
        try:
            actions.leave_project(project, request.user)
        except actions.SharingRefused as error:
            messages.error(request, error.message)
            return redirect("sharing", project_id=project.pk)
        messages.success(request, f"You left “{project.title}”.")
        return redirect("dashboard")
    project = access_project(request.user, project_id, manage=True)
    try:
        if op == "add":
            form = AddMemberForm(request.POST)
            if form.is_valid():
                try:
                    membership = actions.add_member(project, **form.cleaned_data, by=request.user)
                except actions.SharingRefused as refused:
                    # Back to the form, with what was typed and the reason at its field.
                    field = refused.field if refused.field in form.fields else None
                    form.add_error(field, refused.message)
            if not form.is_valid():
                return _page(request, project, 400, add_form=form)
            messages.success(request, f"{membership.user.username} is now {membership.role}.")
        elif op == "link":
            form = InvitationForm(request.POST)
            if not form.is_valid():
                return _page(request, project, 400, link_form=form)
            invitation, token = actions.create_invitation(
                project, request.user, **form.link_options()
            )
            link = request.build_absolute_uri(reverse("invitation", args=[token]))
            if invitation.email:
                actions.send_invitation(invitation, link)
            return _page(request, project, 201, new_link=link, new_invitation=invitation)
        elif op == "review-link":
            form = ReviewLinkForm(request.POST)
            if not form.is_valid():
                return _page(request, project, 400, review_form=form)
            link, token = actions.create_review_link(project, request.user, **form.link_options())
            url = request.build_absolute_uri(reverse("review", args=[token]))
            return _page(request, project, 201, new_review_link=url, new_review=link)
        elif op == "review-revoke":
            raw = request.POST.get("link", "")
            link = project.review_links.filter(pk=raw).first() if raw.isdigit() else None
            if link is None:
                raise Http404("No such link.")
            actions.revoke_review_link(link, by=request.user)
            messages.success(request, "Review link revoked: it no longer opens anything.")
        elif op == "revoke":
            try:
                invitation = project.invitations.filter(pk=request.POST.get("link") or 0).first()
            except ValueError:  # not a number: no such link either
                invitation = None
            if invitation is None:
                raise Http404("No such link.")
            actions.revoke_invitation(invitation, by=request.user)
            messages.success(request, "Link revoked: it no longer lets anyone in.")
        else:
            _member_op(request, project, op)
    except actions.SharingRefused as error:
        messages.error(request, error.message)
    return redirect("sharing", project_id=project.pk)


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands: who invites you to what, then join (logged in)."""
    # Looks at tokens that open nothing count: the page must not become a way to guess them.
    wait = INVITATION_GUESSES.wait(request, token)
    if wait:
        context = {"problem": wait_message(wait)}
        return render(request, "sharing/invitation.html", context, status=429)
    try:
        invitation = actions.invitation_for(token)
    except actions.InvitationUnknown:
        INVITATION_GUESSES.count_unknown(request, token)
        context = {"problem": "This invitation link is not valid. Ask for a new one."}
        return render(request, "sharing/invitation.html", context, status=404)
    context = {"invitation": invitation, "problem": invitation.problem()}
    if request.method == "GET" or not request.user.is_authenticated:
        status = 410 if context["problem"] else 200
        return render(request, "sharing/invitation.html", context, status=status)
    try:
        membership = actions.accept_invitation(token, request.user)
    except actions.InvitationUnusable as error:
        context["problem"] = error.message
        return render(request, "sharing/invitation.html", context, status=410)
    messages.success(request, f"Welcome to “{invitation.project.title}” ({membership.role}).")
    return redirect("editor", project_id=membership.project_id)
