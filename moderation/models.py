"""Moderation's records: blocked terms, cases (one per subject under review) with the reports
and appeals folded into them, the notices owners receive, users' standing, and the audit trail
that nobody can change."""

from django.conf import settings
from django.db import models

from moderation.choices import (
    AuditAction,
    CaseState,
    Category,
    Severity,
    Source,
    SubjectKind,
    TermLanguage,
)

MAX_TERM_CHARS = 100
MAX_REASON_CHARS = 1000
MAX_EXCERPT_CHARS = 20_000
MAX_LABEL_CHARS = 200

User = settings.AUTH_USER_MODEL


class BlockedTerm(models.Model):
    text = models.CharField(max_length=MAX_TERM_CHARS)
    language = models.CharField(
        max_length=2, choices=TermLanguage.choices, blank=True, default=TermLanguage.ANY
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    severity = models.CharField(max_length=6, choices=Severity.choices, default=Severity.BLOCK)
    note = models.CharField(max_length=200, blank=True, help_text="Why it is on the list.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["text", "id"]
        constraints = [
            models.UniqueConstraint(fields=["text", "language"], name="one_blocked_term_per_text")
        ]

    def __str__(self) -> str:
        return self.text


class Case(models.Model):
    """Everything about one subject under review: opened by screening, a provider's refusal or
    reports (duplicates fold into the open case), decided by a moderator, reopened by an appeal."""

    subject_kind = models.CharField(max_length=8, choices=SubjectKind.choices)
    job = models.ForeignKey(
        "jobs.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    take = models.ForeignKey(
        "jobs.Take", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    element = models.ForeignKey(
        "elements_app.Element", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        "storyboard_app.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Whose content it is: the job's author, the element's library owner, the project's owner.
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_cases"
    )
    # What the subject was called when the case opened (kept if the subject is deleted).
    subject_label = models.CharField(max_length=MAX_LABEL_CHARS)
    source = models.CharField(max_length=10, choices=Source.choices)
    category = models.CharField(max_length=12, choices=Category.choices)
    state = models.CharField(max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    # The text that was screened (or reported), and the terms found in it.
    excerpt = models.TextField(blank=True)
    matched = models.JSONField(default=list, blank=True)
    reports_count = models.PositiveIntegerField(default=0)
    appealed = models.BooleanField(default=False)
    decision_reason = models.CharField(max_length=MAX_REASON_CHARS, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-opened_at"], name="case_queue"),
            models.Index(fields=["owner", "-opened_at"], name="case_owner_history"),
        ]
        constraints = [
            # Reports about a subject with an open case join it rather than open another.
            models.UniqueConstraint(
                fields=["subject_kind", "take"],
                condition=models.Q(state=CaseState.OPEN, take__isnull=False),
                name="one_open_case_per_take",
            ),
            models.UniqueConstraint(
                fields=["subject_kind", "element"],
                condition=models.Q(state=CaseState.OPEN, element__isnull=False),
                name="one_open_case_per_element",
            ),
            models.UniqueConstraint(
                fields=["subject_kind", "project"],
                condition=models.Q(state=CaseState.OPEN, subject_kind=SubjectKind.PROJECT),
                name="one_open_case_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.subject_label}"


class Report(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="moderation_reports"
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    reason = models.CharField(max_length=MAX_REASON_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_reporter")
        ]

    def __str__(self) -> str:
        return f"Report by {self.reporter} on case {self.case_id}"


class Appeal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=MAX_REASON_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Appeal on case {self.case_id}"


class Notice(models.Model):
    """What an owner is told about a decision on their content (shown on their notices page)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="moderation_notices")
    # None for a notice about the user rather than one case (a warning from their standing).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    message = models.CharField(max_length=MAX_REASON_CHARS + 200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="unread_notices_of_user")]

    def __str__(self) -> str:
        return f"Notice to {self.user}: {self.message[:40]}"


class Standing(models.Model):
    """A user's standing with the moderators: warnings, and a suspension while it lasts."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="standing")
    warnings = models.PositiveIntegerField(default=0)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=MAX_REASON_CHARS, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {'suspended' if self.suspended_at else 'in good standing'}"


class AuditEntry(models.Model):
    """One moderation action: written once, never changed (save refuses, the admin is read-only).

    Names are copied beside the keys, so the row still says who and what after a deletion."""

    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=12, choices=AuditAction.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    target_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_audit"
    )
    target_user_name = models.CharField(max_length=150, blank=True)
    subject_kind = models.CharField(max_length=12, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=MAX_LABEL_CHARS, blank=True)
    reason = models.CharField(max_length=MAX_REASON_CHARS, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_user", "-created_at"], name="audit_of_user"),
            models.Index(fields=["subject_kind", "subject_id"], name="audit_of_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.get_action_display()} {self.subject_label}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries are written once and never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are never deleted.")
