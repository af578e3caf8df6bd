"""Who may do what to a listing (reading is governed by ``selectors.listings_visible_to``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.permissions import is_officer


class ListingPermission(permissions.BasePermission):
    """Members of the listing's organization edit and delete it. Officers may close or hide
    anyone's listing (the view limits what an officer's PATCH may change)."""

    message = _("Only members of this listing's organization may change it.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "hide":
            return is_officer(request.user)
        if obj.organization.has_member(request.user):
            return True
        return view.action == "partial_update" and is_officer(request.user)


class IsOfficerToHide(permissions.BasePermission):
    message = _("Only trade-promotion officers may hide listings.")

    def has_permission(self, request, view):
        return is_officer(request.user)
