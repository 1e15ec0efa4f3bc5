"""The fixed vocabularies of moderation: categories, severities, case sources and states,
the kinds of subject a case is about, and the actions the audit trail records."""

from django.db import models


class Category(models.TextChoices):
    SEXUAL = "sexual", "Sexual content"
    MINORS = "minors", "Sexualisation of minors"
    VIOLENCE = "violence", "Graphic violence"
    HATE = "hate", "Hate speech"
    HARASSMENT = "harassment", "Harassment"
    SELF_HARM = "self_harm", "Self-harm"
    ILLEGAL = "illegal", "Illegal goods or acts"
    EXTREMISM = "extremism", "Violent extremism"
    LIKENESS = "likeness", "Real person's likeness"
    COPYRIGHT = "copyright", "Copyright or trademark"
    SPAM = "spam", "Spam or scam"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    BLOCK = "block", "Block (refuse at once)"
    REVIEW = "review", "Review (hold for a moderator)"


class TermLanguage(models.TextChoices):
    ANY = "", "Any language"
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    CHINESE = "zh", "Chinese"
    JAPANESE = "ja", "Japanese"
    KOREAN = "ko", "Korean"


class Source(models.TextChoices):
    SCREENING = "screening", "Screening"
    PROVIDER = "provider", "Provider refusal"
    REPORT = "report", "Report"


class SubjectKind(models.TextChoices):
    JOB = "job", "Generation request"
    TAKE = "take", "Take"
    ELEMENT = "element", "Element"
    PROJECT = "project", "Project"


class CaseState(models.TextChoices):
    OPEN = "open", "Open"
    # Refused automatically (a blocked term, a provider's refusal): a record for patterns.
    REFUSED = "refused", "Refused automatically"
    DISMISSED = "dismissed", "Dismissed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    REMOVED = "removed", "Taken down"
    RESTORED = "restored", "Restored"


class AuditAction(models.TextChoices):
    APPROVE = "approve", "Approved a held generation"
    REJECT = "reject", "Rejected a held generation"
    DISMISS = "dismiss", "Dismissed a case"
    TAKE_DOWN = "take_down", "Took down"
    RESTORE = "restore", "Restored"
    UPHOLD = "uphold", "Upheld a takedown on appeal"
    WARN = "warn", "Warned a user"
    SUSPEND = "suspend", "Suspended a user"
    LIFT = "lift", "Lifted a suspension"
    ADD_TERM = "add_term", "Added a blocked term"
    CHANGE_TERM = "change_term", "Changed a blocked term"
    DELETE_TERM = "delete_term", "Deleted a blocked term"
