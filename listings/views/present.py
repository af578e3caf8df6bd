"""What the listing templates show beside a listing: formatted numbers and the actions the
viewer may take (derived from the service's rules, never from a table of their own)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.formatting import format_number, format_range
from listings import services
from listings.models import Listing

Status = Listing.Status

# The button that moves a listing to a status (opening a draft is publishing it).
ACTION_LABELS = {
    Status.OPEN: _("Reopen"),
    Status.PAUSED: _("Pause"),
    Status.CLOSED: _("Close"),
}
PUBLISH = _("Publish")


def actions(listing: Listing, user) -> list[tuple[str, str]]:
    """(status, button label) of each move ``user`` may make on ``listing``."""
    return [
        (status, PUBLISH if listing.status == Status.DRAFT else ACTION_LABELS[status])
        for status in services.next_statuses(listing, user)
    ]


def present(listing: Listing, user=None) -> Listing:
    """Add what the templates show: formatted numbers and, for ``user``, the quick actions."""
    listing.actions = actions(listing, user) if user is not None else []
    listing.editable = user is not None and services.may_edit(user, listing)
    listing.quantity_text = format_number(listing.quantity)
    listing.min_order_text = format_number(listing.min_order_quantity)
    listing.price_text = format_range(listing.price_min, listing.price_max)
    return listing
