"""What the matchmaking admin pages share: who counts as an officer, read-only rows and
inlines."""

from __future__ import annotations

from django.contrib import admin


def is_officer(request) -> bool:
    return bool(getattr(request.user, "is_officer", False))


class ReadOnlyAdminMixin:
    """Rows written only by services: officers look, never edit or delete here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ListedInline(admin.TabularInline):
    """Rows shown on their parent's page as they are: none added or deleted there (subclasses
    name ``readonly_fields = fields``)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ListedInline):
    """Listed rows that are not changed there either (the "View" link, not "Change")."""

    def has_change_permission(self, request, obj=None):
        return False
