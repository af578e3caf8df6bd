"""City, town and district names people use ("Buôn Ma Thuột", "Thủ Đức", "Pleiku") lead to
their current province (``seeds.adminunits.towns``, stored as ``LegacyName`` places)."""

import pytest
from django.urls import reverse

from catalog.models import LegacyName, Province
from seeds.loaders import legacy_name_rows

TOWNS = [
    ("Buôn Ma Thuột", "Đắk Lắk"),
    ("buon ma thuot", "Đắk Lắk"),
    ("Thành phố Buôn Ma Thuột", "Đắk Lắk"),
    ("Thủ Đức", "Hồ Chí Minh"),
    ("Pleiku", "Gia Lai"),
    ("Đà Lạt", "Lâm Đồng"),
    ("Nha Trang", "Khánh Hòa"),
    ("Hội An", "Đà Nẵng"),  # Quảng Nam joined Đà Nẵng
    ("Quận 1", "Hồ Chí Minh"),
]


@pytest.mark.parametrize(("typed", "current"), TOWNS)
def test_a_town_resolves_to_its_current_province(seeded, typed, current):
    assert Province.objects.resolve(typed).name == current


def test_the_province_box_suggests_the_province_of_a_town(seeded, client):
    html = client.get(reverse("accounts:lookup-provinces"), {"q": "Pleiku"}).content
    html = html.decode()

    assert "Pleiku → " in html and "Gia Lai" in html


def test_a_name_of_towns_in_different_provinces_or_a_number_is_not_stored():
    names = {name for name, kind, *_ in legacy_name_rows() if kind == LegacyName.Kind.PLACE}

    assert not any(name.isdigit() for name in names)
    assert "Châu Thành" not in names  # a rural district name of eleven provinces
    assert {"Buôn Ma Thuột", "Thủ Đức", "Pleiku"} <= names


def test_the_api_lists_only_pre_2025_provinces_as_legacy_names(seeded, client):
    rows = client.get("/api/v1/provinces/", {"q": "Dak Lak"}).json()["results"]

    daklak = next(p for p in rows if p["name"] == "Đắk Lắk")
    assert "Buôn Ma Thuột" not in daklak["legacy_names"]
