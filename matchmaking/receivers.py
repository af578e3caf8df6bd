"""Matchmaking listens for listing changes; listings never import matchmaking."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from core.tasks import enqueue
from listings.signals import listing_changed


@receiver(listing_changed, dispatch_uid="matchmaking.on_listing_changed")
def on_listing_changed(sender, listing, created, previous_status, **kwargs):
    listing_id = listing.pk
    transaction.on_commit(lambda: enqueue_match_listing(listing_id))


def enqueue_match_listing(listing_id: int) -> None:
    """Enqueue matching; if the broker is down the listing is still saved and the periodic
    sweep (``sweep_unmatched``) matches it once the broker is back."""
    enqueue("matchmaking.tasks.match_listing", listing_id)
