"""Generation jobs, their takes, and each user's credits with the ledger that explains them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jobs.choices import JobState, LedgerKind, Provider
from storyboard_app.models import Project, Sequence

MAX_IDEMPOTENCY_KEY_CHARS = 200
MAX_ERROR_MESSAGE_CHARS = 1000
MAX_REMOVED_REASON_CHARS = 1000


class GenerationJob(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_jobs"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    # The compiled provider request, frozen when the job was made: later edits never change it.
    request = models.JSONField()
    # The storyboard the request was compiled from (sequence settings and shots), so a take
    # can be generated again from exactly these settings.
    storyboard = models.JSONField()
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.FloatField(default=0)
    # Fence token: every task carries the step it expects and claims the job by moving it on
    # with a conditional UPDATE, so a duplicated or redelivered task finds nothing to do.
    step = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    external_task_id = models.CharField(max_length=64, unique=True)
    provider_task_id = models.CharField(max_length=128, blank=True)
    # Adapter-private progress while a submission is prepared (e.g. elements being registered).
    provider_state = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=MAX_IDEMPOTENCY_KEY_CHARS, blank=True)
    cost = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=MAX_ERROR_MESSAGE_CHARS, blank=True)
    content_refused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job last entered the queue: its making, or a moderator's release of a held job.
    # The give-up clock runs from here, so time spent waiting for review does not count.
    queued_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life of the task that owns the job; the reaper resumes or fails jobs whose
    # heartbeat stopped.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat"),
            models.Index(fields=["created_by", "state"], name="job_user_state"),
            models.Index(fields=["sequence", "-created_at"], name="job_sequence_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_job_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="job_progress_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.provider}, {self.state})"


def take_upload_path(instance: "Take", filename: str) -> str:
    return f"private/projects/{instance.project_id}/takes/{instance.job_id}/{filename}"


class Take(models.Model):
    job = models.OneToOneField(GenerationJob, on_delete=models.CASCADE, related_name="take")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="takes")
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="takes")
    video = models.FileField(upload_to=take_upload_path, max_length=300)
    poster = models.FileField(upload_to=take_upload_path, max_length=300, blank=True)
    duration = models.FloatField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    has_audio = models.BooleanField()
    size_bytes = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64)
    # One small picture per shot (storage names), for the take list and the exports.
    shot_thumbnails = models.JSONField(default=list, blank=True)
    chosen = models.BooleanField(default=False)
    # Taken down by a moderator: its files are served to no one (see moderation/).
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=MAX_REMOVED_REASON_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence"], condition=models.Q(chosen=True), name="one_chosen_take"
            )
        ]

    def __str__(self) -> str:
        return f"Take {self.pk} of {self.sequence}"


class CreditAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_account"
    )
    balance = models.IntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="balance_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.balance} credits"


class LedgerEntry(models.Model):
    """One movement of credits; the balance is always the sum of an account's entries."""

    account = models.ForeignKey(CreditAccount, on_delete=models.CASCADE, related_name="entries")
    job = models.ForeignKey(
        GenerationJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger"
    )
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    amount = models.IntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A job is reserved, settled or refunded at most once, whatever a task does twice.
            models.UniqueConstraint(
                fields=["job", "kind"], condition=models.Q(job__isnull=False), name="once_per_job"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+d}"


class RemoteElement(models.Model):
    """An element registered with a provider, for the images it had then (`content_hash`)."""

    element = models.ForeignKey(
        "elements_app.Element", on_delete=models.CASCADE, related_name="remote_ids"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    content_hash = models.CharField(max_length=64)
    remote_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["element", "provider", "content_hash"], name="one_remote_id_per_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.element} at {self.provider}: {self.remote_id}"
