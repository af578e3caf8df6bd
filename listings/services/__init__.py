"""Writes to listings and the rules they check (``from listings import services``)."""

from core.actors import SYSTEM
from listings.services.rules import (
    EDITABLE_FIELDS,
    FIXED_FIELDS,
    TRANSITIONS,
    IllegalStatusChange,
    check_change,
    may_edit,
    next_statuses,
)
from listings.services.writes import (
    listing_check_create,
    listing_check_update,
    listing_create,
    listing_delete,
    listing_hide,
    listing_set_status,
    listing_update,
    listings_expire,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FIXED_FIELDS",
    "SYSTEM",
    "TRANSITIONS",
    "IllegalStatusChange",
    "check_change",
    "listing_check_create",
    "listing_check_update",
    "listing_create",
    "listing_delete",
    "listing_hide",
    "listing_set_status",
    "listing_update",
    "listings_expire",
    "may_edit",
    "next_statuses",
]
