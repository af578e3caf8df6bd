"""Builders for matchmaking tests.

* Matches: listings made through ``listings.services`` and a Match row per pair. Until matching
  runs in a test, proposals are created directly here, as the matching service would: status
  ``proposed``, a deadline ``respond_by`` and an explanation with both languages.
* Engine records (no database): one supply and one demand as plain rows on the synthetic
  category tree and provinces, and the engine's context for them.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import factory
import numpy as np
from django.utils import timezone

from accounts.tests.factories import OrganizationFactory, member_of
from catalog.models import Unit
from listings import services as listing_services
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking.benchmarks.catalogue import build_catalogue
from matchmaking.benchmarks.geography import province_index
from matchmaking.benchmarks.market import build_context, cert_bit
from matchmaking.engine import ListingTable
from matchmaking.engine.records import MASS, Context
from matchmaking.engine.text import listing_text, signature
from matchmaking.models import ConnectionEvent, EventSession, Match
from matchmaking.services.events import registration_create
from matchmaking.services.facts import facts_for_pairs
from matchmaking.services.meetings import meeting_accept, meeting_request
from matchmaking.services.review import review_deadline
from matchmaking.services.scheduling import event_schedule

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
        skip_postgeneration_save = True

    # As the engine stores them: factor values and the facts of the pair, worded when read.
    factors = factory.LazyFunction(lambda: list(SAMPLE_FACTORS))
    score = 0.86
    explanation = factory.LazyFunction(list)
    suggested_quantity = factory.LazyAttribute(
        lambda m: min(m.supply.quantity_base, m.demand.quantity_base)
    )
    status = Match.Status.PROPOSED
    respond_by = factory.LazyFunction(review_deadline)
    engine_version = "test"

    @factory.post_generation
    def stored_facts(obj, create, extracted, **kwargs):
        """The facts a run would have stored with the pair (``facts`` given: kept)."""
        if not create or obj.facts or not obj.factors or extracted is False:
            return
        pair = (obj.supply_id, obj.demand_id)
        obj.facts = facts_for_pairs([pair]).get(pair, [])
        Match.objects.filter(pk=obj.pk).update(facts=obj.facts)


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


def _post(actors, reference, side: str, defaults: dict, extra: dict) -> Listing:
    """Post a listing for the supplier's or the buyer's organization, as that member."""
    fields = {**defaults, "status": Listing.Status.OPEN, **extra}
    certs = fields.pop("certifications", [reference.vietgap])
    supply = side == Listing.Side.SUPPLY
    return listing_services.listing_create(
        organization=actors.supplier_org if supply else actors.buyer_org,
        side=side,
        by_user=actors.supplier if supply else actors.buyer,
        certifications=certs,
        **fields,
    )


def matchable_supply(actors, reference, **extra) -> Listing:
    """20 t of VietGAP robusta from Đắk Lắk, open for 90 days, posted by the supplier: the
    engine proposes it to :func:`matchable_demand`."""
    today = timezone.localdate()
    defaults = {
        "title": "Cà phê Robusta Ea H'leo",
        "category": reference.robusta,
        "quantity": Decimal("20"),
        "unit": Unit.objects.get(code="tonne"),
        "province": reference.daklak,
        "available_from": today,
        "available_until": today + datetime.timedelta(days=90),
        "price_min": 45_000_000,
        "price_max": 50_000_000,
    }
    return _post(actors, reference, Listing.Side.SUPPLY, defaults, extra)


def matchable_demand(actors, reference, **extra) -> Listing:
    """The buyer's demand for 5,000 kg of coffee in HCMC (VietGAP required), from day 10 to
    day 60: it matches :func:`matchable_supply`."""
    today = timezone.localdate()
    defaults = {
        "title": "Cần mua cà phê nhân",
        "category": reference.coffee,
        "quantity": Decimal("5000"),
        "unit": Unit.objects.get(code="kg"),
        "province": reference.hcmc,
        "available_from": today + datetime.timedelta(days=10),
        "available_until": today + datetime.timedelta(days=60),
        "price_min": 40_000,
        "price_max": 52_000,
    }
    return _post(actors, reference, Listing.Side.DEMAND, defaults, extra)


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


def accepted_meeting(event, actors):
    """The supplier's meeting request to the buyer at ``event``, accepted by the buyer."""
    meeting = meeting_request(
        event=event,
        requester=actors.supplier_org,
        counterpart=actors.buyer_org,
        by_user=actors.supplier,
    )
    meeting_accept(meeting=meeting, by_user=actors.buyer)
    return meeting


