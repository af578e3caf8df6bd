from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_officer)


class IsOfficer(permissions.BasePermission):
    message = _("Only trade-promotion officers may do this.")

    def has_permission(self, request, view):
        return is_officer(request.user)


class IsOrganizationMemberOrReadOnly(permissions.BasePermission):
    """Members edit their organization; officers may too; everyone else only reads."""

    message = _("Only members of this organization may change it.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_officer(request.user) or obj.has_member(request.user)
