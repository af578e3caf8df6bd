"""Pool test data: robusta cooperatives of 20 t each and a 50 t export buyer that none of them
covers alone (shared by the pool test modules)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Sum

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, member_of
from catalog.models import Unit
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking.models import Match, Pool, PoolMember


def cooperatives(reference, count: int = 4) -> list[SimpleNamespace]:
    """Robusta cooperatives, each with one member (``org``, ``user``)."""
    people = []
    for i in range(count):
        org = OrganizationFactory(
            name=f"HTX Cà phê số {i + 1}",
            kind=Organization.Kind.COOPERATIVE,
            province=reference.daklak,
        )
        people.append(SimpleNamespace(org=org, user=member_of(org)))
    return people


def pool_supply(coop, reference, tonnes=20) -> Listing:
    return make_listing(
        organization=coop.org,
        reference=reference,
        certifications=[reference.vietgap],
        by_user=coop.user,
        title=f"Cà phê Robusta {coop.org.name}",
        quantity=Decimal(tonnes),
    )


def pool_demand(actors, reference, tonnes=50, **over) -> Listing:
    """The export buyer's demand (in tonnes, delivered to Ho Chi Minh City)."""
    fields = {
        "organization": actors.buyer_org,
        "reference": reference,
        "certifications": [reference.vietgap],
        "by_user": actors.buyer,
        "side": Listing.Side.DEMAND,
        "title": "Thu mua cà phê Robusta xuất khẩu",
        "category": reference.coffee,
        "quantity": Decimal(tonnes),
        "unit": Unit.objects.get(code="tonne"),
        "province": reference.hcmc,
    }
    return make_listing(**{**fields, **over})


def shares_held(supply_id: int) -> Decimal:
    """What a supply has promised to single matches and active pools (base units)."""
    singles = Match.objects.filter(supply_id=supply_id, status__in=Match.ACTIVE_STATUSES).aggregate(
        q=Sum("suggested_quantity")
    )["q"] or Decimal(0)
    pooled = PoolMember.objects.filter(
        supply_id=supply_id, pool__status__in=Pool.ACTIVE_STATUSES
    ).exclude(status=PoolMember.Status.DECLINED).aggregate(q=Sum("suggested_quantity"))[
        "q"
    ] or Decimal(0)
    return singles + pooled