def scheduled_meeting(event, actors, **schedule):
    """:func:`accepted_meeting`, then registration closed and the officer's schedule made
    (``schedule``: ``event_schedule``'s options); the meeting as scheduled."""
    meeting = accepted_meeting(event, actors)
    ConnectionEvent.objects.filter(pk=event.pk).update(status=ConnectionEvent.Status.CLOSED)
    event_schedule(event=event, by_user=actors.officer, **schedule)
    meeting.refresh_from_db()
    return meeting


# --- engine records (no database) -----------------------------------------------------------

CAT = build_catalogue()
TODAY = 740_000


def engine_context(**config) -> Context:
    """The synthetic tree's context on day ``TODAY``; ``config`` replaces ``Config`` fields."""
    ctx = build_context(CAT, today=TODAY)
    if config:
        ctx.config = dataclasses.replace(ctx.config, **config)
    return ctx


def supply_record(**over) -> dict:
    """A Robusta supply of 20 t from Đắk Lắk that passes every filter against the demand."""
    row = {
        "id": 1,
        "org": 10,
        "category": CAT.index("Robusta coffee"),
        "product": -1,
        "province": province_index("Đắk Lắk"),
        "dimension": MASS,
        "qty": 20_000.0,
        "min_order": 1_000.0,
        "price_min": 40_000.0,
        "price_max": 45_000.0,
        "start": TODAY - 10,
        "end": TODAY + 100,
        "certs": cert_bit("vietgap") | cert_bit("haccp"),
        "ocop": 4,
        "trust": 0.8,
        "name_sig": signature(listing_text("Cà phê Robusta Đắk Lắk", "Robusta coffee")),
        "open": True,
    }
    row.update(over)
    return row


def demand_record(**over) -> dict:
    """A demand for 20 t of green coffee in Hồ Chí Minh, asking for VietGAP and 3 stars."""
    row = {
        "id": 2,
        "org": 20,
        "category": CAT.index("Green coffee"),
        "product": -1,
        "province": province_index("Hồ Chí Minh"),
        "dimension": MASS,
        "qty": 20_000.0,
        "min_order": 5_000.0,
        "price_min": 42_000.0,
        "price_max": 48_000.0,
        "start": TODAY,
        "end": TODAY + 60,
        "certs": cert_bit("vietgap"),
        "ocop": 3,
        "trust": 0.7,
        "name_sig": signature(listing_text("Thu mua cà phê nhân", "Green coffee")),
        "open": True,
    }
    row.update(over)
    return row


def engine_pair(s_over=None, d_over=None, **config) -> tuple[ListingTable, ListingTable, Context]:
    """One supply and one demand as tables (with overrides), and their context."""
    supplies = ListingTable.from_records([supply_record(**(s_over or {}))])
    demands = ListingTable.from_records([demand_record(**(d_over or {}))])
    return supplies, demands, engine_context(**config)


def top_pairs(d_rows, s_rows, keys: tuple, k_demand: int, k_supply: int) -> set:
    """The (demand row, supply row) pairs in some demand's first ``k_demand`` or some supply's
    first ``k_supply``, ranked by ``np.lexsort(keys)`` (the last key sorts first)."""
    must = set()
    for rows, k in ((d_rows, k_demand), (s_rows, k_supply)):
        order = np.lexsort((*keys, rows))
        grouped = rows[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        top = order[rank < k]
        must |= set(zip(d_rows[top].tolist(), s_rows[top].tolist(), strict=True))
    return must
