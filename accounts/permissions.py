"""DRF permissions of the account and officer endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.selectors import is_officer

__all__ = ["IsOfficer", "is_officer"]


class IsOfficer(permissions.BasePermission):
    message = _("Only trade-promotion officers may do this.")

    def has_permission(self, request, view):
        return is_officer(request.user)
