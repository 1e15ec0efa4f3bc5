"""The moderation console in the Django admin, for the Moderators group only (moderation.access):
the blocked-term list, the review queue of cases with previews and decisions, users' standing,
and the audit trail, which nobody can change.

Pages are thin: decisions go through moderation_desk/actions.py; the case page's previews and
buttons are in moderation_desk/case_page.py.
"""

from datetime import timedelta

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from moderation import audit
from moderation.access import is_moderator
from moderation.choices import AuditAction, CaseState
from moderation.models import AuditEntry, BlockedTerm, Case, Standing
from moderation_desk import case_page
from plumbing.admin_views import ReadOnlyAdmin


class ModeratorsOnly(ReadOnlyAdmin):
    """Read-only, and visible to moderators only: no other staff user sees it, superusers
    included unless they are in the group."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_moderator(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_moderator(request.user)


@admin.register(BlockedTerm)
class BlockedTermAdmin(ModeratorsOnly):
    list_display = ["text", "language", "category", "severity", "note", "updated_at"]
    list_filter = ["severity", "category", "language"]
    search_fields = ["text", "note"]
    fields = ["text", "language", "category", "severity", "note"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_moderator(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_moderator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_moderator(request.user)

    @staticmethod
    def _row(term: BlockedTerm) -> dict:
        return {
            "text": term.text,
            "language": term.language,
            "category": term.category,
            "severity": term.severity,
        }

    def save_model(self, request, obj: BlockedTerm, form, change: bool) -> None:
        before = self._row(BlockedTerm.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        action = AuditAction.CHANGE_TERM if change else AuditAction.ADD_TERM
        audit.write(
            request.user,
            action,
            subject_kind="term",
            subject_id=obj.pk,
            subject_label=obj.text,
            before=before,
            after=self._row(obj),
        )

    def delete_model(self, request, obj: BlockedTerm) -> None:
        self._audit_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for term in queryset:
            self._audit_deletion(request, term)
        super().delete_queryset(request, queryset)

    def _audit_deletion(self, request, term: BlockedTerm) -> None:
        audit.write(
            request.user,
            AuditAction.DELETE_TERM,
            subject_kind="term",
            subject_id=term.pk,
            subject_label=term.text,
            before=self._row(term),
        )


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"
    AGES = {
        "hour": ("Last hour", timedelta(hours=1)),
        "day": ("Last 24 hours", timedelta(days=1)),
        "week": ("Last 7 days", timedelta(days=7)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.AGES.items()] + [
            ("older", "Older than 7 days")
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() in self.AGES:
            return queryset.filter(opened_at__gte=now - self.AGES[self.value()][1])
        if self.value() == "older":
            return queryset.filter(opened_at__lt=now - self.AGES["week"][1])
        return queryset


class StateFilter(admin.SimpleListFilter):
    """The queue opens on the open cases; "All states" is a choice of its own (Django's
    plain "All" would be the default, open)."""

    title = "state"
    parameter_name = "state__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*CaseState.choices, (self.ALL, "All states")]

    def choices(self, changelist):
        current = self.value() or CaseState.OPEN
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or CaseState.OPEN
        return queryset if value == self.ALL else queryset.filter(state=value)


@admin.register(Case)
class CaseAdmin(ModeratorsOnly):
    list_display = [
        "id",
        "subject_label",
        "subject_kind",
        "source",
        "category",
        "state",
        "reports_count",
        "appealed",
        "owner_history",
        "opened_at",
    ]
    list_filter = [StateFilter, "category", "source", AgeFilter, "subject_kind", "appealed"]
    search_fields = ["subject_label", "owner__username", "excerpt"]
    list_select_related = ["owner"]
    date_hierarchy = "opened_at"
    change_form_template = "admin/moderation/case/change_form.html"

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        # The owner's history is one click away (owner column, case page).
        return lookup == "owner__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="owner")
    def owner_history(self, case: Case) -> str:
        if case.owner_id is None:
            return "—"
        url = (
            reverse("admin:moderation_case_changelist")
            + f"?state__exact=all&owner__id__exact={case.owner_id}"
        )
        return format_html('<a href="{}">{}</a>', url, case.owner.username)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:case_id>/decide/", wrap(case_page.decide), name="moderation_case_decide"),
            path(
                "<int:case_id>/media/<str:name>/",
                wrap(case_page.case_media),
                name="moderation_case_media",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        case = self.get_object(request, object_id)
        if case is not None and is_moderator(request.user):
            context.update(case_page.context(case))
        return super().change_view(request, object_id, form_url, extra_context=context)


@admin.register(Standing)
class StandingAdmin(ModeratorsOnly):
    list_display = ["user", "warnings", "suspended_at", "suspension_reason", "history"]
    list_filter = [("suspended_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    change_form_template = "admin/moderation/standing/change_form.html"

    @admin.display(description="history")
    def history(self, standing: Standing) -> str:
        url = reverse("admin:moderation_auditentry_changelist")
        return format_html(
            '<a href="{}?target_user__id__exact={}">audit</a>', url, standing.user_id
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "user/<int:user_id>/decide/",
                wrap(case_page.decide_about_user),
                name="moderation_user_decide",
            ),
            *super().get_urls(),
        ]


@admin.register(AuditEntry)
class AuditEntryAdmin(ModeratorsOnly):
    """Read-only for everyone: no add, change or delete, and no bulk actions."""

    list_display = [
        "created_at",
        "actor_name",
        "action",
        "subject_label",
        "target_user_name",
        "reason",
    ]
    list_filter = ["action", "subject_kind", "created_at"]
    search_fields = ["actor_name", "target_user_name", "subject_label", "reason"]
    date_hierarchy = "created_at"
    actions = None
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    HISTORY_LOOKUPS = ("target_user__id__exact", "subject_kind__exact", "subject_id__exact")

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        # A user's or an object's history is a link from the case and standing pages.
        return lookup in self.HISTORY_LOOKUPS or super().lookup_allowed(lookup, value, request)
