"""The market as engine tables: signatures are kept by matching, never by a read."""

import pytest
from rest_framework.test import APIClient

from listings.models import Listing
from matchmaking.models import ListingFeatures
from matchmaking.services import market
from matchmaking.services.reference import load_reference
from matchmaking.tests.factories import supply_and_demand_match

pytestmark = pytest.mark.django_db


def test_matching_keeps_signatures_and_a_read_computes_them_without_writing(actors, reference):
    match = supply_and_demand_match(actors, reference)
    ref = load_reference()
    listings = Listing.objects.filter(pk=match.supply_id)

    read = market.build_table(listings, ref, side="supply", keep_signatures=False)
    assert not ListingFeatures.objects.exists()
    kept = market.build_table(listings, ref, side="supply")
    assert ListingFeatures.objects.filter(listing_id=match.supply_id).count() == 1
    assert (read.name_sig == kept.name_sig).all() and read.name_sig.any()


def test_explaining_a_match_on_a_get_writes_no_listing_features(actors, reference):
    """Unified rule: a GET (explaining a match) must not write ``ListingFeatures`` rows."""
    match = supply_and_demand_match(actors, reference)
    client = APIClient()
    client.force_authenticate(actors.supplier)
    body = client.get(f"/api/v1/matches/{match.pk}/").json()
    assert [item["factor"] for item in body["explanation"]][:2] == ["product", "quantity"]
    assert not ListingFeatures.objects.exists()


def test_the_market_cache_sees_a_listing_changed_since_its_last_look(actors, reference):
    match = supply_and_demand_match(actors, reference)
    ref = load_reference()
    cache = market.market_cache()
    supplies, _ = cache.get(ref)
    assert match.supply_id in supplies.id.tolist()
    Listing.objects.filter(pk=match.supply_id).update(status=Listing.Status.PAUSED)
    cache.watermark = cache.watermark.replace(year=2000)  # look at every row again
    supplies, _ = cache.get(ref)
    row = supplies.id.tolist().index(match.supply_id)
    assert not supplies.open[row]


def test_what_a_demand_asks_for_is_stored_and_read_again_only_when_its_words_change(
    actors, reference, monkeypatch
):
    """The intent and offer masks are kept with the signature (a full re-match at 100k read
    them again every night otherwise); a changed description is read again."""
    match = supply_and_demand_match(actors, reference)
    ref = load_reference()
    demands = Listing.objects.filter(pk=match.demand_id)
    Listing.objects.filter(pk=match.demand_id).update(
        title="Cần mua cà phê Robusta",
        description="trực tiếp từ nhà sản xuất",
        category=reference.coffee,  # the parent: "Robusta" is then a wish beyond it
        product=None,
    )
    first = market.build_table(demands, ref, side="demand")
    row = ListingFeatures.objects.get(listing_id=match.demand_id)
    assert row.wants_producer and (row.intent_lo or row.intent_hi)
    assert first.intent.any() and first.offer.any() and first.flags[0]

    calls = []
    real = market.relevance.intent_mask
    monkeypatch.setattr(market.relevance, "intent_mask", lambda *a: calls.append(a) or real(*a))
    again = market.build_table(demands, ref, side="demand")
    assert calls == []  # read from the stored row
    assert (again.intent == first.intent).all() and (again.offer == first.offer).all()
    assert (again.name_sig == first.name_sig).all() and again.flags[0] == first.flags[0]

    Listing.objects.filter(pk=match.demand_id).update(description="hàng đại lý cũng được")
    changed = market.build_table(demands, ref, side="demand")
    assert len(calls) == 1 and not changed.flags[0]
    assert not ListingFeatures.objects.get(listing_id=match.demand_id).wants_producer


def test_the_engine_tables_list_listings_in_id_order(actors, reference):
    """The engine breaks ties by row: the same market must give the same rows in the same order
    however the joined tables were last rewritten (a full re-match is then idempotent)."""
    first = supply_and_demand_match(actors, reference)
    second = supply_and_demand_match(actors, reference)
    ref = load_reference()
    listings = Listing.objects.filter(pk__in=[first.supply_id, second.supply_id])
    market.build_table(listings, ref, side="supply")
    ListingFeatures.objects.filter(listing_id=first.supply_id).update(text_key="stale")
    market.build_table(listings, ref, side="supply")  # rewrites the first listing's row
    table = market.build_table(listings.order_by("-pk"), ref, side="supply")
    assert table.id.tolist() == sorted([first.supply_id, second.supply_id])
