"""Matchmaking listens for listing changes; listings never import matchmaking."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from listings.signals import listing_changed

log = logging.getLogger(__name__)


@receiver(listing_changed, dispatch_uid="matchmaking.on_listing_changed")
def on_listing_changed(sender, listing, created, previous_status, **kwargs):
    listing_id = listing.pk
    transaction.on_commit(lambda: enqueue_match_listing(listing_id))


def enqueue_match_listing(listing_id: int) -> None:
    """Enqueue matching; if the broker is down the listing is still saved and the periodic
    sweep (``sweep_unmatched``) matches it once the broker is back."""
    from matchmaking import tasks

    try:
        tasks.match_listing.apply_async(args=[listing_id], retry=False)
    except Exception:  # the broker being unreachable must never fail a saved listing
        log.warning(
            "could not enqueue match_listing(%s); the sweep will pick it up",
            listing_id,
            exc_info=True,
        )
