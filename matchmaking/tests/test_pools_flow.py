"""Pools through the database and the API: formed on a new demand and in the full re-match,
answered by the buyer and each member, re-formed or withdrawn, contacts on connection."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Sum

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, member_of
from catalog.models import Unit
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking.models import Match, MatchRun, Notification, Pool, PoolMember
from matchmaking.selectors import contacts_open
from matchmaking.services import pools as pool_service
from matchmaking.services import rematch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coops(reference):
    """Four robusta cooperatives, each with one member."""
    people = []
    for i in range(4):
        org = OrganizationFactory(
            name=f"HTX Cà phê số {i + 1}",
            kind=Organization.Kind.COOPERATIVE,
            province=reference.daklak,
        )
        people.append(SimpleNamespace(org=org, user=member_of(org)))
    return people


def _supply(coop, reference, tonnes=20) -> Listing:
    return make_listing(
        organization=coop.org,
        reference=reference,
        certifications=[reference.vietgap],
        by_user=coop.user,
        title=f"Cà phê Robusta {coop.org.name}",
        quantity=Decimal(tonnes),
    )


def _demand(actors, reference, tonnes=50, **over) -> Listing:
    return make_listing(
        organization=actors.buyer_org,
        reference=reference,
        certifications=[reference.vietgap],
        by_user=actors.buyer,
        side=Listing.Side.DEMAND,
        title="Thu mua cà phê Robusta xuất khẩu",
        category=reference.coffee,
        quantity=Decimal(tonnes),
        unit=Unit.objects.get(code="tonne"),
        province=reference.hcmc,
        **over,
    )


def _held(supply_id: int) -> Decimal:
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


def test_a_large_demand_gets_a_pool_of_small_cooperatives(actors, reference, coops):
    supplies = [_supply(c, reference) for c in coops[:3]]
    demand = _demand(actors, reference)
    pool = Pool.objects.get(demand=demand)
    assert pool.status == Pool.Status.PROPOSED
    members = list(pool.members.all())
    # 20 + 20 + 10 t: three members from three organizations cover the 50 t.
    assert sorted(m.suggested_quantity for m in members) == [
        Decimal("10000.000"),
        Decimal("20000.000"),
        Decimal("20000.000"),
    ]
    assert len({m.organization_id for m in members}) == 3
    assert pool.coverage == pytest.approx(1.0)
    assert pool.covered_quantity == Decimal("50000.000")
    assert {m.supply_id for m in members} <= {s.pk for s in supplies}
    # The members' partial single offers to the same buyer give way to the pool.
    assert not Match.objects.filter(demand=demand, supply__in=[m.supply_id for m in members])
    # The buyer and each member hear of it.
    told = set(
        Notification.objects.filter(kind=Notification.Kind.POOL).values_list(
            "organization_id", flat=True
        )
    )
    assert told == {actors.buyer_org.pk, *(c.org.pk for c in coops[:3])}
    for s in supplies:
        assert _held(s.pk) <= s.quantity_base


def test_no_pool_when_one_supply_covers_the_demand(actors, reference, coops):
    _supply(coops[0], reference, tonnes=60)
    _supply(coops[1], reference)
    demand = _demand(actors, reference)
    assert not Pool.objects.filter(demand=demand).exists()
    assert Match.objects.filter(demand=demand, suggested_quantity=Decimal("50000")).exists()


def test_the_whole_pool_flow_through_the_api(api, actors, reference, coops):
    for c in coops[:3]:
        _supply(c, reference)
    demand = _demand(actors, reference)
    pool = Pool.objects.get(demand=demand)
    members = {m.organization_id: m for m in pool.members.all()}

    # The buyer sees the pool with its coverage and members, in the demand's unit.
    body = api.as_user(actors.buyer).get(f"/api/v1/pools/?demand={demand.pk}").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == pool.pk and row["status"] == "proposed"
    assert row["coverage"] == pytest.approx(1.0)
    assert Decimal(row["covered_quantity"]) == Decimal("50") and row["unit"] == "tonne"
    assert sorted(Decimal(m["suggested_quantity"]) for m in row["members"]) == [10, 20, 20]
    assert {m["organization"]["id"] for m in row["members"]} == set(members)
    assert row["my_roles"] == ["demand"]
    assert all(m["contact"] is None for m in row["members"])
    assert {e["factor"] for e in row["explanation"]} >= {"quantity", "distance"}
    # A member sees its own share marked, the buyer's contact closed.
    first = coops[0]
    mine = api.as_user(first.user).get(f"/api/v1/pools/{pool.pk}/").json()
    assert [m["mine"] for m in mine["members"]].count(True) == 1
    assert mine["demand_contact"] is None
    # An outsider sees nothing.
    api.as_user(actors.outsider)
    assert api.get(f"/api/v1/pools/{pool.pk}/").status_code == 404
    assert api.get("/api/v1/pools/").json()["count"] == 0
    assert api.post(f"/api/v1/pools/{pool.pk}/accept/", {}).status_code == 404

    # The buyer accepts; each member accepts its own share; connected after the last one.
    r = api.as_user(actors.buyer).post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "proposed"
    assert r.json()["demand_accepted_at"]
    again = api.post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
    assert again.status_code == 409
    # A member cannot answer for the buyer.
    r = api.as_user(first.user).post(
        f"/api/v1/pools/{pool.pk}/accept/", {"side": "demand"}, format="json"
    )
    assert r.status_code == 403
    for coop in coops[:3]:
        r = api.as_user(coop.user).post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
        assert r.status_code == 200
    assert r.json()["status"] == "connected"
    pool.refresh_from_db()
    assert pool.status == Pool.Status.CONNECTED and pool.connected_at

    # Contacts open buyer <-> each member, not between members.
    body = api.as_user(actors.buyer).get(f"/api/v1/pools/{pool.pk}/").json()
    assert all(m["contact"]["phone"] for m in body["members"])
    body = api.as_user(first.user).get(f"/api/v1/pools/{pool.pk}/").json()
    assert body["demand_contact"]["email"] == actors.buyer_org.email
    others = [m for m in body["members"] if not m["mine"]]
    assert others and all(m["contact"] is None for m in others)
    assert contacts_open(first.user, actors.buyer_org)
    assert contacts_open(actors.buyer, first.org)
    assert not contacts_open(first.user, coops[1].org)
    # A connected pool can no longer be declined.
    r = api.as_user(actors.buyer).post(
        f"/api/v1/pools/{pool.pk}/decline/", {"reason": "price"}, format="json"
    )
    assert r.status_code == 409


def test_a_member_who_declines_is_replaced_and_the_buyer_confirms_again(
    api, actors, reference, coops
):
    for c in coops[:3]:
        _supply(c, reference)
    demand = _demand(actors, reference)
    spare = _supply(coops[3], reference)  # posted after the pool was formed
    pool = Pool.objects.get(demand=demand)
    api.as_user(actors.buyer).post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
    leaving = pool.members.get(organization=coops[0].org)
    r = api.as_user(coops[0].user).post(
        f"/api/v1/pools/{pool.pk}/decline/",
        {"reason": "quantity", "note": "Đã bán hết"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "proposed"
    assert body["demand_accepted_at"] is None  # the line-up changed
    leaving.refresh_from_db()
    assert leaving.status == PoolMember.Status.DECLINED and leaving.decline_reason == "quantity"
    joined = pool.members.get(supply=spare)
    assert joined.suggested_quantity == leaving.suggested_quantity
    assert joined.organization_id == coops[3].org.pk
    pool.refresh_from_db()
    assert pool.coverage == pytest.approx(1.0)
    # The one who left no longer answers for the pool.
    r = api.as_user(coops[0].user).post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
    assert r.status_code in (400, 403)
    assert _held(spare.pk) <= spare.quantity_base


def test_without_a_replacement_the_pool_is_withdrawn(api, actors, reference, coops):
    for c in coops[:3]:
        _supply(c, reference)
    demand = _demand(actors, reference)
    pool = Pool.objects.get(demand=demand)
    r = api.as_user(coops[1].user).post(
        f"/api/v1/pools/{pool.pk}/decline/", {"reason": "price"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert Notification.objects.filter(
        kind=Notification.Kind.POOL, params__what="withdrawn", organization=actors.buyer_org
    ).exists()


def test_a_buyer_decline_ends_pooling_for_that_demand(api, actors, reference, coops):
    for c in coops[:3]:
        _supply(c, reference)
    demand = _demand(actors, reference)
    pool = Pool.objects.get(demand=demand)
    bad = api.as_user(actors.buyer).post(
        f"/api/v1/pools/{pool.pk}/decline/", {"reason": "nope"}, format="json"
    )
    assert bad.status_code == 400 and "reason" in bad.json()
    r = api.post(f"/api/v1/pools/{pool.pk}/decline/", {"reason": "distance"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    run = rematch.start_full_rematch()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert Pool.objects.filter(demand=demand).count() == 1


def test_officers_name_whom_they_act_for(api, actors, reference, coops):
    for c in coops[:3]:
        _supply(c, reference)
    pool = Pool.objects.get(demand=_demand(actors, reference))
    api.as_user(actors.officer)
    assert api.get(f"/api/v1/pools/{pool.pk}/").status_code == 200
    r = api.post(f"/api/v1/pools/{pool.pk}/accept/", {}, format="json")
    assert r.status_code == 400 and "side" in r.json()
    r = api.post(f"/api/v1/pools/{pool.pk}/accept/", {"side": "demand"}, format="json")
    assert r.status_code == 200 and r.json()["demand_accepted_at"]
    member = pool.members.first()
    r = api.post(
        f"/api/v1/pools/{pool.pk}/accept/",
        {"side": "supply", "supply": member.supply_id},
        format="json",
    )
    assert r.status_code == 200
    member.refresh_from_db()
    assert member.status == PoolMember.Status.ACCEPTED


def test_list_filters_validate(api, actors):
    api.as_user(actors.buyer)
    assert api.get("/api/v1/pools/?status=bogus").status_code == 400
    assert api.get("/api/v1/pools/?demand=abc").status_code == 400
    assert api.get("/api/v1/pools/?status=proposed,connected").status_code == 200
    assert api.get("/api/v1/pools/99999999999999999999/").status_code == 404


def test_the_full_rematch_forms_pools_idempotently_within_capacity(actors, reference, coops):
    supplies = [_supply(c, reference) for c in coops]
    other_buyer = OrganizationFactory(name="Công ty Xuất khẩu B", province=reference.hcmc)
    member_of(other_buyer)
    first = _demand(actors, reference)
    second = make_listing(
        organization=other_buyer,
        reference=reference,
        certifications=[reference.vietgap],
        side=Listing.Side.DEMAND,
        title="Cần mua cà phê vối số lượng lớn",
        category=reference.coffee,
        quantity=Decimal(50),
        province=reference.hcmc,
    )
    Pool.objects.all().delete()
    Match.objects.all().delete()
    for _ in range(2):
        run = rematch.start_full_rematch()
        run.refresh_from_db()
        assert run.status == MatchRun.Status.DONE
    # 80 t of supply for two 50 t demands: one pool at least, never two per demand.
    pools = Pool.objects.filter(status=Pool.Status.PROPOSED)
    assert 1 <= pools.count() <= 2
    assert all(Pool.objects.filter(demand=d).count() <= 1 for d in (first, second))
    for s in supplies:
        assert _held(s.pk) <= s.quantity_base
    assert pool_service.held_by_pools(supply_ids=[s.pk for s in supplies])


def test_officers_follow_and_withdraw_pools_in_the_admin(actors, reference, coops):
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    from accounts.models import OFFICERS_GROUP

    for c in coops[:3]:
        _supply(c, reference)
    pool = Pool.objects.get(demand=_demand(actors, reference))
    Group.objects.get(name=OFFICERS_GROUP).permissions.add(
        *Permission.objects.filter(
            content_type__app_label="matchmaking",
            codename__in=["view_pool", "change_pool", "view_poolmember"],
        )
    )
    client = Client()
    client.force_login(actors.officer)
    page = client.get("/admin/matchmaking/pool/?status=proposed&q=Ea")
    assert page.status_code == 200
    page = client.get("/admin/matchmaking/pool/?status=proposed")
    assert actors.buyer_org.name in page.content.decode()
    detail = client.get(f"/admin/matchmaking/pool/{pool.pk}/change/").content.decode()
    assert coops[0].org.name in detail
    client.post(
        "/admin/matchmaking/pool/",
        {"action": "withdraw", "_selected_action": [pool.pk]},
    )
    pool.refresh_from_db()
    assert pool.status == Pool.Status.WITHDRAWN


def test_a_new_supply_completes_a_pool_for_a_waiting_demand(actors, reference, coops):
    first = _supply(coops[0], reference)
    demand = _demand(actors, reference)
    # One cooperative alone: a partial single offer, no pool (a pool needs two).
    assert not Pool.objects.exists()
    assert Match.objects.filter(supply=first, demand=demand, status="proposed").exists()
    second = _supply(coops[1], reference)
    pool = Pool.objects.get(demand=demand)
    assert {m.supply_id for m in pool.members.all()} == {first.pk, second.pk}
    assert pool.coverage == pytest.approx(0.8)  # 20 + 20 of 50 t
    # Their single offers to the same buyer gave way to the pool.
    assert not Match.objects.filter(demand=demand, status__in=Match.PENDING_STATUSES).exists()
    for s in (first, second):
        assert _held(s.pk) <= s.quantity_base
