"""Opening cases: a generation held or refused by screening, a provider's refusal, a report
(duplicates fold into the subject's open case), an appeal (which reopens a takedown).

Every function runs in the caller's transaction or opens its own; none decides a case (that
is actions.py, for moderators).
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from moderation.choices import CaseState, Category, Source, SubjectKind
from moderation.models import MAX_EXCERPT_CHARS, MAX_REASON_CHARS, Appeal, Case, Report
from moderation.subjects import Subject, locked_subject, subject_of
from plumbing.attempts import AttemptLimit
from screening.screen import Verdict, storyboard_texts

# A reporter may file this many reports an hour (over all subjects).
REPORTS_PER_HOUR = AttemptLimit("moderation-report", attempts=10, window_seconds=3600)
APPEALABLE = (CaseState.REMOVED,)


class ReportRefused(Exception):
    def __init__(self, field: str, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.retry_after = retry_after  # seconds, when the reporter sent too many


class AppealRefused(Exception):
    pass


def excerpt_of(fields: dict[str, str]) -> str:
    """The screened texts as one block a moderator reads: `field: text` per non-empty field."""
    lines = [f"{name}: {text}" for name, text in fields.items() if text]
    return "\n".join(lines)[:MAX_EXCERPT_CHARS]


def matched_of(verdict: Verdict) -> list[dict]:
    return [
        {
            "field": hit.field,
            "term": hit.match.term.text,
            "found": hit.match.found,
            "category": hit.match.term.category,
            "severity": hit.match.term.severity,
        }
        for hit in verdict.hits
    ]


def _open(subject: Subject, source: str, category: str, state: str = CaseState.OPEN, **fields):
    return Case.objects.create(
        subject_kind=subject.kind,
        owner=subject.owner,
        subject_label=subject.label[:200],
        source=source,
        category=category,
        state=state,
        **subject.keys,
        **fields,
    )


def hold_for_review(job, verdict: Verdict, fields: dict[str, str]) -> Case:
    """A generation whose text matched review terms waits (held) for a moderator."""
    return _open(
        subject_of(SubjectKind.JOB, job),
        Source.SCREENING,
        verdict.category,
        excerpt=excerpt_of(fields),
        matched=matched_of(verdict),
    )


def record_refused_generation(user, sequence, verdict: Verdict, fields: dict[str, str]) -> Case:
    """A generation refused by a block term, kept so a user's pattern shows (no job exists)."""
    subject = Subject(
        SubjectKind.JOB,
        None,
        user,
        f"Refused generation of “{sequence.project.title}”, sequence {sequence.position + 1}",
        {"project": sequence.project},
    )
    return _open(
        subject,
        Source.SCREENING,
        verdict.category,
        CaseState.REFUSED,
        excerpt=excerpt_of(fields),
        matched=matched_of(verdict),
    )


def record_provider_refusal(job, provider_said: str) -> Case:
    """The provider refused the job on content grounds: a record linked to the job, with what
    the provider said (Kling gives its code and a reason)."""
    fields = storyboard_texts(job.storyboard)
    return _open(
        subject_of(SubjectKind.JOB, job),
        Source.PROVIDER,
        Category.OTHER,
        CaseState.REFUSED,
        excerpt=excerpt_of({"provider": provider_said, **fields}),
    )


WITHDRAWN = "The generation was canceled before a moderator decided."


def withdraw_held(job_ids) -> int:
    """Held generations canceled before a decision (by their owner, or with their sequence):
    their cases leave the queue, as nothing is left to approve or reject."""
    now = timezone.now()
    return Case.objects.filter(
        subject_kind=SubjectKind.JOB, job_id__in=list(job_ids), state=CaseState.OPEN
    ).update(state=CaseState.DISMISSED, decided_at=now, decision_reason=WITHDRAWN, updated_at=now)


def hold_element_for_review(element, verdict: Verdict, fields: dict[str, str]) -> Case:
    """An element whose name or description matched review terms: saved, and put to a
    moderator (folded into its open case if it has one)."""
    subject = subject_of(SubjectKind.ELEMENT, element)
    case = Case.objects.filter(
        subject_kind=SubjectKind.ELEMENT, element=element, state=CaseState.OPEN
    ).first()
    if case is not None:
        Case.objects.filter(pk=case.pk).update(
            excerpt=excerpt_of(fields), matched=matched_of(verdict)
        )
        return case
    return _open(
        subject,
        Source.SCREENING,
        verdict.category,
        excerpt=excerpt_of(fields),
        matched=matched_of(verdict),
    )


def _report_excerpt(subject: Subject) -> str:
    obj = subject.obj
    if subject.kind == SubjectKind.TAKE:
        return excerpt_of(storyboard_texts(obj.job.storyboard))
    if subject.kind == SubjectKind.ELEMENT:
        return excerpt_of({"handle": obj.handle, "description": obj.description})
    return excerpt_of({"title": obj.title})


def file_report(reporter, kind: str, subject_id: int, category: str, reason: str):
    """Report a subject the reporter may see (the caller checked that): `(case, new)`, where
    a second report by the same person is folded in and not new. Raises ReportRefused."""
    if category not in Category.values:
        raise ReportRefused("category", f"Choose one of: {', '.join(Category.values)}.")
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise ReportRefused("reason", f"At most {MAX_REASON_CHARS} characters.")
    wait = REPORTS_PER_HOUR.spend(f"user:{reporter.pk}")
    if wait:
        raise ReportRefused(
            "detail", f"You have sent many reports: try again in {wait // 60 + 1} minutes.", wait
        )
    with transaction.atomic():
        # The subject's lock makes concurrent reports find (or make) the same open case.
        obj = locked_subject(kind, subject_id)
        if obj is None:
            raise ReportRefused(kind, "It no longer exists.")
        subject = subject_of(kind, obj)
        case = Case.objects.filter(
            subject_kind=kind, state=CaseState.OPEN, **{kind: obj}
        ).first() or _open(subject, Source.REPORT, category, excerpt=_report_excerpt(subject))
        try:
            with transaction.atomic():
                Report.objects.create(
                    case=case, reporter=reporter, category=category, reason=reason
                )
        except IntegrityError:
            return case, False
        Case.objects.filter(pk=case.pk).update(reports_count=F("reports_count") + 1)
        case.reports_count += 1
    return case, True


def can_appeal(case: Case) -> bool:
    """A takedown may be appealed once."""
    return case.state in APPEALABLE and not case.appealed


def appeal(user, case: Case, text: str) -> Case:
    """The owner contests a takedown: the case opens again for a moderator, with the appeal."""
    text = text.strip()[:MAX_REASON_CHARS]
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state == CaseState.OPEN:
            raise AppealRefused("This case is already open: a moderator will look at it.")
        if case.state not in APPEALABLE:
            raise AppealRefused("Only a takedown can be appealed.")
        if case.appealed:
            raise AppealRefused("This takedown was appealed once and the appeal was refused.")
        # A report since the takedown may have opened another case on the subject: the
        # appeal joins it (one open case per subject).
        target = (
            Case.objects.filter(
                subject_kind=case.subject_kind, state=CaseState.OPEN, **_subject_key(case)
            ).first()
            or case
        )
        Case.objects.filter(pk=target.pk).update(state=CaseState.OPEN, appealed=True)
        Appeal.objects.create(case=target, user=user, text=text)
    target.refresh_from_db()
    return target


def _subject_key(case: Case) -> dict:
    field = case.subject_kind
    return {f"{field}_id": getattr(case, f"{field}_id")}
