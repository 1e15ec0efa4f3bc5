"""The case page of the review queue: what the moderator sees (previews of the take's video,
the element's images, voice and video, the text with the matched terms marked, reports,
appeals, the owner's record) and the decisions it posts. Admin views, moderators only."""

import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST, require_safe

from elements_app.models import Element, ElementImage
from jobs.models import Take
from moderation import audit
from moderation.access import is_moderator
from moderation.choices import CaseState, Source, SubjectKind
from moderation.models import Case, Standing
from moderation_desk import actions
from plumbing.ranged_files import stored_file_response
from screening.screen import highlight_spans

CASE_DECISIONS = {
    "approve": actions.approve,
    "reject": actions.reject,
    "dismiss": actions.dismiss,
    "take_down": actions.take_down,
    "restore": actions.restore,
    "uphold": actions.uphold,
}
USER_DECISIONS = {"warn": actions.warn, "suspend": actions.suspend, "lift": actions.lift}
DECISION_LABELS = {
    "approve": "Approve (it runs)",
    "reject": "Reject (refunded)",
    "dismiss": "Dismiss",
    "take_down": "Take down",
    "restore": "Restore",
    "uphold": "Uphold the takedown (refuse the appeal)",
    "warn": "Warn the owner",
    "suspend": "Suspend the owner",
    "lift": "Lift the suspension",
}
MEDIA_NAME = re.compile(
    r"^(?P<what>take|image|voice|video)-(?P<id>[0-9]{1,18})(?:-(?P<part>video|poster))?$"
)
RECENT_TAKES_SHOWN = 6


