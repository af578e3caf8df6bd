"""A small market with every kind of outcome, and an oracle that counts its rows in Python.

The oracle reads every row and applies the filters' definitions one row at a time (no
aggregate query, no shared code with ``matchmaking.selectors_stats``), so the API's and the
dashboard's figures can be checked against it for each filter.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, member_of
from catalog.models import ProductCategory, Region, Source, Unit
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking.models import (
    ConnectionEvent,
    CooperationProgramme,
    Deal,
    Delivery,
    Match,
    Meeting,
    Registration,
)
from matchmaking.tests.factories import MatchFactory, open_event

NOW = timezone.now()
REMOTE = {"northern-midlands-mountains", "central-highlands"}
SMALL = {"producer", "cooperative"}


def _ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def build_world(actors, reference) -> SimpleNamespace:
    processor = OrganizationFactory(
        name="Công ty Chế biến Thủ Đức", kind=Organization.Kind.PROCESSOR, province=reference.hcmc
    )
    member_of(processor)
    coop, buyer, farm = actors.supplier_org, actors.buyer_org, actors.outsider_org
    tonne = Unit.objects.get(code="tonne")

    def listing(org, category, *, side="supply", days=0, **extra):
        item = make_listing(organization=org, reference=reference, category=category, side=side)
        if extra:
            Listing.objects.filter(pk=item.pk).update(**extra)
        Listing.objects.filter(pk=item.pk).update(created_at=_ago(days))
        item.refresh_from_db()
        return item

    s1 = listing(coop, reference.robusta, days=20)
    s2 = listing(coop, reference.durian, days=18)
    s3 = listing(processor, reference.robusta, days=50)
    s4 = listing(farm, reference.coffee, days=80)
    listing(coop, reference.robusta, days=5, status=Listing.Status.DRAFT)
    d1 = listing(buyer, reference.coffee, side="demand", days=15)
    d2 = listing(buyer, reference.durian, side="demand", days=12)
    d3 = listing(buyer, reference.robusta, side="demand", days=75)
    # Where listings are committed (browser tests), matching has proposed pairs already:
    # the world's matches are the ones below, nothing else.
    Match.objects.all().delete()

    def match(supply, demand, status, *, days, connected_after=None, **extra):
        m = MatchFactory(supply=supply, demand=demand, status=status, **extra)
        fields = {"created_at": _ago(days)}
        if connected_after is not None:
            fields["connected_at"] = _ago(days) + datetime.timedelta(days=connected_after)
        Match.objects.filter(pk=m.pk).update(**fields)
        m.refresh_from_db()
        return m

    c = Match.Status.CONNECTED
    m1 = match(s1, d1, c, days=14, connected_after=3)
    m2 = match(s2, d2, c, days=11, connected_after=1)
    m3 = match(s3, d1, c, days=14, connected_after=10)
    match(s4, d3, Match.Status.DECLINED, days=70, decline_reason="price")
    match(s1, d3, Match.Status.DECLINED, days=19, decline_reason="quantity")
    match(s3, d3, Match.Status.PROPOSED, days=49)
    m7 = match(s4, d1, c, days=14, connected_after=6)

    source = Source.objects.create(key="test-programme", outlet="Báo", title="Chương trình")
    programme = CooperationProgramme.objects.create(
        slug="hcmc-highlands", name="TP.HCM – Tây Nguyên", name_en="HCMC – Highlands", source=source
    )
    programme.provinces.set([reference.daklak, reference.hcmc])
    event = open_event(reference, programme=programme)
    other_event = open_event(reference, slug="other-event")
    reg = Registration.objects.create(event=event, organization=farm, side="supply")
    reg.listings.set([s4])

    def meeting(ev, requester, counterpart, status, m=None):
        return Meeting.objects.create(
            event=ev,
            requester=requester,
            counterpart=counterpart,
            match=m,
            status=status,
            expires_at=NOW + datetime.timedelta(days=3),
        )

    meeting(event, coop, buyer, Meeting.Status.HELD, m1)
    meeting(event, farm, buyer, Meeting.Status.SCHEDULED, m7)
    meeting(event, processor, buyer, Meeting.Status.REQUESTED)
    meeting(other_event, processor, buyer, Meeting.Status.DECLINED, m3)

    today = timezone.localdate()

    def deal(m, stage, *, days, ev=None, value=None, signed_days=None, delivered=(), **extra):
        d = Deal.objects.create(
            match=m,
            event=ev,
            stage=stage,
            contract_value_vnd=value,
            contract_quantity=Decimal("10") if value else None,
            contract_unit=tonne if value else None,
            signed_on=today - datetime.timedelta(days=signed_days) if value else None,
            **extra,
        )
        total = 0
        for amount, ago in delivered:
            Delivery.objects.create(
                deal=d,
                quantity=Decimal("5"),
                unit=tonne,
                quantity_in_contract_unit=Decimal("5"),
                value_vnd=amount,
                delivered_on=today - datetime.timedelta(days=ago),
            )
            total += amount
        Deal.objects.filter(pk=d.pk).update(created_at=_ago(days), delivered_value_vnd=total)
        return d

    deal(
        m1,
        Deal.Stage.COMPLETED,
        days=11,
        ev=event,
        value=100_000_000,
        signed_days=10,
        delivered=[(60_000_000, 5), (40_000_000, 1)],
    )
    deal(m2, Deal.Stage.LOST, days=10, lost_reason="price")
    deal(
        m3,
        Deal.Stage.DELIVERING,
        days=4,
        value=50_000_000,
        signed_days=3,
        delivered=[(20_000_000, 2)],
    )
    deal(m7, Deal.Stage.NEGOTIATING, days=8)
    return SimpleNamespace(
        programme=programme, event=event, other_event=other_event, processor=processor
    )


# --- the oracle ----------------------------------------------------------------------------


def _local_day(value) -> datetime.date:
    return timezone.localtime(value).date()


def _in_period(value, start, end) -> bool:
    day = _local_day(value)
    return (start is None or day >= start) and (end is None or day <= end)


def _below(slug: str) -> set[int]:
    children = defaultdict(list)
    for cat in ProductCategory.objects.all():
        children[cat.parent_id].append(cat.pk)
    root = ProductCategory.objects.get(slug=slug).pk
    found, todo = set(), [root]
    while todo:
        pk = todo.pop()
        found.add(pk)
        todo.extend(children[pk])
    return found


def expected_stats(params: dict) -> dict:
    """What ``GET /api/v1/stats/?<params>`` should answer, counted row by row."""
    start = datetime.date.fromisoformat(params["from"]) if params.get("from") else None
    end = datetime.date.fromisoformat(params["to"]) if params.get("to") else None
    cats = _below(params["category"]) if params.get("category") else None
    province = params.get("province")
    region = params.get("region")
    programme = (
        CooperationProgramme.objects.get(slug=params["programme"])
        if params.get("programme")
        else None
    )
    members = {p.code for p in programme.provinces.all()} if programme else set()
    event_id = int(params["event"]) if params.get("event") else None
    region_of = {r.pk: r.code for r in Region.objects.all()}

    def region_code(listing) -> str:
        return region_of[listing.province.region_id]

    def events_of_programme() -> set[int]:
        return set(ConnectionEvent.objects.filter(programme=programme).values_list("pk", flat=True))

    meetings_all = list(
        Meeting.objects.select_related(
            "requester__province", "counterpart__province", "match__supply", "match__demand"
        )
    )
    met = defaultdict(set)  # match id -> event ids
    for mt in meetings_all:
        if mt.match_id:
            met[mt.match_id].add(mt.event_id)

    def keep_listing(item) -> bool:
        if item.status == Listing.Status.DRAFT:
            return False
        registered = {r.event_id for r in Registration.objects.filter(listings=item)}
        if programme and not (item.province.code in members or registered & events_of_programme()):
            return False
        if event_id and event_id not in registered:
            return False
        if province and item.province.code != province:
            return False
        if region and region_code(item) != region:
            return False
        if cats is not None and item.category_id not in cats:
            return False
        return _in_period(item.created_at, start, end)

    def deal_of(m):
        return Deal.objects.filter(match=m).first()

    def keep_match(m, *, when) -> bool:
        sides = (m.supply, m.demand)
        deal = deal_of(m)
        events = set(met[m.pk]) | ({deal.event_id} if deal and deal.event_id else set())
        if programme and not (
            events & events_of_programme() or all(s.province.code in members for s in sides)
        ):
            return False
        if event_id and event_id not in events:
            return False
        if province and province not in {s.province.code for s in sides}:
            return False
        if region and region not in {region_code(s) for s in sides}:
            return False
        if cats is not None and not ({s.category_id for s in sides} & cats):
            return False
        return _in_period(when, start, end)

    def keep_meeting(mt) -> bool:
        orgs = (mt.requester, mt.counterpart)
        if programme and mt.event.programme_id != programme.pk:
            return False
        if event_id and mt.event_id != event_id:
            return False
        if province and province not in {o.province.code for o in orgs}:
            return False
        if region and region not in {region_of[o.province.region_id] for o in orgs}:
            return False
        if cats is not None:
            if mt.match is None:
                return False
            if not ({mt.match.supply.category_id, mt.match.demand.category_id} & cats):
                return False
        return _in_period(mt.created_at, start, end)

    listings = [
        x for x in Listing.objects.select_related("province", "category") if keep_listing(x)
    ]
    related = ("supply__province", "demand__province", "supply__organization")
    matches = [
        m
        for m in Match.objects.select_related(*related, "demand__organization")
        if keep_match(m, when=m.created_at)
    ]
    deals = [
        d
        for d in Deal.objects.select_related("match__supply__province", "match__demand__province")
        if keep_match(d.match, when=d.created_at)
    ]
    meetings = [mt for mt in meetings_all if keep_meeting(mt)]
    connected = [m for m in matches if m.status == "connected"]
    signed = [d for d in deals if d.signed_on]
    small = [
        m
        for m in connected
        if m.supply.organization.kind in SMALL or m.demand.organization.kind in SMALL
    ]
    remote = [
        m for m in connected if region_code(m.supply) in REMOTE or region_code(m.demand) in REMOTE
    ]
    spans = [
        (m.connected_at - max(m.supply.created_at, m.demand.created_at)).total_seconds() / 86400
        for m in connected
    ]

    def month(value) -> str:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        return f"{value.year:04d}-{value.month:02d}"

    blank = {
        "listings": 0,
        "proposed": 0,
        "connected": 0,
        "contracts": 0,
        "contract_value_vnd": 0,
        "delivered_value_vnd": 0,
    }
    by_month = defaultdict(lambda: dict(blank))
    by_province = defaultdict(lambda: dict(blank))
    by_category = defaultdict(lambda: dict(blank))
    for x in listings:
        by_month[month(x.created_at)]["listings"] += 1
        by_province[x.province.code]["listings"] += 1
        by_category[x.category.slug]["listings"] += 1
    for m in matches:
        by_month[month(m.created_at)]["proposed"] += 1
        by_province[m.supply.province.code]["proposed"] += 1
        by_category[m.supply.category.slug]["proposed"] += 1
        if m.status == "connected":
            by_month[month(m.connected_at)]["connected"] += 1
            by_province[m.supply.province.code]["connected"] += 1
            by_category[m.supply.category.slug]["connected"] += 1
    for d in deals:
        code, slug = d.match.supply.province.code, d.match.supply.category.slug
        by_province[code]["delivered_value_vnd"] += d.delivered_value_vnd
        by_category[slug]["delivered_value_vnd"] += d.delivered_value_vnd
        for delivery in d.deliveries.all():
            by_month[month(delivery.delivered_on)]["delivered_value_vnd"] += delivery.value_vnd
        if d.signed_on:
            for table, key in ((by_province, code), (by_category, slug)):
                table[key]["contracts"] += 1
                table[key]["contract_value_vnd"] += d.contract_value_vnd
            by_month[month(d.signed_on)]["contracts"] += 1
            by_month[month(d.signed_on)]["contract_value_vnd"] += d.contract_value_vnd

    decline = dict.fromkeys(Match.DeclineReason.values, 0)
    for m in matches:
        if m.status == "declined":
            decline[m.decline_reason or "other"] += 1
    lost = dict.fromkeys(Deal.LostReason.values, 0)
    for d in deals:
        if d.stage == "lost":
            lost[d.lost_reason or "other"] += 1

    def share(items) -> float | None:
        return round(len(items) / len(connected), 4) if connected else None

    return {
        "listings": {
            "supply": sum(1 for x in listings if x.side == "supply"),
            "demand": sum(1 for x in listings if x.side == "demand"),
        },
        "matches": {
            "proposed": len(matches),
            "connected": len(connected),
            "declined": sum(1 for m in matches if m.status == "declined"),
        },
        "meetings": {
            "requested": len(meetings),
            "scheduled": sum(1 for mt in meetings if mt.status in ("scheduled", "held", "no_show")),
            "held": sum(1 for mt in meetings if mt.status == "held"),
        },
        "deals": {
            "contract_signed": len(signed),
            "completed": sum(1 for d in deals if d.stage == "completed"),
            "lost": sum(1 for d in deals if d.stage == "lost"),
        },
        "contract_value_vnd": sum(d.contract_value_vnd for d in signed),
        "delivered_value_vnd": sum(d.delivered_value_vnd for d in deals),
        "decline_reasons": decline,
        "lost_reasons": lost,
        "median_days_to_connection": round(statistics.median(spans), 1) if spans else None,
        "connections": {
            "total": len(connected),
            "small_producers": len(small),
            "small_producer_share": share(small),
            "remote_provinces": len(remote),
            "remote_province_share": share(remote),
        },
        "by_month": dict(by_month),
        "by_province": dict(by_province),
        "by_category": dict(by_category),
    }


def keyed(answer: dict) -> dict:
    """An API answer with its lists keyed (month, province code, category slug) like the
    oracle's, so the two compare as a whole."""
    figures = ("listings", "proposed", "connected", "contracts", "contract_value_vnd")
    figures += ("delivered_value_vnd",)

    def table(rows, key):
        return {r[key]: {f: r[f] for f in figures} for r in rows}

    out = dict(answer)
    out["by_month"] = table(answer["by_month"], "month")
    out["by_province"] = table(answer["by_province"], "code")
    out["by_category"] = table(answer["by_category"], "slug")
    return out
