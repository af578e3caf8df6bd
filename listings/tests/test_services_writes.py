"""The listing writes (``listings/services/writes.py``): every write validates through one
home (``Listing.clean``), with one message each in both languages, and a check says what the
write would say without saving."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from catalog.models import Product, Unit
from listings import services
from listings.models import Listing
from listings.services import IllegalStatusChange
from listings.tests.factories import posted_listing as _create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


# --- cross-field checks: one home (Listing.clean), one message each --------------------------

CROSS_FIELD = [
    (
        {"price_min": 200, "price_max": 100},
        "price_max",
        "The highest price cannot be below the lowest price.",
        "Giá cao nhất không được thấp hơn giá thấp nhất.",
    ),
    (
        {"available_from": TODAY + 10 * DAY, "available_until": TODAY + DAY},
        "available_until",
        "The window must end on or after its start.",
        None,
    ),
    (
        {"quantity": Decimal("5"), "min_order_quantity": Decimal("6")},
        "min_order_quantity",
        "The minimum order cannot be larger than the quantity.",
        None,
    ),
    ({"min_ocop_stars": 4}, "min_ocop_stars", "Only a demand sets a minimum", None),
]


@pytest.mark.parametrize(("fields", "field", "english", "vietnamese"), CROSS_FIELD)
def test_cross_field_rules(actors, reference, fields, field, english, vietnamese):
    for language, words in (("en", english), ("vi", vietnamese)):
        if words is None:
            continue
        with translation.override(language), pytest.raises(ValidationError) as exc:
            _create(actors, reference, by_user=actors.supplier, **fields)
        assert exc.value.message_dict[field][0].startswith(words)
    assert not Listing.objects.exists()


def test_stars_by_side_and_product_within_its_category(actors, reference):
    demand = dict(organization=actors.buyer_org, by_user=actors.buyer)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.listing_create(
            side="demand",
            ocop_stars=4,
            title="Cần mua",
            category=reference.coffee,
            quantity=Decimal("1"),
            unit=Unit.objects.get(code="kg"),
            province=reference.hcmc,
            available_from=TODAY,
            available_until=TODAY + DAY,
            **demand,
        )
    assert "Only a supply carries OCOP stars" in exc.value.message_dict["ocop_stars"][0]
    durian = Product.objects.create(
        name="Sầu riêng Ri6",
        name_en="Ri6 durian",
        category=reference.durian,
        origin_province=reference.daklak,
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _create(actors, reference, by_user=actors.supplier, product=durian)
    assert exc.value.message_dict["product"] == [
        "This product belongs to the category “Sầu riêng”."
    ]


def test_a_check_says_what_the_write_would_say_and_saves_nothing(actors, reference, listing):
    with pytest.raises(ValidationError):
        services.listing_check_create(
            organization=actors.supplier_org,
            side="supply",
            by_user=actors.supplier,
            title="x",
            category=reference.robusta,
            quantity=Decimal("1"),
            unit=listing.unit,
            province=reference.daklak,
            price_min=2,
            price_max=1,
            available_from=TODAY,
            available_until=TODAY + DAY,
        )
    with pytest.raises(IllegalStatusChange):
        services.listing_check_update(listing=listing, by_user=actors.supplier, status="draft")
    services.listing_check_update(listing=listing, by_user=actors.supplier, title="Chưa lưu")
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Cà phê Robusta nhân xô", "open")
    assert Listing.objects.count() == 1
