"""``min_ocop_stars`` counts only OCOP ratings that still hold (36 months, ``catalog.ocop``)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Product, Unit
from listings import services as listing_services
from listings.models import Listing
from matchmaking.models import Match

pytestmark = pytest.mark.django_db(transaction=True)


def _supply(actors, reference, **extra):
    today = timezone.localdate()
    return listing_services.listing_create(
        organization=actors.supplier_org,
        side=Listing.Side.SUPPLY,
        by_user=actors.supplier,
        title="Cà phê Robusta OCOP",
        category=reference.robusta,
        quantity=Decimal("20"),
        unit=Unit.objects.get(code="tonne"),
        province=reference.daklak,
        available_from=today,
        available_until=today + datetime.timedelta(days=90),
        status=Listing.Status.OPEN,
        **extra,
    )


def _demand(actors, reference):
    today = timezone.localdate()
    return listing_services.listing_create(
        organization=actors.buyer_org,
        side=Listing.Side.DEMAND,
        by_user=actors.buyer,
        title="Cần mua cà phê OCOP 4 sao",
        category=reference.coffee,
        quantity=Decimal("5000"),
        unit=Unit.objects.get(code="kg"),
        province=reference.hcmc,
        available_from=today,
        available_until=today + datetime.timedelta(days=60),
        min_ocop_stars=4,
        status=Listing.Status.OPEN,
    )


@pytest.mark.parametrize(("age", "matched"), [(3, True), (4, False)])
def test_the_listing_s_own_rating_counts_for_36_months(actors, reference, age, matched):
    year = timezone.localdate().year - age
    supply = _supply(actors, reference, ocop_stars=4, ocop_year=year)
    _demand(actors, reference)

    assert Match.objects.exists() is matched
    assert supply.effective_ocop_stars == (4 if matched else None)


def test_the_product_s_rating_year_counts_too(actors, reference):
    old = Product.objects.create(
        name="Cà phê Ea Tu",
        name_en="Ea Tu coffee",
        category=reference.robusta,
        origin_province=reference.daklak,
        ocop_stars=4,
        ocop_year=timezone.localdate().year - 5,
    )
    _supply(actors, reference, product=old)
    _demand(actors, reference)

    assert not Match.objects.exists()


def test_a_year_without_stars_or_in_the_future_is_refused(actors, reference):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as no_stars:
        _supply(actors, reference, ocop_year=2024)
    with pytest.raises(ValidationError) as future:
        _supply(actors, reference, ocop_stars=4, ocop_year=timezone.localdate().year + 1)

    assert "ocop_year" in no_stars.value.message_dict
    assert "ocop_year" in future.value.message_dict
