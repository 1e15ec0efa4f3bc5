"""Every decision a moderator makes: approve or reject a held generation, dismiss a case, take
down or restore its subject, warn, suspend or lift a suspension.

Each function checks the moderator, locks the case (so of two moderators deciding at once one
wins and the other is told), changes the world, writes its audit row and notifies the owner,
all in one transaction; events go out after commit.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jobs import held as held_jobs
from jobs.models import GenerationJob
from moderation import audit
from moderation.access import is_moderator
from moderation.choices import AuditAction, CaseState, SubjectKind
from moderation.models import MAX_REASON_CHARS, Case, Notice, Standing
from moderation.subjects import locked_subject, subject_model
from moderation_desk import takedown
from plumbing.publisher import tell_member
from storyboard_app.models import Membership


class DecisionRefused(Exception):
    """The decision does not apply (any more): the message says why."""


# Which decisions a case allows, by its state (and its kind, below).
OPEN_DECISIONS = ("dismiss", "take_down")
HELD_DECISIONS = ("approve", "reject")


def decisions_for(case: Case) -> list[str]:
    """What a moderator may decide on `case` now (the case page shows these buttons)."""
    if case.state == CaseState.OPEN:
        if case.subject_kind == SubjectKind.JOB:
            return list(HELD_DECISIONS) if case.source != "provider" else ["dismiss"]
        if case.appealed and _subject_removed(case):
            # An appeal reopened a takedown: grant it (restore) or uphold the takedown.
            return ["restore", "uphold"]
        return list(OPEN_DECISIONS)
    if case.state == CaseState.REFUSED:
        return ["dismiss"]
    if case.state == CaseState.REMOVED:
        return ["restore"]
    return []


def _subject_removed(case: Case) -> bool:
    subject_id = audit.case_subject_id(case)
    if not subject_id:
        return False
    model = subject_model(case.subject_kind)
    return model.objects.filter(pk=subject_id, removed_at__isnull=False).exists()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused("Give a reason: the owner is shown it, and the audit keeps it.")
    if len(reason) > MAX_REASON_CHARS:
        raise DecisionRefused(f"The reason is at most {MAX_REASON_CHARS} characters.")
    return reason


def _check(by) -> None:
    if not is_moderator(by):
        raise PermissionDenied("Only moderators can decide cases.")


def _locked_case(case_id: int, decision: str) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise DecisionRefused("This case no longer exists.")
    if decision not in decisions_for(case):
        state = case.get_state_display().lower()
        raise DecisionRefused(
            f"This case is {state}: “{decision.replace('_', ' ')}” does not apply."
        )
    return case


def _close(case: Case, state: str, by, reason: str) -> None:
    case.state = state
    case.decided_by = by
    case.decided_at = timezone.now()
    case.decision_reason = reason
    case.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"])


def _notify(user, case: Case | None, message: str) -> None:
    if user is not None:
        Notice.objects.create(user=user, case=case, message=message[: MAX_REASON_CHARS + 200])


def _decide(case_id: int, decision: str, by, reason: str, apply) -> Case:
    _check(by)
    reason = _clean_reason(reason)
    with transaction.atomic():
        case = _locked_case(case_id, decision)
        apply(case, reason)
    return case


def approve(case_id: int, by, reason: str) -> Case:
    """A held generation is fine: it starts now."""

    def apply(case: Case, reason: str) -> None:
        job = GenerationJob.objects.filter(pk=case.job_id).first()
        if job is None or not held_jobs.release_held(job):
            raise DecisionRefused("The generation is no longer held (canceled or deleted).")
        _close(case, CaseState.APPROVED, by, reason)
        audit.write(
            by,
            AuditAction.APPROVE,
            case=case,
            target_user=case.owner,
            reason=reason,
            before={"job_state": "held"},
            after={"job_state": "queued"},
        )

    return _decide(case_id, "approve", by, reason, apply)


def reject(case_id: int, by, reason: str) -> Case:
    """A held generation is refused: it fails with the reason, and its credits come back."""

    def apply(case: Case, reason: str) -> None:
        job = GenerationJob.objects.filter(pk=case.job_id).first()
        if job is None or not held_jobs.reject_held(job, reason):
            raise DecisionRefused("The generation is no longer held (canceled or deleted).")
        _close(case, CaseState.REJECTED, by, reason)
        audit.write(
            by,
            AuditAction.REJECT,
            case=case,
            target_user=case.owner,
            reason=reason,
            before={"job_state": "held"},
            after={"job_state": "failed"},
        )
        _notify(
            case.owner,
            case,
            f"{case.subject_label} was rejected by a moderator: {reason}. "
            "Its credits were refunded.",
        )

    return _decide(case_id, "reject", by, reason, apply)


def dismiss(case_id: int, by, reason: str) -> Case:
    """Nothing to act on (an unfounded report, a refusal looked at)."""

    def apply(case: Case, reason: str) -> None:
        before = {"state": case.state}
        _close(case, CaseState.DISMISSED, by, reason)
        audit.write(
            by,
            AuditAction.DISMISS,
            case=case,
            target_user=case.owner,
            reason=reason,
            before=before,
            after={"state": case.state},
        )

    return _decide(case_id, "dismiss", by, reason, apply)


def uphold(case_id: int, by, reason: str) -> Case:
    """Refuse an appeal: the takedown stands (and cannot be appealed again)."""

    def apply(case: Case, reason: str) -> None:
        _close(case, CaseState.REMOVED, by, reason)
        audit.write(
            by,
            AuditAction.UPHOLD,
            case=case,
            target_user=case.owner,
            reason=reason,
            before={"state": "open", "appealed": True},
            after={"state": case.state},
        )
        _notify(case.owner, case, f"Your appeal about {case.subject_label} was refused: {reason}")

    return _decide(case_id, "uphold", by, reason, apply)


def take_down(case_id: int, by, reason: str) -> Case:
    """The subject is served to no one from now on; its owner is told why and may appeal."""

    def apply(case: Case, reason: str) -> None:
        obj = locked_subject(case.subject_kind, audit.case_subject_id(case))
        if obj is None:
            raise DecisionRefused("The subject no longer exists.")
        before, after = takedown.remove(case.subject_kind, obj, reason)
        _close(case, CaseState.REMOVED, by, reason)
        audit.write(
            by,
            AuditAction.TAKE_DOWN,
            case=case,
            target_user=case.owner,
            reason=reason,
            before=before,
            after=after,
        )
        _notify(
            case.owner,
            case,
            f"{case.subject_label} was taken down by a moderator: "
            f"{reason}. You can appeal from your moderation page.",
        )

    return _decide(case_id, "take_down", by, reason, apply)


def restore(case_id: int, by, reason: str) -> Case:
    """Undo a takedown (after an appeal, or a mistake)."""

    def apply(case: Case, reason: str) -> None:
        obj = locked_subject(case.subject_kind, audit.case_subject_id(case))
        if obj is None:
            raise DecisionRefused("The subject no longer exists.")
        if obj.removed_at is None:
            raise DecisionRefused("It is not taken down: there is nothing to restore.")
        taken_down = case.audit.filter(action=AuditAction.TAKE_DOWN).first()
        was_chosen = bool(taken_down and taken_down.before.get("chosen"))
        before, after = takedown.restore(case.subject_kind, obj, was_chosen)
        _close(case, CaseState.RESTORED, by, reason)
        audit.write(
            by,
            AuditAction.RESTORE,
            case=case,
            target_user=case.owner,
            reason=reason,
            before=before,
            after=after,
        )
        _notify(case.owner, case, f"{case.subject_label} was restored: {reason}")

    return _decide(case_id, "restore", by, reason, apply)


# Decisions about people


def _locked_standing(user) -> Standing:
    Standing.objects.get_or_create(user=user)
    return Standing.objects.select_for_update().get(user=user)


def _case_or_none(case_id: int | None) -> Case | None:
    return Case.objects.filter(pk=case_id).first() if case_id else None


def warn(user_id: int, by, reason: str, case_id: int | None = None) -> Standing:
    _check(by)
    reason = _clean_reason(reason)
    user = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        standing = _locked_standing(user)
        before = {"warnings": standing.warnings}
        standing.warnings += 1
        standing.save(update_fields=["warnings"])
        case = _case_or_none(case_id)
        audit.write(
            by,
            AuditAction.WARN,
            case=case,
            target_user=user,
            reason=reason,
            subject_kind="user",
            subject_id=user.pk,
            subject_label=user.username,
            before=before,
            after={"warnings": standing.warnings},
        )
        about = f" about {case.subject_label}" if case is not None else ""
        _notify(user, case, f"A moderator warned you{about}: {reason}")
    return standing


def suspend(user_id: int, by, reason: str, case_id: int | None = None) -> Standing:
    """No login, no generation; every job in flight is canceled and refunded, and the user's
    open editors are closed."""
    _check(by)
    reason = _clean_reason(reason)
    user = get_user_model().objects.get(pk=user_id)
    if user.pk == by.pk:
        raise DecisionRefused("You cannot suspend yourself.")
    with transaction.atomic():
        standing = _locked_standing(user)
        if standing.suspended_at is not None:
            raise DecisionRefused(f"{user.username} is already suspended.")
        standing.suspended_at = timezone.now()
        standing.suspension_reason = reason
        standing.save(update_fields=["suspended_at", "suspension_reason"])
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        canceled = held_jobs.cancel_jobs_of(user, f"Canceled: the account was suspended ({reason})")
        # Their held generations need no decision any more.
        Case.objects.filter(owner=user, state=CaseState.OPEN, subject_kind=SubjectKind.JOB).update(
            state=CaseState.REJECTED,
            decided_by=by,
            decided_at=timezone.now(),
            decision_reason="The account was suspended.",
        )
        audit.write(
            by,
            AuditAction.SUSPEND,
            case=_case_or_none(case_id),
            target_user=user,
            reason=reason,
            subject_kind="user",
            subject_id=user.pk,
            subject_label=user.username,
            before={"active": True},
            after={"active": False, "jobs_canceled": canceled},
        )
        projects = list(Membership.objects.filter(user=user).values_list("project_id", flat=True))
        transaction.on_commit(lambda: [tell_member(p, user.pk) for p in projects])
    return standing


def lift(user_id: int, by, reason: str) -> Standing:
    _check(by)
    reason = _clean_reason(reason)
    user = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        standing = _locked_standing(user)
        if standing.suspended_at is None:
            raise DecisionRefused(f"{user.username} is not suspended.")
        since = standing.suspended_at
        standing.suspended_at = None
        standing.suspension_reason = ""
        standing.save(update_fields=["suspended_at", "suspension_reason"])
        get_user_model().objects.filter(pk=user.pk).update(is_active=True)
        audit.write(
            by,
            AuditAction.LIFT,
            target_user=user,
            reason=reason,
            subject_kind="user",
            subject_id=user.pk,
            subject_label=user.username,
            before={"active": False, "suspended_at": since.isoformat()},
            after={"active": True},
        )
    return standing
