"""Matchmaking listens for listing changes; listings never import matchmaking."""

from __future__ import annotations

from django.dispatch import receiver

from core.tasks import enqueue_on_commit
from listings.signals import listing_changed


@receiver(listing_changed, dispatch_uid="matchmaking.on_listing_changed")
def on_listing_changed(sender, listing, created, previous_status, **kwargs):
    """Match the listing once its transaction commits. If the broker is down the listing is
    still saved, and the periodic sweep (``sweep_unmatched``) matches it later."""
    enqueue_on_commit("matchmaking.tasks.match_listing", listing.pk)
