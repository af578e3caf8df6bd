"""When each listing was last matched (``ListingMatchState``), and which open listings are due.

Matchmaking's own state about a listing, not a ``Listing`` column: the single-listing task and
the full re-match mark what they covered; the sweep matches open listings never matched, or
changed since (saved while the broker was unreachable).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from listings.models import Listing
from matchmaking.models import ListingMatchState


def mark_matched(listings) -> None:
    """Remember that these listings (ids, or a queryset of listings) were matched now; the
    sweep leaves them alone until they change. One ``INSERT … SELECT … ON CONFLICT``."""
    if not isinstance(listings, QuerySet):
        listings = Listing.objects.filter(pk__in=list(listings))
    select, params = listings.order_by().values("pk").query.sql_with_params()
    table = ListingMatchState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (listing_id, matched_at) "
            f"SELECT c.pk, %s FROM ({select}) AS c WHERE true "
            "ON CONFLICT (listing_id) DO UPDATE SET matched_at = excluded.matched_at",
            [timezone.now(), *params],
        )


def unmatched_listings():
    """Open listings never matched, or changed since they last were."""
    return Listing.objects.filter(status=Listing.Status.OPEN, hidden=False).filter(
        Q(match_state__isnull=True) | Q(match_state__matched_at__lt=F("updated_at"))
    )
