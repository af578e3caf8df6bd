"""Matching through the database: a saved listing gets proposals, idempotently."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Unit
from listings import services as listing_services
from listings.models import Listing
from matchmaking.models import Match, MatchRun, Notification
from matchmaking.services import market, matching, rematch, review

pytestmark = pytest.mark.django_db(transaction=True)


def _supply(actors, reference, **extra):
    today = timezone.localdate()
    fields = dict(
        title="Cà phê Robusta Ea H'leo",
        category=reference.robusta,
        quantity=Decimal("20"),
        unit=Unit.objects.get(code="tonne"),
        province=reference.daklak,
        available_from=today,
        available_until=today + datetime.timedelta(days=90),
        price_min=45_000_000,
        price_max=50_000_000,
        status=Listing.Status.OPEN,
    )
    fields.update(extra)
    certs = fields.pop("certifications", [reference.vietgap])
    return listing_services.listing_create(
        organization=actors.supplier_org,
        side=Listing.Side.SUPPLY,
        by_user=actors.supplier,
        certifications=certs,
        **fields,
    )


def _demand(actors, reference, **extra):
    today = timezone.localdate()
    fields = dict(
        title="Cần mua cà phê nhân",
        category=reference.coffee,
        quantity=Decimal("5000"),
        unit=Unit.objects.get(code="kg"),
        province=reference.hcmc,
        available_from=today + datetime.timedelta(days=10),
        available_until=today + datetime.timedelta(days=60),
        price_min=40_000,
        price_max=52_000,
        status=Listing.Status.OPEN,
    )
    fields.update(extra)
    certs = fields.pop("certifications", [reference.vietgap])
    return listing_services.listing_create(
        organization=actors.buyer_org,
        side=Listing.Side.DEMAND,
        by_user=actors.buyer,
        certifications=certs,
        **fields,
    )


def test_posting_a_demand_proposes_the_compatible_supply(actors, reference):
    supply = _supply(actors, reference)
    demand = _demand(actors, reference)
    match = Match.objects.get()
    assert (match.supply_id, match.demand_id) == (supply.pk, demand.pk)
    assert match.status == Match.Status.PROPOSED
    assert 0.35 <= match.score <= 1
    assert len(match.factors) == 7
    # 20 tấn offered, 5000 kg wanted: the suggestion is the buyer's whole need.
    assert match.suggested_quantity == Decimal("5000.000")
    assert match.respond_by > timezone.now()
    run = MatchRun.objects.filter(kind=MatchRun.Kind.LISTING, listing=demand).get()
    assert run.status == MatchRun.Status.DONE and run.proposals_created == 1


def test_matching_twice_creates_no_duplicates(actors, reference):
    _supply(actors, reference)
    demand = _demand(actors, reference)
    first = matching.match_listing(listing_id=demand.pk)
    assert first["created"] == 0 and first["updated"] == 1
    assert Match.objects.count() == 1


def test_a_declined_pair_is_never_proposed_again(actors, reference):
    supply = _supply(actors, reference)
    demand = _demand(actors, reference)
    match = Match.objects.get()
    review.match_decline(match=match, by_user=actors.buyer, reason="price")
    matching.match_listing(listing_id=supply.pk)
    matching.match_listing(listing_id=demand.pk)
    run = rematch.start_full_rematch()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert Match.objects.get().status == Match.Status.DECLINED


def test_closing_a_listing_withdraws_its_pending_proposals(actors, reference):
    supply = _supply(actors, reference)
    _demand(actors, reference)
    listing_services.listing_update(listing=supply, by_user=actors.supplier, status="closed")
    match = Match.objects.get()
    assert match.status == Match.Status.WITHDRAWN
    assert match.transitions.last().to_status == Match.Status.WITHDRAWN
    # Both sides hear of it, as of every other transition.
    assert Notification.objects.filter(
        match=match, kind=Notification.Kind.WITHDRAWN, user=actors.buyer
    ).exists()


def test_missing_certification_means_no_proposal(actors, reference):
    _supply(actors, reference, certifications=[])
    _demand(actors, reference, certifications=[reference.organic])
    assert not Match.objects.exists()


def test_full_rematch_reports_progress_and_is_idempotent(actors, reference):
    _supply(actors, reference)
    _demand(actors, reference)
    Match.objects.all().delete()
    run = rematch.start_full_rematch()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert run.proposals_created == 1 and run.chunks_done == run.chunks_total >= 1
    assert run.progress == 1.0
    again = rematch.start_full_rematch()
    again.refresh_from_db()
    assert again.proposals_created == 0 and again.proposals_updated == 1
    assert Match.objects.count() == 1


def test_a_new_worker_process_preloads_the_open_market(actors, reference):
    from matchmaking.tasks import warm_up_market

    _supply(actors, reference)
    _demand(actors, reference)
    matching.clear_caches()
    warm_up_market()
    cache = market.market_cache()
    assert len(cache.tables["supply"]) == 1 and len(cache.tables["demand"]) == 1
