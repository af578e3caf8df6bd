"""Reads of listings: what a user may see, loaded with what the API and pages show."""

from __future__ import annotations

from listings.models import Listing, ListingQuerySet


def listings_visible_to(user) -> ListingQuerySet:
    """Open listings for everyone; all of their organizations' for members; all for officers.

    Drafts, paused, closed, expired and hidden listings of others are simply absent (a
    request for one answers 404, not 403, so that their existence does not leak).
    """
    return (
        Listing.objects.visible_to(user)
        .select_related("organization__province", "category", "product", "unit", "province")
        .prefetch_related("certifications")
    )
