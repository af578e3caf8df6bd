"""Reads about users and the organizations they act for.

"Which organizations does this user belong to?" is asked on almost every request (listing
visibility, match visibility, contact rules); it has one answer, here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership


def member_organization_ids(user) -> QuerySet:
    """The ids of the user's organizations as a subquery (``organization_id__in=…``).

    A subquery, not a join: a join repeats a row once per member of its organization.
    """
    if user is None or not user.is_authenticated:
        return Membership.objects.none().values("organization_id")
    return Membership.objects.filter(user=user).values("organization_id")


def organization_ids_of(user) -> frozenset[int]:
    """The ids of the user's organizations, read once and kept on the user for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        cached = frozenset(member_organization_ids(user).values_list("organization_id", flat=True))
        user._organization_ids = cached
    return cached
