"""Reads about users and the organizations they act for.

"Which organizations does this user belong to?" is asked on almost every request (listing
visibility, match visibility, contact rules); it has one answer, here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership, Organization


def member_organization_ids(user) -> QuerySet:
    """The ids of the user's organizations as a subquery (``organization_id__in=…``).

    A subquery, not a join: a join repeats a row once per member of its organization.
    """
    if user is None or not user.is_authenticated:
        return Membership.objects.none().values("organization_id")
    return Membership.objects.filter(user=user).values("organization_id")


def member_organizations(user) -> QuerySet:
    """The user's organizations (no duplicates: a subquery, not a join)."""
    return Organization.objects.filter(pk__in=member_organization_ids(user))


def organization_ids_of(user) -> frozenset[int]:
    """The ids of the user's organizations, read once and kept on the user for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        cached = frozenset(member_organization_ids(user).values_list("organization_id", flat=True))
        user._organization_ids = cached
    return cached


def is_officer(user) -> bool:
    """A trade-promotion officer: an active staff member of the officers' group, or a
    superuser (``User.is_officer``)."""
    return bool(user is not None and user.is_authenticated and user.is_officer)


def is_member(user, organization) -> bool:
    """Whether the user belongs to the organization (a fresh read, not the cached set)."""
    if user is None or not user.is_authenticated:
        return False
    return organization.has_member(user)
