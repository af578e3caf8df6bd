"""Reads other apps' pages ask of matchmaking (through ``matchmaking_tags``)."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Organization
from accounts.selectors import organization_ids_of
from matchmaking.models import Match


def contacts_open(user, organization: Organization) -> bool:
    """The rule of the match pages, for the public pages that show an organization (its
    listings, its profile): its members see its contacts, and so does anyone whose
    organization has a connected match with it (both sides accepted). Officers read contacts
    in the admin and on the matches themselves, not on public pages."""
    if user is None or not user.is_authenticated:
        return False
    mine = organization_ids_of(user)
    if organization.pk in mine:
        return True
    if not mine:
        return False
    return (
        Match.objects.filter(status=Match.Status.CONNECTED)
        .filter(
            Q(supply__organization=organization, demand__organization__in=mine)
            | Q(demand__organization=organization, supply__organization__in=mine)
        )
        .exists()
    )
