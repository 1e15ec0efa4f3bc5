"""Jobs, takes and credits in the Django admin: filters by state and provider, and the actions
an operator needs (cancel with refund, resume a stuck job, generate a failed one again)."""

from django.contrib import admin, messages
from django.db.models import QuerySet

from jobs import actions, credits
from jobs.choices import FINAL_STATES, JobState
from jobs.models import CreditAccount, GenerationJob, LedgerEntry, Take


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "project",
        "sequence",
        "created_by",
        "provider",
        "state",
        "progress",
        "attempts",
        "cost",
        "error_code",
        "created_at",
    ]
    list_filter = ["state", "provider", "content_refused", "created_at"]
    search_fields = ["external_task_id", "provider_task_id", "created_by__username"]
    list_select_related = ["project", "sequence", "created_by"]
    date_hierarchy = "created_at"
    actions = ["cancel_jobs", "resume_jobs", "generate_again"]
    # A job is changed only through its actions, never by hand.
    readonly_fields = [field.name for field in GenerationJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Cancel the selected jobs (and refund them)", permissions=["change"])
    def cancel_jobs(self, request, queryset: QuerySet[GenerationJob]) -> None:
        canceled = 0
        for job in queryset.exclude(state__in=FINAL_STATES):
            try:
                actions.cancel_job(job)
                canceled += 1
            except actions.JobFinished:
                pass
        self.message_user(request, f"{canceled} job(s) canceled and refunded.")

    @admin.action(description="Resume the selected jobs in flight now", permissions=["change"])
    def resume_jobs(self, request, queryset: QuerySet[GenerationJob]) -> None:
        resumed = sum(actions.resume_job(job) for job in queryset)
        self.message_user(request, f"{resumed} job(s) sent their next task.")

    @admin.action(
        description="Retry: generate the selected failed or canceled jobs again",
        permissions=["change"],
    )
    def generate_again(self, request, queryset: QuerySet[GenerationJob]) -> None:
        for job in queryset.filter(state__in=[JobState.FAILED, JobState.CANCELED]):
            try:
                actions.generate_again(job.created_by, job)
            except (actions.GenerationRefused, actions.TooManyJobs) as refused:
                self.message_user(request, f"Job {job.pk}: {refused}", messages.WARNING)
            except credits.NotEnoughCredits as short:
                self.message_user(request, f"Job {job.pk}: {short}", messages.WARNING)
            else:
                self.message_user(request, f"Job {job.pk} queued again.")


@admin.register(Take)
class TakeAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "sequence", "job", "duration", "width", "height", "chosen"]
    list_filter = ["chosen", "has_audio"]
    raw_id_fields = ["job", "project", "sequence"]
    readonly_fields = [field.name for field in Take._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


class LedgerInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "amount", "job", "note", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditAccount)
class CreditAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "balance"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "balance"]
    inlines = [LedgerInline]
    actions = ["grant_hundred"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Grant 100 credits", permissions=["change"])
    def grant_hundred(self, request, queryset: QuerySet[CreditAccount]) -> None:
        for account in queryset.select_related("user"):
            credits.grant(account.user, 100, f"Granted by {request.user.get_username()}")
        self.message_user(request, f"Granted 100 credits to {queryset.count()} account(s).")
