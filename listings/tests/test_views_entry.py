"""What users type on the listing form (``listings/forms.py``, ``listings/prices.py``):
numbers as their language writes them, a confirmation for an implausible price, the words of
the quantity rule, and messages that say what happened to a draft."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.pages import field_errors
from listings.models import Listing
from listings.tests.factories import coffee_listing, listing_form_data

EN = {"accept-language": "en"}
VI = {"accept-language": "vi"}


def post(client, reference, org, headers, **overrides):
    return client.post(
        reverse("listings:create"), listing_form_data(reference, org, **overrides), headers=headers
    )


@pytest.mark.parametrize(
    ("headers", "quantity", "price"),
    [(VI, "2,5", "95.000.000"), (EN, "2.5", "95,000,000"), (VI, "2", "95000000")],
)
def test_numbers_are_read_as_the_language_writes_them(
    client, reference, actors, headers, quantity, price
):
    client.force_login(actors.supplier)

    response = post(
        client,
        reference,
        actors.supplier_org,
        headers,
        quantity=quantity,
        min_order_quantity="",
        price_min=price,
        price_max=price,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    listing = Listing.objects.get()
    assert listing.price_min == 95_000_000
    assert listing.quantity == Decimal(quantity.replace(",", "."))


@pytest.mark.parametrize(
    ("headers", "value", "expected"),
    [(VI, "2,500", "2,5"), (EN, "2.500", "2.5"), (VI, "2.5", "2,5"), (EN, "95.000.000", "2.5")],
)
def test_what_could_be_read_two_ways_is_refused_with_how_to_write_it(
    client, reference, actors, headers, value, expected
):
    client.force_login(actors.supplier)

    response = post(
        client, reference, actors.supplier_org, headers, quantity=value, min_order_quantity=""
    )

    errors = field_errors(response.content.decode(), "quantity")
    assert expected in errors, errors
    assert not Listing.objects.exists()


def test_the_form_shows_numbers_back_as_the_language_writes_them(client, reference, actors):
    listing = coffee_listing(actors.supplier_org, reference, quantity=Decimal("2500.5"))
    listing.price_min, listing.price_max = 95_000_000, 120_000_000
    listing.save()
    client.force_login(actors.supplier)
    url = reverse("listings:edit", args=[listing.pk])

    vi = client.get(url, headers=VI).content.decode()
    en = client.get(url, headers=EN).content.decode()

    assert 'value="2.500,5"' in vi and 'value="95.000.000"' in vi
    assert 'value="2,500.5"' in en and 'value="95,000,000"' in en


@pytest.mark.parametrize(
    ("headers", "message"),
    [(VI, "Số lượng phải lớn hơn 0."), (EN, "Quantity must be greater than 0.")],
)
def test_a_non_positive_quantity_is_refused_in_words(client, reference, actors, headers, message):
    client.force_login(actors.supplier)

    response = post(
        client, reference, actors.supplier_org, headers, quantity="0", min_order_quantity=""
    )

    assert message in field_errors(response.content.decode(), "quantity")


def test_an_implausible_price_asks_for_confirmation_then_saves(client, reference, actors):
    """95 ₫ per tonne of coffee (meant: 95.000.000) is questioned, not silently saved."""
    for _n in range(3):
        coffee_listing(actors.outsider_org, reference, price_min=90_000_000, price_max=100_000_000)
    client.force_login(actors.supplier)
    data = {"price_min": "95", "price_max": "95", "min_order_quantity": ""}

    first = post(client, reference, actors.supplier_org, EN, **data)

    html = first.content.decode()
    assert first.status_code == 200
    assert 'data-testid="price-confirm"' in html
    assert "95 ₫ per tonne is far from what" in field_errors(html, "confirm_price")
    assert not Listing.objects.filter(organization=actors.supplier_org).exists()

    second = post(client, reference, actors.supplier_org, EN, confirm_price="on", **data)

    assert second.status_code == 302
    assert Listing.objects.get(organization=actors.supplier_org).price_min == 95


def test_a_plausible_price_is_not_questioned(client, reference, actors):
    for _n in range(3):
        coffee_listing(actors.outsider_org, reference, price_min=90_000_000, price_max=100_000_000)
    client.force_login(actors.supplier)

    response = post(
        client, reference, actors.supplier_org, VI, price_min="85.000.000", price_max="99.000.000"
    )

    assert response.status_code == 302


def test_without_comparable_listings_only_a_price_below_any_produce_is_questioned(
    client, reference, actors
):
    client.force_login(actors.supplier)

    response = post(client, reference, actors.supplier_org, VI, price_min="95", price_max="95")

    assert "bất thường" in field_errors(response.content.decode(), "confirm_price")


# --- what the pages say about a draft ----------------------------------------------------------


def test_a_saved_draft_is_told_it_is_a_draft_not_posted(client, reference, actors):
    client.force_login(actors.supplier)

    response = post(client, reference, actors.supplier_org, EN, status="draft")
    page = client.get(response.url, headers=EN).content.decode()

    assert "Draft saved. Only your organization sees it" in page
    assert "Listing posted" not in page
    assert "not matched until you publish it" in page
    assert "Matching runs as soon as" not in page


def test_an_open_listing_is_told_matching_started(client, reference, actors):
    client.force_login(actors.supplier)

    response = post(client, reference, actors.supplier_org, VI)
    page = client.get(response.url, headers=VI).content.decode()

    assert "Đã đăng tin" in page


def test_a_draft_with_past_dates_is_not_told_about_open_listings(client, reference, actors):
    client.force_login(actors.supplier)
    past = timezone.localdate() - datetime.timedelta(days=30)

    response = post(
        client,
        reference,
        actors.supplier_org,
        EN,
        status="draft",
        available_from=(past - datetime.timedelta(days=30)).isoformat(),
        available_until=past.isoformat(),
    )

    errors = field_errors(response.content.decode(), "available_until")
    assert "could never be opened" in errors
    assert "open cannot end in the past" not in errors


# --- a demand's window ------------------------------------------------------------------------


def test_a_demand_window_is_when_the_goods_are_needed(client, reference, actors):
    demand = coffee_listing(actors.buyer_org, reference, side="demand")
    supply = coffee_listing(actors.supplier_org, reference)

    demand_page = client.get(reverse("listings:detail", args=[demand.pk]), headers=VI)
    supply_page = client.get(reverse("listings:detail", args=[supply.pk]), headers=VI)

    assert "<dt>Cần hàng</dt>" in demand_page.content.decode()
    assert "<dt>Có hàng</dt>" not in demand_page.content.decode()
    assert "<dt>Có hàng</dt>" in supply_page.content.decode()


def test_the_edit_form_labels_a_demand_window_as_needed(client, reference, actors):
    demand = coffee_listing(actors.buyer_org, reference, side="demand")
    client.force_login(actors.buyer)

    html = client.get(reverse("listings:edit", args=[demand.pk]), headers=EN).content.decode()

    assert ">Needed from</label>" in html and ">Needed until</label>" in html
    assert "Available from" not in html
