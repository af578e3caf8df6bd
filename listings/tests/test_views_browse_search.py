"""The browse page's ranking, sorting and price / quantity / date filters
(``listings/forms.py: BrowseForm`` over ``listings.search``)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.pages import field_errors
from listings.models import Listing
from listings.tests.factories import coffee_listing

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def order(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="card listing-card.*?<h3[^>]*>.*?<a[^>]*>([^<]+)</a>', html, re.S)


@pytest.fixture
def three(reference, actors):
    today = timezone.localdate()
    cheap = coffee_listing(
        actors.supplier_org,
        reference,
        title="Robusta giá rẻ",
        price_min=50_000,
        price_max=60_000,
        quantity=Decimal("5"),
        available_until=today + 20 * DAY,
    )
    dear = coffee_listing(
        actors.outsider_org,
        reference,
        title="Robusta hảo hạng",
        price_min=120_000,
        price_max=150_000,
        quantity=Decimal("50"),
        available_from=today + 40 * DAY,
        available_until=today + 90 * DAY,
    )
    plain = coffee_listing(
        actors.buyer_org,
        reference,
        title="Cà phê nhân xô",
        description="robusta",
        quantity=Decimal("20"),
        price_min=None,
        price_max=None,
    )
    Listing.objects.filter(pk=cheap.pk).update(created_at=timezone.now() - 5 * DAY)
    return cheap, dear, plain


def browse(client, **params):
    response = client.get(reverse("listings:browse"), params)
    assert response.status_code == 200
    return response


def test_a_search_lists_the_most_relevant_first(client, three):
    titles = order(browse(client, q="robusta"))
    assert titles[-1] == "Cà phê nhân xô"  # robusta only in its description


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["Cà phê nhân xô", "Robusta hảo hạng", "Robusta giá rẻ"]),
        ("price", ["Robusta giá rẻ", "Robusta hảo hạng", "Cà phê nhân xô"]),
        ("-price", ["Robusta hảo hạng", "Robusta giá rẻ", "Cà phê nhân xô"]),
        ("quantity", ["Robusta hảo hạng", "Cà phê nhân xô", "Robusta giá rẻ"]),
    ],
)
def test_sorting(client, three, sort, expected):
    assert order(browse(client, sort=sort)) == expected


def test_price_quantity_and_date_filters(client, three):
    today = timezone.localdate()
    assert order(browse(client, price_from="100.000")) == ["Robusta hảo hạng"]
    assert order(browse(client, price_to="70.000")) == ["Robusta giá rẻ"]
    # 20 t is 20.000 kg (base unit); written the Vietnamese way
    assert set(order(browse(client, quantity_from="20.000"))) == {
        "Robusta hảo hạng",
        "Cà phê nhân xô",
    }
    late = (today + 30 * DAY).isoformat()
    assert "Robusta giá rẻ" not in order(browse(client, available_from=late))
    assert order(browse(client, available_until=(today + 10 * DAY).isoformat(), sort="price")) == [
        "Robusta giá rẻ",
        "Cà phê nhân xô",
    ]


def test_a_number_typed_the_other_way_is_a_form_error_and_the_filter_is_left_out(client, three):
    response = client.get(reverse("listings:browse"), {"price_from": "1,5"})
    html = response.content.decode()
    assert field_errors(html, "price_from")
    assert len(order(response)) == 3


def test_english_numbers_are_read_the_english_way(client, three):
    response = client.get(
        reverse("listings:browse"), {"price_from": "100,000"}, headers={"accept-language": "en"}
    )
    assert order(response) == ["Robusta hảo hạng"]
