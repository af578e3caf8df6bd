"""Listing changes, announced for whoever listens (matchmaking does).

Sent inside the service's transaction; receivers that start work must defer it with
``transaction.on_commit`` so nothing runs for a listing that was rolled back.
``listings`` never imports ``matchmaking``: the dependency runs the other way.
"""

from django.dispatch import Signal

# kwargs: listing (Listing), created (bool), previous_status (str | None)
listing_changed = Signal()
