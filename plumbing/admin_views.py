"""What the admin may do with project data: look, never write around the actions.

Every change to a project goes through its app's `actions.py` (locks, versions, approval,
events, activity); an admin form would write rows directly. So these admin pages are
read-only for every staff user, superusers included; changes the admin needs are admin
actions that call the actions (moderation builds its own on this).
"""

from django.contrib import admin
from django.http import HttpRequest


class _NoWrites:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyAdmin(_NoWrites, admin.ModelAdmin):
    pass


class ReadOnlyInline(_NoWrites, admin.TabularInline):
    extra = 0
