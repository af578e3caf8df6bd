"""``/api/v1/listings/``: what a client posts and what it reads back."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Product
from listings.models import Listing
from listings.tests.factories import listing_payload, make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


def test_a_member_posts_a_supply_and_reads_it_back(api, actors, reference):
    body = listing_payload(actors.supplier_org, unit="tấn", province="Phú Yên")
    response = api.as_user(actors.supplier).post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    listing = Listing.objects.get(pk=data["id"])
    assert listing.created_by == actors.supplier
    assert data["side"] == "supply"
    assert data["organization"] == actors.supplier_org.pk
    assert data["organization_detail"] == {
        "id": actors.supplier_org.pk,
        "name": "HTX Cà phê Ea Tu",
        "kind": "cooperative",
        "province": "66",
        "province_name": "Đắk Lắk",
        "verified": False,
    }
    assert data["unit"] == "tonne"  # the alias "tấn" comes back as the canonical code
    assert data["quantity"] == 20
    assert data["quantity_base"] == 20000
    assert data["base_unit"] == "kg"
    assert data["province"] == "66"  # the legacy name "Phú Yên" resolved to Đắk Lắk
    assert data["category"] == "robusta"
    assert data["certifications"] == ["vietgap"]
    assert data["status"] == "open"
    assert data["hidden"] is False
    assert data["price_min"] == 95000 and data["price_max"] == 105000
    for contact in ("phone", "email", "contact_person", "address", "tax_code"):
        assert contact not in data and contact not in data["organization_detail"]


def test_a_buyer_posts_a_demand_with_required_certifications(api, actors, reference):
    body = listing_payload(
        actors.buyer_org,
        side="demand",
        title="Cần mua cà phê nhân",
        category="coffee",
        quantity="5000",
        unit="kg",
        province="tp hcm",
        certifications=["vietgap", "organic"],
        min_ocop_stars=4,
        min_order_quantity="500",
    )
    response = api.as_user(actors.buyer).post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["side"] == "demand"
    assert data["province"] == "79"
    assert sorted(data["certifications"]) == ["organic", "vietgap"]
    assert data["min_ocop_stars"] == 4
    assert data["min_order_quantity"] == 500
    assert data["ocop_stars"] is None


def test_effective_ocop_stars_come_from_the_product(api, actors, reference):
    product = Product.objects.create(
        name="Cà phê Ea Tu",
        name_en="Ea Tu coffee",
        category=reference.robusta,
        origin_province=reference.daklak,
        ocop_stars=4,
    )
    body = listing_payload(actors.supplier_org, product=product.pk)
    data = api.as_user(actors.supplier).post(URL, body, format="json").json()
    assert data["product"] == product.pk
    assert data["ocop_stars"] is None
    assert data["effective_ocop_stars"] == 4

    listing = Listing.objects.get(pk=data["id"])
    patched = api.patch(f"{URL}{listing.pk}/", {"ocop_stars": 5}, format="json").json()
    assert patched["ocop_stars"] == 5 and patched["effective_ocop_stars"] == 5


def test_anonymous_visitors_read_open_listings_without_contacts(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)

    body = api.get(URL).json()
    assert body["count"] == 1
    assert set(body) == {"count", "count_is_estimate", "next", "previous", "results"}
    item = body["results"][0]
    assert item["id"] == listing.pk
    assert "phone" not in item["organization_detail"]

    detail = api.get(f"{URL}{listing.pk}/")
    assert detail.status_code == 200
    assert detail.json()["title"] == "Cà phê Robusta nhân xô"


def test_a_member_edits_with_patch_and_aliases(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    client = api.as_user(actors.supplier)

    response = client.patch(
        f"{URL}{listing.pk}/",
        {"quantity": "15", "unit": "tạ", "price_max": 120000, "certifications": ["organic"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    listing.refresh_from_db()
    assert listing.unit.code == "ta"
    assert listing.quantity_base == Decimal("1500.000")
    assert listing.price_max == 120000
    assert list(listing.certifications.values_list("code", flat=True)) == ["organic"]
    assert response.json()["certifications"] == ["organic"]


def test_patch_keeps_certifications_that_are_not_sent(api, actors, reference):
    listing = make_listing(
        organization=actors.supplier_org, reference=reference, certifications=[reference.vietgap]
    )
    response = api.as_user(actors.supplier).patch(
        f"{URL}{listing.pk}/", {"title": "Cà phê Robusta loại 1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["certifications"] == ["vietgap"]


def test_side_and_organization_cannot_change(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    response = api.as_user(actors.supplier).patch(
        f"{URL}{listing.pk}/", {"side": "demand"}, format="json"
    )
    assert response.status_code == 400
    assert "side" in response.json()
    listing.refresh_from_db()
    assert listing.side == "supply"


def test_put_is_not_offered(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    response = api.as_user(actors.supplier).put(
        f"{URL}{listing.pk}/", listing_payload(actors.supplier_org), format="json"
    )
    assert response.status_code == 405


def test_a_member_deletes(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    response = api.as_user(actors.supplier).delete(f"{URL}{listing.pk}/")
    assert response.status_code == 204
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_reopening_needs_a_window_that_has_not_ended(api, actors, reference):
    today = timezone.localdate()
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.EXPIRED,
        available_from=today - datetime.timedelta(days=30),
        available_until=today - datetime.timedelta(days=1),
    )
    client = api.as_user(actors.supplier)

    refused = client.patch(f"{URL}{listing.pk}/", {"status": "open"}, format="json")
    assert refused.status_code == 400
    assert "available_until" in refused.json()

    later = (today + datetime.timedelta(days=10)).isoformat()
    reopened = client.patch(
        f"{URL}{listing.pk}/", {"status": "open", "available_until": later}, format="json"
    )
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] == "open"


def test_page_size_is_capped_at_100(api, actors, reference):
    for i in range(3):
        make_listing(organization=actors.supplier_org, reference=reference, title=f"Lô {i}")
    body = api.get(URL, {"page_size": 1000}).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    body = api.get(URL, {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"]


def test_the_browsable_api_escapes_what_was_typed(api, actors, reference):
    listing = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="<script>alert(1)</script> cà phê",
    )
    assert Listing.objects.get(pk=listing.pk).title.startswith("<script>")

    json_body = api.get(f"{URL}{listing.pk}/").json()
    assert json_body["title"] == "<script>alert(1)</script> cà phê"

    html = api.get(f"{URL}{listing.pk}/", HTTP_ACCEPT="text/html").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("alias", "code", "base"),
    [
        ("tấn", "tonne", 2000),
        ("tạ", "ta", 200),
        ("yến", "yen", 20),
        ("lít", "l", 2),
        ("hộp", "box", 2),
        ("thùng", "carton", 2),
        ("chai", "bottle", 2),
        ("bao", "bag", 2),
        ("cái", "piece", 2),
        ("KG", "kg", 2),
    ],
)
def test_unit_aliases_come_back_as_codes(api, actors, reference, alias, code, base):
    body = listing_payload(actors.supplier_org, quantity="2", unit=alias)
    data = api.as_user(actors.supplier).post(URL, body, format="json").json()
    assert (data["unit"], data["quantity_base"]) == (code, base)
