"""Writing the audit trail: one row per moderation action, in the action's transaction."""

from moderation.choices import AuditAction
from moderation.models import MAX_LABEL_CHARS, MAX_REASON_CHARS, AuditEntry, Case


def write(
    actor,
    action: AuditAction,
    *,
    case: Case | None = None,
    target_user=None,
    subject_kind: str = "",
    subject_id: int | None = None,
    subject_label: str = "",
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    if case is not None and not subject_kind:
        subject_kind, subject_label = case.subject_kind, case.subject_label
        subject_id = case_subject_id(case)
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        case=case,
        target_user=target_user,
        target_user_name=getattr(target_user, "username", ""),
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_label=subject_label[:MAX_LABEL_CHARS],
        reason=reason[:MAX_REASON_CHARS],
        before=before or {},
        after=after or {},
    )


def case_subject_id(case: Case) -> int | None:
    return {
        "job": case.job_id,
        "take": case.take_id,
        "element": case.element_id,
        "project": case.project_id,
    }[case.subject_kind]
