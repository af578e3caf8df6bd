"""Bad input to ``/api/v1/listings/``: a 4xx with field messages in the caller's language,
never a 500, and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from listings.models import Listing
from listings.tests.factories import listing_payload, make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


def post(api, actors, lang="en", **overrides):
    body = listing_payload(actors.supplier_org, **overrides)
    response = api.as_user(actors.supplier).post(
        URL, body, format="json", HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400, response.content
    assert Listing.objects.count() == 0
    return response.json()


def test_malformed_json(api, actors):
    response = api.as_user(actors.supplier).post(
        URL, data='{"title": "Cà phê",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert Listing.objects.count() == 0


def test_a_body_that_is_not_an_object(api, actors):
    response = api.as_user(actors.supplier).post(URL, ["title"], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("field", "value", "english", "vietnamese"),
    [
        ("unit", "bushel", "Unknown unit “bushel”", "Đơn vị “bushel” không có"),
        ("category", "caphe", "Unknown category “caphe”", "Danh mục “caphe” không có"),
        ("province", "Kon Tumm", "Unknown province “Kon Tumm”", "Tỉnh/thành “Kon Tumm” không có"),
        ("product", 999999, "Unknown product 999999", "Sản phẩm 999999 không có"),
    ],
)
def test_unknown_reference_values_are_named(api, actors, field, value, english, vietnamese):
    assert english in post(api, actors, "en", **{field: value})[field][0]
    assert vietnamese in post(api, actors, "vi", **{field: value})[field][0]


def test_unknown_certification_is_named(api, actors):
    errors = post(api, actors, certifications=["vietgap", "iso9999"])
    assert "Unknown certification “iso9999”" in str(errors["certifications"])


@pytest.mark.parametrize("quantity", ["0", "-5", "abc", "NaN", "Infinity", "", None, True, []])
def test_quantity_must_be_a_positive_number(api, actors, quantity):
    errors = post(api, actors, quantity=quantity)
    assert list(errors) == ["quantity"]


def test_zero_quantity_message_in_both_languages(api, actors):
    assert post(api, actors, "en", quantity="0")["quantity"] == [
        "The quantity must be greater than zero."
    ]
    assert post(api, actors, "vi", quantity="0")["quantity"] == ["Số lượng phải lớn hơn 0."]


def test_too_many_decimal_places(api, actors):
    assert "quantity" in post(api, actors, quantity="1.23456")


def test_lowest_price_above_highest(api, actors):
    errors = post(api, actors, "en", price_min=200000, price_max=100000)
    assert errors == {"price_max": ["The highest price cannot be below the lowest price."]}
    errors = post(api, actors, "vi", price_min=200000, price_max=100000)
    assert errors == {"price_max": ["Giá cao nhất không được thấp hơn giá thấp nhất."]}


@pytest.mark.parametrize("price", [-1, 1.5, "12,5", "free", 10**20])
def test_prices_are_whole_numbers_at_least_zero(api, actors, price):
    assert list(post(api, actors, price_min=price, price_max=None)) == ["price_min"]


def test_inverted_window(api, actors):
    today = timezone.localdate()
    errors = post(
        api,
        actors,
        "en",
        available_from=(today + datetime.timedelta(days=10)).isoformat(),
        available_until=today.isoformat(),
    )
    assert errors == {"available_until": ["The window must end on or after its start."]}


def test_a_new_listing_cannot_end_in_the_past(api, actors):
    today = timezone.localdate()
    body = {
        "available_from": (today - datetime.timedelta(days=10)).isoformat(),
        "available_until": (today - datetime.timedelta(days=1)).isoformat(),
    }
    assert post(api, actors, "en", **body)["available_until"] == [
        "A listing that is open cannot end in the past."
    ]
    assert post(api, actors, "vi", **body)["available_until"] == [
        "Tin đang mở không thể kết thúc trong quá khứ."
    ]


@pytest.mark.parametrize("value", ["31/12/2025", "2025-02-30", "tomorrow", 20250101])
def test_dates_must_be_iso(api, actors, value):
    assert "available_from" in post(api, actors, available_from=value)


def test_over_long_text(api, actors):
    errors = post(api, actors, "en", title="x" * 201, description="y" * 5001)
    assert errors["title"] == ["Ensure this field has no more than 200 characters."]
    assert errors["description"] == ["Ensure this field has no more than 5000 characters."]
    errors = post(api, actors, "vi", title="x" * 201)
    assert errors["title"] == ["Trường này không được vượt quá 200 ký tự."]


def test_null_bytes_and_control_characters_are_dropped(api, actors):
    """PostgreSQL refuses NUL, and control characters broke digests and exports (issue 16)."""
    body = listing_payload(
        actors.supplier_org, title="Cà phê\x00\r\n\x01\x1b Ea Tu", description="a\x00b\r\nc"
    )
    response = api.as_user(actors.supplier).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Cà phê  Ea Tu"
    assert response.json()["description"] == "ab\nc"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ["Cà phê"]),
        ("title", {"vi": "Cà phê"}),
        ("unit", ["kg"]),
        ("category", 7),
        ("province", 66),
        ("certifications", "vietgap"),
        ("certifications", [["vietgap"]]),
        ("organization", "HTX"),
        ("organization", True),
        ("organization", 10**30),
        ("side", "sell"),
        ("ocop_stars", 6),
        ("status", "archived"),
    ],
)
def test_wrong_types(api, actors, field, value):
    assert field in post(api, actors, **{field: value})


def test_required_fields_in_both_languages(api, actors):
    response = api.as_user(actors.supplier).post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    errors = response.json()
    assert response.status_code == 400
    for field in ("side", "organization", "title", "category", "quantity", "unit", "province"):
        assert errors[field] == ["This field is required."]
    response = api.as_user(actors.supplier).post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["title"] == ["Trường này là bắt buộc."]


def test_expired_cannot_be_sent(api, actors, reference):
    errors = post(api, actors, "en", status="expired")
    assert "set by the system" in errors["status"][0]
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    response = api.as_user(actors.supplier).patch(
        f"{URL}{listing.pk}/", {"status": "expired"}, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert "hệ thống" in response.json()["status"][0]
    listing.refresh_from_db()
    assert listing.status == "open"


def test_a_foreign_organization_is_refused(api, actors):
    response = api.as_user(actors.supplier).post(
        URL, listing_payload(actors.buyer_org), format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Bạn chỉ có thể đăng tin cho tổ chức mà bạn là thành viên."
    )
    assert Listing.objects.count() == 0


def test_an_organization_that_does_not_exist(api, actors):
    errors = post(api, actors, "en", organization=987654)
    assert errors["organization"] == ["Unknown organization 987654."]


def test_model_rules_come_back_as_field_messages(api, actors):
    errors = post(api, actors, "en", min_order_quantity="50", quantity="20")
    assert errors["min_order_quantity"] == ["The minimum order cannot be larger than the quantity."]
    errors = post(api, actors, "en", min_ocop_stars=4)
    assert "min_ocop_stars" in errors


def test_a_bad_patch_changes_nothing(api, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    response = api.as_user(actors.supplier).patch(
        f"{URL}{listing.pk}/",
        {"title": "Mới", "quantity": "-1", "price_min": 5, "price_max": 1},
        format="json",
    )
    assert response.status_code == 400
    # field errors first; the price rule is checked once every field parses
    assert set(response.json()) == {"quantity"}
    listing.refresh_from_db()
    assert listing.title == "Cà phê Robusta nhân xô"


def test_a_patch_price_is_checked_against_the_stored_one(api, actors, reference):
    listing = make_listing(
        organization=actors.supplier_org, reference=reference, price_min=100, price_max=200
    )
    response = api.as_user(actors.supplier).patch(
        f"{URL}{listing.pk}/", {"price_min": 300}, format="json"
    )
    assert response.status_code == 400
    assert "price_max" in response.json()


@pytest.mark.parametrize("path", ["abc", "0", "99999999999999999999999", "-1", "1.5"])
def test_odd_ids_are_not_found(api, actors, path):
    assert api.get(f"{URL}{path}/").status_code == 404
    response = api.as_user(actors.supplier).patch(f"{URL}{path}/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"category": "nope"},
        {"province": "Kon Tumm"},
        {"region": "atlantis"},
        {"certification": "iso9999"},
        {"organization": "abc"},
        {"organization": "99999999999999999999999"},
        {"available_from": "soon"},
        {"side": "sell"},
        {"status": "gone"},
        {"category": "coffee\x00"},
    ],
)
def test_bad_filters_answer_400(api, reference, params):
    response = api.get(URL, params)
    assert response.status_code == 400, response.content
    assert set(response.json()) == set(params)


def test_null_bytes_in_search_are_harmless(api, reference):
    assert api.get(URL, {"q": "cà phê\x00"}).status_code in (200, 400)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", "1_000"),
        ("quantity", "1e3"),
        ("min_order_quantity", "1_0"),
        ("price_min", "95_000"),
        ("price_max", 1.5),
        ("ocop_stars", "4.0"),
        ("title", 12345),
        ("description", 3.5),
        ("certifications", ["vietgap", "vietgap"]),
    ],
)
def test_what_drf_would_coerce_is_refused_under_its_field(api, actors, field, value):
    """The probe's values (issue 16, finding 8): each a 400 on its own field, nothing saved."""
    errors = post(api, actors, **{field: value})
    assert list(errors) == [field]
    assert not Listing.objects.exists()


@pytest.mark.parametrize("field", ["category", "unit", "province", "certifications"])
def test_a_nul_in_a_code_is_a_400_not_a_database_error(api, actors, field):
    """Schemathesis sent a category holding NUL as multipart: PostgreSQL refused the lookup."""
    value = ["viet\x00gap"] if field == "certifications" else "rob\x00usta"
    body = {**listing_payload(actors.supplier_org), field: value}
    response = api.as_user(actors.supplier).post(URL, body, format="multipart")
    assert response.status_code in (201, 400), response.content
    assert response.status_code == 201 or field in response.json()