def _moderator(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied("Only moderators can review cases.")


def highlighted(text: str, found: list[str]) -> SafeString:
    """`text` escaped, with every stretch that matched a term (evasions and all) marked."""
    spans = sorted({span for stretch in found for span in highlight_spans(text, stretch)})
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def _media_url(case: Case, name: str) -> str:
    return reverse("admin:moderation_case_media", args=[case.pk, name])


def _take_previews(case: Case, takes) -> list[dict]:
    return [
        {
            "kind": "video",
            "label": f"Take {take.pk}" + (" (taken down)" if take.removed_at else ""),
            "url": _media_url(case, f"take-{take.pk}-video"),
            "poster": _media_url(case, f"take-{take.pk}-poster") if take.poster else "",
        }
        for take in takes
    ]


def _element_previews(case: Case, element: Element) -> list[dict]:
    previews = [
        {
            "kind": "image",
            "label": image.angle or f"Image {image.position + 1}",
            "url": _media_url(case, f"image-{image.pk}"),
        }
        for image in element.images.all()
    ]
    if hasattr(element, "voice"):
        previews.append(
            {"kind": "audio", "label": "Voice", "url": _media_url(case, f"voice-{element.pk}")}
        )
    if hasattr(element, "video"):
        url = _media_url(case, f"video-{element.pk}")
        previews.append({"kind": "video", "label": "Reference video", "url": url, "poster": ""})
    return previews


def previews_of(case: Case) -> list[dict]:
    if case.subject_kind == SubjectKind.TAKE and case.take_id:
        return _take_previews(case, Take.objects.filter(pk=case.take_id))
    if case.subject_kind == SubjectKind.ELEMENT and case.element_id:
        element = Element.objects.filter(pk=case.element_id).first()
        return _element_previews(case, element) if element else []
    if case.subject_kind == SubjectKind.PROJECT and case.project_id:
        takes = Take.objects.filter(project_id=case.project_id).order_by("-id")
        return _take_previews(case, takes[:RECENT_TAKES_SHOWN])
    return []


def _owner_record(case: Case) -> dict:
    if case.owner_id is None:
        return {}
    cases = Case.objects.filter(owner_id=case.owner_id)
    return {
        "owner": case.owner,
        "standing": Standing.objects.filter(user_id=case.owner_id).first(),
        "cases_url": reverse("admin:moderation_case_changelist")
        + f"?state__exact=all&owner__id__exact={case.owner_id}",
        "audit_url": reverse("admin:moderation_auditentry_changelist")
        + f"?target_user__id__exact={case.owner_id}",
        "refusals": {
            "screening": cases.filter(source=Source.SCREENING, state=CaseState.REFUSED).count(),
            "provider": cases.filter(source=Source.PROVIDER).count(),
        },
        "cases_total": cases.count(),
    }


def _subject_audit_url(case: Case) -> str:
    """The audit trail of the case's subject (every case about it), if it still has a key."""
    subject_id = audit.case_subject_id(case)
    if subject_id is None:
        return ""
    return (
        reverse("admin:moderation_auditentry_changelist")
        + f"?subject_kind__exact={case.subject_kind}&subject_id__exact={subject_id}"
    )


def context(case: Case) -> dict:
    """What the case page shows beside the case's fields."""
    found = [match["found"] for match in case.matched]
    decisions = actions.decisions_for(case)
    record = _owner_record(case)
    standing = record.get("standing")
    suspended = bool(standing and standing.suspended_at)
    user_decisions = [] if case.owner_id is None else ["warn", "lift" if suspended else "suspend"]
    return {
        "case": case,
        "previews": previews_of(case),
        "excerpt_html": highlighted(case.excerpt, found),
        "matched": case.matched,
        "reports": case.reports.select_related("reporter"),
        "appeals": case.appeals.select_related("user"),
        "case_audit": case.audit.all(),
        "subject_audit_url": _subject_audit_url(case),
        "record": record,
        "decisions": [(name, DECISION_LABELS[name]) for name in decisions],
        "user_decisions": [(name, DECISION_LABELS[name]) for name in user_decisions],
        "decide_url": reverse("admin:moderation_case_decide", args=[case.pk]),
    }


@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    """One decision on the case (or on its owner), then back to the case page."""
    _moderator(request)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")
    try:
        if decision in CASE_DECISIONS:
            CASE_DECISIONS[decision](case.pk, request.user, reason)
        elif decision in USER_DECISIONS and case.owner_id is not None:
            arguments = {} if decision == "lift" else {"case_id": case.pk}
            USER_DECISIONS[decision](case.owner_id, request.user, reason, **arguments)
        else:
            raise actions.DecisionRefused("Choose one of the decisions offered.")
    except actions.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Case {case.pk}: {DECISION_LABELS[decision].lower()} — done.")
    return redirect("admin:moderation_case_change", case.pk)


@require_POST
def decide_about_user(request: HttpRequest, user_id: int) -> HttpResponse:
    """Warn, suspend or lift from a user's standing page."""
    _moderator(request)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("No such user.")
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")
    try:
        if decision not in USER_DECISIONS:
            raise actions.DecisionRefused("Choose one of the decisions offered.")
        USER_DECISIONS[decision](user.pk, request.user, reason)
    except actions.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{user.username}: {DECISION_LABELS[decision].lower()} — done.")
    standing = Standing.objects.filter(user=user).first()
    if standing is None:
        return redirect("admin:moderation_standing_changelist")
    return redirect("admin:moderation_standing_change", standing.pk)


def _file_of(case: Case, name: str):
    """The stored file `name` stands for, if it belongs to the case's subject."""
    match = MEDIA_NAME.match(name)
    if match is None:
        return None
    what, pk = match["what"], int(match["id"])
    if what == "take":
        takes = Take.objects.filter(pk=pk)
        if case.subject_kind == SubjectKind.TAKE:
            takes = takes.filter(pk=case.take_id)
        else:
            takes = takes.filter(project_id=case.project_id)
        take = takes.first()
        return getattr(take, match["part"] or "video") if take else None
    if case.subject_kind != SubjectKind.ELEMENT:
        return None
    if what == "image":
        image = ElementImage.objects.filter(pk=pk, element_id=case.element_id).first()
        return image.file if image else None
    element = Element.objects.filter(pk=case.element_id).select_related("voice", "video").first()
    part = getattr(element, what, None) if element and pk == element.pk else None
    return part.file if part else None


@require_safe
def case_media(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    """A file of the case's subject, to moderators only (taken down or not), with Range."""
    _moderator(request)
    case = Case.objects.filter(pk=case_id).first()
    stored = _file_of(case, name) if case is not None else None
    if not stored:
        raise Http404("No such file.")
    # Not kept by the browser: a moderator's preview of what may be taken down.
    return stored_file_response(request, stored.name, cache_control="private, no-store")
