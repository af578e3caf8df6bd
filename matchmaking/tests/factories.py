"""Matches for tests: listings made through ``listings.services`` and a Match row per pair.

Until matching runs in a test, proposals are created directly here, as the matching service
would: status ``proposed``, a deadline ``respond_by`` and an explanation with both languages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
import pytest
from django.utils import timezone

from accounts.tests.factories import OrganizationFactory, member_of
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking.models import ConnectionEvent, EventSession, Match
from matchmaking.services.events import registration_create
from matchmaking.services.review import review_deadline


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Actors get hashed passwords; the real hasher costs ~0.25 s each. Import this fixture
    into a test module to use it there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# product, quantity, price, distance, programme, time, trust (the engine's FACTORS order)
SAMPLE_FACTORS = (0.85, 1.0, 1.0, 0.4, 1.0, 1.0, 0.55)


def sample_explanation() -> list[dict]:
    """Written reasons, as an officer introduction stores them."""
    return [
        {
            "factor": "product",
            "value": 1.0,
            "weight": 0.3,
            "detail": "Cùng loại sản phẩm: Cà phê Robusta",
            "detail_en": "Same product category: Robusta coffee",
        },
        {
            "factor": "quantity",
            "value": 0.8,
            "weight": 0.15,
            "detail": "Đáp ứng 80% số lượng cần mua",
            "detail_en": "Covers 80% of the quantity wanted",
        },
        {
            "factor": "programme",
            "value": 1.0,
            "weight": 0.1,
            "detail": "Chương trình hợp tác TP.HCM – Tây Nguyên",
            "detail_en": "HCMC – Central Highlands cooperation programme",
        },
    ]


class MatchFactory(factory.django.DjangoModelFactory):
    """Pass ``supply`` and ``demand`` listings (see :func:`supply_and_demand`)."""

    class Meta:
        model = Match

    # As the engine stores them: factor values only, worded when read.
    factors = factory.LazyFunction(lambda: list(SAMPLE_FACTORS))
    score = 0.86
    explanation = factory.LazyFunction(list)
    suggested_quantity = factory.LazyAttribute(
        lambda m: min(m.supply.quantity_base, m.demand.quantity_base)
    )
    status = Match.Status.PROPOSED
    respond_by = factory.LazyFunction(review_deadline)
    engine_version = "test"


def supply_listing(actors, reference, **overrides) -> Listing:
    fields = {
        "title": "Cà phê Robusta nhân xô Ea Tu",
        "province": reference.daklak,
        "price_min": 95000,
        "price_max": 105000,
    }
    fields.update(overrides)
    organization = fields.pop("organization", actors.supplier_org)
    return make_listing(organization=organization, reference=reference, **fields)


def demand_listing(actors, reference, **overrides) -> Listing:
    fields = {
        "side": Listing.Side.DEMAND,
        "title": "Cần mua cà phê Robusta cho chuỗi cửa hàng",
        "quantity": Decimal("15"),
        "province": reference.hcmc,
        "price_min": 90000,
        "price_max": 100000,
    }
    fields.update(overrides)
    organization = fields.pop("organization", actors.buyer_org)
    return make_listing(organization=organization, reference=reference, **fields)


def supply_and_demand_match(actors, reference, *, supply=None, demand=None, **fields) -> Match:
    """The supplier's supply matched with the buyer's demand, proposed."""
    return MatchFactory(
        supply=supply or supply_listing(actors, reference),
        demand=demand or demand_listing(actors, reference),
        **fields,
    )


def buyer_orgs(count: int, reference, *, prefix: str = "Siêu thị") -> list:
    """``count`` buyer organizations in HCMC, each with one member."""
    orgs = []
    for i in range(count):
        org = OrganizationFactory(
            name=f"{prefix} {i + 1}", kind="retailer", province=reference.hcmc
        )
        member_of(org)
        orgs.append(org)
    return orgs


# --- connection events -------------------------------------------------------------------------


def open_event(reference, *, sessions=2, tables=3, slot_minutes=20, **fields):
    """An open event tomorrow in HCMC with ``sessions`` sessions of one hour each."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    values = {
        "slug": f"event-{ConnectionEvent.objects.count() + 1}",
        "name": "Hội nghị kết nối cung cầu TP.HCM – Tây Nguyên",
        "name_en": "HCMC – Central Highlands supply–demand conference",
        "held_on": day,
        "place": reference.hcmc,
        "venue": "Trung tâm Hội chợ SECC",
        "status": ConnectionEvent.Status.OPEN,
        "tables": tables,
        "slot_minutes": slot_minutes,
    }
    values.update(fields)
    event = ConnectionEvent.objects.create(**values)
    event.provinces.set([reference.hcmc, reference.daklak])
    tz = timezone.get_current_timezone()
    for i in range(sessions):
        start = datetime.datetime.combine(day, datetime.time(8 + 2 * i), tzinfo=tz)
        EventSession.objects.create(
            event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
    return event


def register(event, organization, listings, sessions=(0,)):
    """A registration as the service makes it, by the organization's first member."""
    return registration_create(
        event=event,
        organization=organization,
        listings=list(listings),
        sessions=list(sessions),
        by_user=organization.members.first(),
    )
