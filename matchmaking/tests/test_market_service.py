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
