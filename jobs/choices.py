"""The fixed vocabularies of generation: providers, job states and credit ledger kinds."""

from django.db import models


class Provider(models.TextChoices):
    ANIMATIC = "animatic", "Animatic (built in, free)"
    KLING = "kling", "Kling 3.0"
    # A provider that answers at once with a stock clip: for measuring the pipeline alone
    # (bench/), offered only when JOBS_INSTANT_PROVIDER is set.
    INSTANT = "instant", "Instant (benchmarks only)"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    HELD = "held", "Waiting for review"
    SUBMITTED = "submitted", "Submitted"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


ACTIVE_STATES = (JobState.QUEUED, JobState.HELD, JobState.SUBMITTED, JobState.RUNNING)
FINAL_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELED)


class LedgerKind(models.TextChoices):
    GRANT = "grant", "Grant"
    RESERVE = "reserve", "Reserved for a job"
    SETTLE = "settle", "Charged for a finished job"
    REFUND = "refund", "Refunded"
