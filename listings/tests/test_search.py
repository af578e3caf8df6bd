"""``listings.search``: the stored document, whole words and concepts, ranking and misspellings,
through ``GET /api/v1/listings/?q=`` (the demo-market quality table is in
``seeds/tests/test_search_quality.py``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings import search, services
from listings.models import Listing
from listings.tests.factories import make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


def titles(api, **params) -> list[str]:
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def posted(listing: Listing, days_ago: int) -> Listing:
    Listing.objects.filter(pk=listing.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return listing


def test_a_title_ranks_above_a_description_whatever_the_dates(api, actors, reference):
    in_title = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="Sầu riêng Ri6",
        category=reference.durian,
        description="",
    )
    posted(in_title, days_ago=10)
    make_listing(
        organization=actors.outsider_org,
        reference=reference,
        title="Sầu riêng Monthong",
        category=reference.durian,
        description="Vườn có cả Ri6.",
    )

    assert titles(api, q="ri6") == ["Sầu riêng Ri6", "Sầu riêng Monthong"]
    # An explicit ordering still wins.
    assert titles(api, q="ri6", ordering="-created_at") == ["Sầu riêng Monthong", "Sầu riêng Ri6"]


def test_equal_relevance_goes_to_the_newest(api, actors, reference):
    older = make_listing(organization=actors.supplier_org, reference=reference, title="Tiêu đen")
    posted(older, days_ago=3)
    make_listing(
        organization=actors.outsider_org, reference=reference, title="Tiêu đen", description="x"
    )
    results = api.get(URL, {"q": "tieu den"}).json()["results"]
    assert [r["id"] for r in results][-1] == older.pk


def test_words_are_whole_and_phrases_are_concepts(api, actors, reference):
    make_listing(organization=actors.supplier_org, reference=reference, title="Cua biển Cà Mau")
    make_listing(organization=actors.buyer_org, reference=reference, title="Gạo cho chuỗi cửa hàng")
    make_listing(organization=actors.outsider_org, reference=reference, title="Hủ tiếu Mỹ Tho")
    make_listing(organization=actors.outsider_org, reference=reference, title="Hồ tiêu đen")

    assert titles(api, q="cua") == ["Cua biển Cà Mau"]
    assert titles(api, q="tieu") == ["Hồ tiêu đen"]
    assert titles(api, q="hu tieu") == ["Hủ tiếu Mỹ Tho"]


def test_province_legacy_names_and_organization_names_are_searched(api, actors, reference):
    make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="Cà phê nhân xô",
        province=reference.daklak,
    )
    make_listing(
        organization=actors.buyer_org,
        reference=reference,
        title="Cà phê hạt",
        province=reference.hcmc,
    )

    assert titles(api, q="ca phe phu yen") == ["Cà phê nhân xô"]  # Phú Yên is now Đắk Lắk
    assert titles(api, q=f"coffee {actors.buyer_org.name}") == ["Cà phê hạt"]


def test_the_document_follows_edits_and_not_other_updates(api, actors, reference):
    listing = make_listing(
        organization=actors.supplier_org, reference=reference, title="Sầu riêng Ri6"
    )
    services.listing_update(listing=listing, by_user=actors.supplier, title="Bơ sáp Đắk Lắk")

    assert titles(api, q="ri6") == []
    assert titles(api, q="avocado") == ["Bơ sáp Đắk Lắk"]
    vector = Listing.objects.values_list("search_vector", flat=True).get(pk=listing.pk)
    assert "'avocado':" in vector and "'ri6'" not in vector


def test_misspellings_are_mended_by_the_vocabulary_on_every_database(actors, reference):
    make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="Sầu riêng Dona",
        category=reference.durian,
    )
    for engine in ("postgresql", "portable"):
        found = search.search(Listing.objects.all(), "durain", engine=engine)
        assert [listing.title for listing in found] == ["Sầu riêng Dona"], engine


def test_misspelt_names_are_found_by_trigram_similarity_on_postgresql(actors, reference):
    make_listing(organization=actors.supplier_org, reference=reference, title="Cà phê Krông Pắc")
    make_listing(organization=actors.outsider_org, reference=reference, title="Cà phê Cầu Đất")

    found = search.search(Listing.objects.all(), "krong pack", engine="postgresql")
    assert [listing.title for listing in found] == ["Cà phê Krông Pắc"]
    assert not search.search(Listing.objects.all(), "krong pack", engine="portable").exists()


def test_a_query_of_stop_words_only_still_looks_for_them(api, actors, reference):
    make_listing(organization=actors.supplier_org, reference=reference, title="Hàng xuất khẩu")
    assert titles(api, q="xuat khau") == ["Hàng xuất khẩu"]


def test_an_organization_renamed_is_found_by_its_new_name(api, actors, reference):
    make_listing(organization=actors.supplier_org, reference=reference, title="Cà phê hạt")
    actors.supplier_org.name = "HTX Ea Tu Xanh"
    actors.supplier_org.save()

    assert titles(api, q="ea tu xanh") == ["Cà phê hạt"]


def test_a_page_of_a_search_ranks_ids_only_then_reads_its_rows(actors, reference):
    for i in range(7):
        listing = make_listing(
            organization=actors.supplier_org,
            reference=reference,
            title=f"Cà phê Robusta lô {i}" if i % 2 else f"Mật ong hoa cà phê {i}",
            description="cà phê" if i % 3 else "",
        )
        posted(listing, days_ago=i)
    found = Listing.objects.search("ca phe").ranked()
    whole = [(row.pk, row.search_rank) for row in found.iterator()]  # one step, every column
    with CaptureQueriesContext(connection) as queries:
        page = list(found[1:5])
    ranking, rows = queries.captured_queries
    select = ranking["sql"].split(" FROM ")[0]
    assert select.count(",") == 0 and '"id"' in select  # the ranking reads ids only
    assert "LIMIT 4 OFFSET 1" in ranking["sql"] and "LIMIT" not in rows["sql"]
    assert [(row.pk, row.search_rank) for row in page] == whole[1:5]
    assert all(row.title for row in page)  # whole rows
