"""Filters, search and ordering of ``GET /api/v1/listings/``."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Unit
from listings.models import Listing
from listings.tests.factories import make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


def ids(api, **params):
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def market(actors, reference):
    """A few listings across sides, categories, provinces and windows."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    robusta = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="Cà phê Robusta Buôn Ma Thuột",
        certifications=[reference.vietgap, reference.organic],
        price_min=90000,
        price_max=100000,
        available_until=today + 30 * day,
    )
    durian = make_listing(
        organization=actors.outsider_org,
        reference=reference,
        title="Sầu riêng Ri6",
        description="Hàng tuyển, giao tại vườn",
        category=reference.durian,
        province=reference.lamdong,
        quantity=Decimal("500"),
        unit=Unit.objects.get(code="kg"),
        certifications=[reference.vietgap],
        price_min=60000,
        price_max=80000,
        available_from=today + 40 * day,
        available_until=today + 90 * day,
    )
    demand = make_listing(
        organization=actors.buyer_org,
        reference=reference,
        side="demand",
        title="Cần mua cà phê nhân",
        description="Giao tại kho Thủ Đức",
        category=reference.coffee,
        province=reference.hcmc,
        quantity=Decimal("100"),
        unit=Unit.objects.get(code="tonne"),
        price_min=85000,
        price_max=95000,
        available_until=today + 10 * day,
    )
    return {"robusta": robusta.pk, "durian": durian.pk, "demand": demand.pk}


def test_side(api, market):
    assert ids(api, side="demand") == {market["demand"]}
    assert ids(api, side="supply") == {market["robusta"], market["durian"]}


def test_category_includes_its_sub_categories(api, market):
    assert ids(api, category="coffee") == {market["robusta"], market["demand"]}
    assert ids(api, category="robusta") == {market["robusta"]}
    assert ids(api, category="agricultural") == set(market.values())


def test_province_by_code_name_legacy_or_unaccented(api, market):
    for value in ("66", "Đắk Lắk", "dak lak", "Phú Yên", "Phu Yen"):
        assert ids(api, province=value) == {market["robusta"]}, value
    assert ids(api, province="TP HCM") == {market["demand"]}


def test_region(api, market):
    assert ids(api, region="central-highlands") == {market["robusta"], market["durian"]}
    assert ids(api, region="southeast") == {market["demand"]}


def test_organization(api, actors, market):
    assert ids(api, organization=actors.outsider_org.pk) == {market["durian"]}


def test_certification_repeated_or_comma_separated_means_all_of_them(api, market):
    assert ids(api, certification="vietgap") == {market["robusta"], market["durian"]}
    assert ids(api, certification="vietgap,organic") == {market["robusta"]}
    assert api.get(f"{URL}?certification=vietgap&certification=organic").json()["count"] == 1


def test_available_between_two_dates_means_the_windows_overlap(api, market):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    window = {
        "available_from": (today + 20 * day).isoformat(),
        "available_until": (today + 45 * day).isoformat(),
    }
    # robusta runs to +30, durian from +40: both overlap [+20, +45]; the demand ends at +10
    assert ids(api, **window) == {market["robusta"], market["durian"]}
    assert ids(api, available_until=(today + 5 * day).isoformat()) == {
        market["robusta"],
        market["demand"],
    }
    assert ids(api, available_from=(today + 60 * day).isoformat()) == {market["durian"]}


def test_status_filter_within_what_the_caller_may_see(api, actors, market):
    Listing.objects.filter(pk=market["robusta"]).update(status="paused")
    assert ids(api, status="paused") == set()
    assert ids(api.as_user(actors.supplier), status="paused") == {market["robusta"]}


@pytest.mark.parametrize("q", ["ca phe", "cà phê", "coffee", "CÀ PHÊ", "Cafe"])
def test_search_ignores_diacritics_and_crosses_languages(api, market, q):
    assert ids(api, q=q) == {market["robusta"], market["demand"]}


def test_search_expands_every_word_of_a_longer_query(api, market):
    # "coffee" is found through its synonym "cà phê", "robusta" in the title
    assert ids(api, q="coffee robusta") == {market["robusta"]}
    assert ids(api, q="durian vuon") == {market["durian"]}
    assert ids(api, q="sau rieng Ri6") == {market["durian"]}
    assert ids(api, q="coffee durian") == set()


def test_search_finds_description_and_category_names(api, market):
    assert ids(api, q="hang tuyen") == {market["durian"]}
    assert ids(api, q="Nông sản") == set(market.values())


def test_ordering(api, market):
    def order(value):
        return [item["id"] for item in api.get(URL, {"ordering": value}).json()["results"]]

    assert order("price_min") == [market["durian"], market["demand"], market["robusta"]]
    assert order("-price_min") == [market["robusta"], market["demand"], market["durian"]]
    # 500 kg < 20 t < 100 t once converted to the base unit
    assert order("quantity_base") == [market["durian"], market["robusta"], market["demand"]]
    assert order("available_until")[0] == market["demand"]
    assert order("-created_at") == [market["demand"], market["durian"], market["robusta"]]
    # an unknown ordering is ignored rather than refused
    assert set(order("password")) == set(market.values())


def test_filters_combine(api, market):
    assert ids(api, side="supply", q="cà phê", province="66", certification="organic") == {
        market["robusta"]
    }


def test_search_tells_avocado_from_beef_when_the_accents_are_typed(api, actors, reference):
    avocado = make_listing(
        organization=actors.supplier_org, reference=reference, title="Bơ sáp 034", description=""
    )
    beef = make_listing(
        organization=actors.buyer_org,
        reference=reference,
        side="demand",
        title="Cần mua thịt bò",
        description="",
    )
    assert ids(api, q="bơ") == {avocado.pk}
    assert ids(api, q="bò") == {beef.pk}
    assert ids(api, q="bo") == {avocado.pk, beef.pk}  # unaccented: either
    assert ids(api, q="avocado") == {avocado.pk}
