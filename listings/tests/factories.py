"""Listings for tests, created through the service so that derived fields are right."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from catalog.models import Unit
from core.actors import SYSTEM
from listings import services
from listings.models import Listing


def make_listing(
    *, organization, reference, certifications=(), by_user=SYSTEM, **overrides
) -> Listing:
    """An open robusta supply of 20 t for ``organization`` (posted by the platform unless
    ``by_user`` says who)."""
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
        organization=organization,
        side=side,
        by_user=by_user,
        certifications=list(certifications),
        **fields,
    )


def posted_listing(actors, reference, *, by_user, organization=None, **overrides) -> Listing:
    """A 5 t robusta supply open for 30 days, posted by ``by_user`` for the supplier's
    organization (or ``organization``): the rules decide whether ``by_user`` may."""
    fields = {
        "title": "Cà phê nhân",
        "category": reference.robusta,
        "quantity": Decimal("5"),
        "unit": Unit.objects.get(code="tonne"),
        "province": reference.daklak,
        "available_from": timezone.localdate(),
        "available_until": timezone.localdate() + datetime.timedelta(days=30),
    }
    fields.update(overrides)
    return services.listing_create(
        organization=organization or actors.supplier_org, side="supply", by_user=by_user, **fields
    )


def coffee_listing(organization, reference, **overrides) -> Listing:
    """The supply the page tests show: "Cà phê Robusta Ea H'leo", 20 tấn at 95.000–110.000 ₫."""
    fields = {
        "title": "Cà phê Robusta Ea H'leo",
        "description": "",
        "price_min": 95_000,
        "price_max": 110_000,
    }
    fields.update(overrides)
    return make_listing(organization=organization, reference=reference, **fields)


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


def required_demand_payload(organization, /) -> dict:
    """A POST body for /api/v1/listings/ with only the required fields: 3 t of durian wanted in
    Hồ Chí Minh for 30 days (the unit written as the Vietnamese word)."""
    today = timezone.localdate()
    return {
        "side": "demand",
        "organization": organization.pk,
        "title": "Cần mua sầu riêng",
        "category": "durian",
        "quantity": "3",
        "unit": "tấn",
        "province": "79",
        "available_from": today.isoformat(),
        "available_until": (today + datetime.timedelta(days=30)).isoformat(),
    }


def listing_form_data(reference, organization, **overrides) -> dict:
    """A valid POST of the listing page's form (``/listings/new/``, ``…/edit/``)."""
    today = timezone.localdate()
    data = {
        "side": "supply",
        "organization": organization.pk,
        "title": "Cà phê Robusta Ea H'leo",
        "description": "Hạt xanh, sàng 16",
        "category": reference.robusta.pk,
        "product": "",
        "quantity": "20",
        "unit": "tonne",
        "min_order_quantity": "2",
        "price_min": "95000",
        "price_max": "110000",
        "province": "Phú Yên",  # a pre-2025 name: resolves to Đắk Lắk
        "available_from": today.isoformat(),
        "available_until": (today + datetime.timedelta(days=60)).isoformat(),
        "certifications": [reference.vietgap.pk],
        "ocop_stars": "4",
        "min_ocop_stars": "",
        "status": "open",
    }
    data.update(overrides)
    return data
