"""The pages of a review link, for people without an account: the chosen takes and the
storyboard of a project, and comments signed with a name. The token is the only key, and it
opens nothing else: no editor, no API, no other media (every route here re-checks it).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from discussion import actions as discussion_actions
from discussion.access import threads_of
from jobs.models import Take
from plumbing.attempts import AttemptLimit, client_keys, wait_message
from plumbing.ranged_files import stored_file_response
from sharing import actions
from sharing.token_guard import REVIEW_LINK_GUESSES
from storyboard_app.sequence_rows import sequence_rows

# Wrong passwords per link and address (or account): a guesser is stopped without locking out
# the others behind the same address, or the same guesser's other links. Tokens that open
# nothing count in `REVIEW_LINK_GUESSES`; a valid token's pages and video ranges never count.
PASSWORD_TRIES = AttemptLimit("review-password", attempts=10, window_seconds=900)


def _password_keys(request: HttpRequest, link) -> tuple[str, ...]:
    return tuple(f"{key}:link:{link.pk}" for key in client_keys(request))


def _unlocked_key(link) -> str:
    return f"review-unlocked:{link.pk}"


def _problem(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    return render(request, "sharing/review_problem.html", {"problem": problem}, status=status)


def _link_or_page(request: HttpRequest, token: str):
    """(link, None) when the request may see the review; else (None, the page to answer)."""
    wait = REVIEW_LINK_GUESSES.wait(request, token)
    if wait:
        return None, _problem(request, wait_message(wait), 429)
    try:
        link = actions.review_link_for(token)
    except actions.InvitationUnknown:
        REVIEW_LINK_GUESSES.count_unknown(request, token)
        return None, _problem(request, "This review link is not valid. Ask for a new one.", 404)
    except actions.InvitationUnusable as unusable:
        return None, _problem(request, unusable.message, 410)
    if link.project.removed_at is not None:
        return None, _problem(request, "This project was taken down by a moderator.", 410)
    return link, None


def _needs_password(request: HttpRequest, link) -> bool:
    return bool(link.password_hash) and not request.session.get(_unlocked_key(link))


def _chosen_takes(project) -> dict[int, Take]:
    return {
        take.sequence_id: take
        for take in Take.objects.filter(project=project, chosen=True, removed_at=None)
    }


@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, token: str) -> HttpResponse:
    link, page = _link_or_page(request, token)
    if page is not None:
        return page
    if _needs_password(request, link):
        return _password_page(request, link)
    project = link.project
    takes = _chosen_takes(project)
    sequences = sequence_rows(project.sequences.all())
    for sequence in sequences:
        take = takes.get(sequence["id"])
        sequence["take"] = take
        sequence["threads"] = threads_of(project, take_id=take.pk) if take else []
    context = {
        "link": link,
        "token": token,
        "project": project,
        "sequences": sequences,
        "guest_name": request.session.get("review-name", ""),
        "error": request.session.pop("review-error", ""),
    }
    return render(request, "sharing/review.html", context)


def _password_page(request: HttpRequest, link) -> HttpResponse:
    context = {"link": link, "error": ""}
    if request.method == "POST":
        wait = PASSWORD_TRIES.wait(*_password_keys(request, link))
        if wait:
            context["error"] = wait_message(wait, "Too many wrong passwords")
            return render(request, "sharing/review_password.html", context, status=429)
        if actions.review_password_ok(link, request.POST.get("password", "")):
            request.session[_unlocked_key(link)] = True
            return redirect(request.path)
        PASSWORD_TRIES.record(*_password_keys(request, link))
        context["error"] = "That is not the password of this review link."
        return render(request, "sharing/review_password.html", context, status=403)
    return render(request, "sharing/review_password.html", context, status=401)


@require_safe
def review_media(request: HttpRequest, token: str, take_id: int, kind: str) -> HttpResponse:
    """The video or poster of a chosen take of the link's project; nothing else."""
    link, page = _link_or_page(request, token)
    if page is not None:
        return page
    if _needs_password(request, link):
        raise Http404("No such file.")
    take = Take.objects.filter(
        pk=take_id, project=link.project, chosen=True, removed_at=None
    ).first()
    stored = getattr(take, kind, None) if take is not None else None
    if not stored:
        raise Http404("No such file.")
    return stored_file_response(request, stored.name)


@require_POST
def review_comment(request: HttpRequest, token: str) -> HttpResponse:
    """A comment on a chosen take, signed with a name; back to the review page."""
    link, page = _link_or_page(request, token)
    if page is not None:
        return page
    if _needs_password(request, link):
        return _password_page(request, link)
    take_id = request.POST.get("take", "")
    take = (
        Take.objects.filter(pk=take_id, project=link.project, chosen=True, removed_at=None).first()
        if take_id.isdigit() and len(take_id) < 19
        else None
    )
    if take is None:
        raise Http404("No such take.")
    name = request.POST.get("name", "")
    try:
        discussion_actions.post_comment(
            link.project, None, request.POST.get("body", ""), take=take, guest_name=name
        )
    except discussion_actions.CommentRefused as refused:
        request.session["review-error"] = refused.message
    else:
        request.session["review-name"] = name.strip()
    return redirect("review", token=token)
