"""Reads of matchmaking: what a user may see, the inbox, how a listing's proposals went."""

from __future__ import annotations

from django.db.models import Count

from listings.models import Listing
from matchmaking.models import Match

S = Match.Status


def decline_summary(listing: Listing) -> dict:
    """How the proposals of one listing went, and why the other side declined them."""
    matches = Match.objects.for_listing(listing.pk).filter(hidden=False)
    by_status = dict(matches.values_list("status").annotate(n=Count("pk")).order_by())
    other_side = Match.Side.DEMAND if listing.side == Listing.Side.SUPPLY else Match.Side.SUPPLY
    reasons = (
        matches.filter(status=S.DECLINED, declined_by_side=other_side)
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "decline_reason")
    )
    by_reason = [
        {
            "reason": row["decline_reason"],
            "label": Match.DeclineReason(row["decline_reason"]).label
            if row["decline_reason"] in Match.DeclineReason.values
            else row["decline_reason"],
            "count": row["n"],
        }
        for row in reasons
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "pending": sum(by_status.get(s, 0) for s in Match.PENDING_STATUSES),
        "connected": by_status.get(S.CONNECTED, 0),
        "declined_by_other_side": sum(r["count"] for r in by_reason),
        "declined_by_us": matches.filter(status=S.DECLINED, declined_by_side=listing.side).count(),
        "closed": by_status.get(S.EXPIRED, 0) + by_status.get(S.WITHDRAWN, 0),
        "reasons": by_reason,
        "notes": list(
            matches.filter(status=S.DECLINED, declined_by_side=other_side)
            .exclude(decline_note="")
            .order_by("-updated_at")
            .values_list("decline_note", flat=True)[:5]
        ),
    }
