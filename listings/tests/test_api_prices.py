"""A price far from what its category usually costs: the API asks the page's question, with
the page's words, and saves only once ``confirm_price: true`` is sent (one rule, in
``listings.services.rules.check_price``)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.actors import SYSTEM
from listings.forms import ListingForm
from listings.models import Listing
from listings.tests.factories import (
    coffee_listing,
    listing_form_data,
    listing_payload,
    make_listing,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


@pytest.fixture
def coffee_market(actors, reference):
    """Three open robusta supplies at 90–100 million ₫ per tonne: what coffee usually costs."""
    for _n in range(3):
        coffee_listing(actors.outsider_org, reference, price_min=90_000_000, price_max=100_000_000)


def _post(api, actors, lang="en", **overrides):
    body = listing_payload(actors.supplier_org, **overrides)
    return api.as_user(actors.supplier).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE=lang)


def test_95_dong_per_tonne_of_coffee_is_questioned_then_saved_once_confirmed(
    api, actors, coffee_market
):
    first = _post(api, actors, price_min=95, price_max=95)

    assert first.status_code == 400, first.content
    errors = first.json()
    assert "95 ₫ per tonne is far from what" in errors["price_min"][0]
    assert errors["price_max"] == errors["price_min"]
    assert errors["confirm_price"] == ["Confirm that this price is right to save it."]
    assert not Listing.objects.filter(organization=actors.supplier_org).exists()

    second = _post(api, actors, price_min=95, price_max=95, confirm_price=True)

    assert second.status_code == 201, second.content
    assert "confirm_price" not in second.json()
    assert Listing.objects.get(organization=actors.supplier_org).price_min == 95


def test_the_question_is_in_the_callers_language(api, actors, coffee_market):
    errors = _post(api, actors, "vi", price_min=95, price_max=None).json()

    assert "xa" in errors["price_min"][0] or "bất thường" in errors["price_min"][0]
    assert "₫" in errors["price_min"][0]
    assert "price_max" not in errors
    assert "confirm_price" in errors


def test_the_message_is_the_pages_message(api, actors, reference, coffee_market):
    """Same rule, same threshold, same words as the listing form."""
    with translation.override("en"):
        form = ListingForm(
            listing_form_data(reference, actors.supplier_org, price_min="95", price_max="95"),
            user=actors.supplier,
        )
        assert not form.is_valid()

    errors = _post(api, actors, price_min=95, price_max=95).json()

    assert errors["price_min"] == [form.price_warning]


def test_without_comparable_listings_only_a_price_below_any_produce_is_questioned(api, actors):
    low = _post(api, actors, price_min=95, price_max=95)
    ordinary = _post(api, actors, price_min=95_000, price_max=105_000)

    assert low.status_code == 400
    assert "unusually low" in low.json()["price_min"][0]
    assert ordinary.status_code == 201, ordinary.content


def test_a_plausible_price_needs_no_confirmation(api, actors, coffee_market):
    response = _post(api, actors, price_min=85_000_000, price_max=99_000_000)

    assert response.status_code == 201, response.content


def test_a_patch_that_sets_a_price_is_asked_and_one_that_does_not_is_not(
    api, actors, reference, coffee_market
):
    listing = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        price_min=90_000_000,
        price_max=95_000_000,
    )
    client = api.as_user(actors.supplier)
    url = f"{URL}{listing.pk}/"

    asked = client.patch(url, {"price_min": 90, "price_max": 95}, format="json")
    listing.refresh_from_db()

    assert asked.status_code == 400, asked.content
    assert "price_min" in asked.json()
    assert listing.price_min == 90_000_000

    confirmed = client.patch(
        url, {"price_min": 90, "price_max": 95, "confirm_price": True}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.content
    listing.refresh_from_db()
    assert listing.price_max == 95

    # Now implausible and saved: a title change does not ask again.
    retitled = client.patch(url, {"title": "Cà phê Robusta loại 1"}, format="json")
    assert retitled.status_code == 200, retitled.content


def test_the_platforms_own_writes_are_not_questioned(actors, reference, coffee_market):
    listing = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        by_user=SYSTEM,
        price_min=95,
        price_max=95,
    )
    assert listing.price_min == 95


def test_a_person_writing_through_the_service_is_questioned(actors, reference, coffee_market):
    with pytest.raises(ValidationError) as caught:
        make_listing(
            organization=actors.supplier_org,
            reference=reference,
            by_user=actors.supplier,
            price_min=95,
            price_max=95,
        )
    assert set(caught.value.message_dict) == {"price_min", "price_max", "confirm_price"}
    assert not Listing.objects.filter(organization=actors.supplier_org).exists()
