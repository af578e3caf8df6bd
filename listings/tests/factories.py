"""Listings for tests, created through the service so that derived fields are right."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from catalog.models import Unit
from listings import services
from listings.models import Listing


def make_listing(*, organization, reference, certifications=(), **overrides) -> Listing:
    today = timezone.localdate()
    side = overrides.pop("side", Listing.Side.SUPPLY)
    fields = {
        "title": "Cà phê Robusta nhân xô",
        "description": "Cà phê vối Buôn Ma Thuột, vụ mới.",
        "category": reference.robusta,
        "quantity": Decimal("20"),
        "unit": Unit.objects.get(code="tonne"),
        "province": organization.province,
        "available_from": today,
        "available_until": today + datetime.timedelta(days=60),
        "status": Listing.Status.OPEN,
    }
    fields.update(overrides)
    return services.listing_create(
        organization=organization, side=side, certifications=list(certifications), **fields
    )


def listing_payload(organization, /, **overrides) -> dict:
    """A valid POST body for /api/v1/listings/."""
    today = timezone.localdate()
    body = {
        "side": "supply",
        "organization": organization.pk,
        "title": "Cà phê Robusta nhân xô",
        "description": "Cà phê vối, vụ mới.",
        "category": "robusta",
        "quantity": "20",
        "unit": "tonne",
        "price_min": 95000,
        "price_max": 105000,
        "province": "66",
        "available_from": today.isoformat(),
        "available_until": (today + datetime.timedelta(days=60)).isoformat(),
        "certifications": ["vietgap"],
    }
    body.update(overrides)
    return body
