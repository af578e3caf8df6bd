"""What the matchmaking admin pages share: who counts as an officer, read-only rows."""

from __future__ import annotations


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
