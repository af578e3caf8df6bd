"""Every name people use for a province leads to the current one (34 since 1 July 2025)."""

import pytest

from catalog import adminunits
from catalog.models import LegacyName, Province
from catalog.text import fold_compact
from seeds.data.regions import SPELLINGS
from seeds.loaders import legacy_name_rows

NAMED = [
    ("Kon Tum", "Quảng Ngãi"),
    ("Bắc Kạn", "Thái Nguyên"),
    ("Bac Kan", "Thái Nguyên"),
    ("Thừa Thiên Huế", "Huế"),
    ("Thua Thien Hue", "Huế"),
    ("Thừa Thiên – Huế", "Huế"),
    ("tp hcm", "Hồ Chí Minh"),
    ("TP.HCM", "Hồ Chí Minh"),
    ("Sài Gòn", "Hồ Chí Minh"),
    ("Bình Dương", "Hồ Chí Minh"),
    ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ("Hà Nam", "Ninh Bình"),
    ("Đắk Nông", "Lâm Đồng"),
    ("Quảng Bình", "Quảng Trị"),
    ("Hậu Giang", "Cần Thơ"),
    ("Sóc Trăng", "Cần Thơ"),
    ("Daklak", "Đắk Lắk"),
    ("Hanoi", "Hà Nội"),
    ("HN", "Hà Nội"),
    ("Tỉnh Kon Tum", "Quảng Ngãi"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
]


def test_the_package_mapping_holds_for_the_named_examples():
    """The brief's examples, checked against the package rather than trusted."""
    conversion = adminunits.province_conversion()
    assert "tinhkontum" in conversion["tinhquangngai"]
    assert "tinhbackan" in conversion["tinhthainguyen"]
    assert "tinhbinhduong" in conversion["thanhphohochiminh"]
    assert "tinhhanam" in conversion["tinhninhbinh"]
    assert "tinhdaknong" in conversion["tinhlamdong"]
    assert "tinhquangbinh" in conversion["tinhquangtri"]
    assert "tinhhaugiang" in conversion["thanhphocantho"]


def test_there_are_34_provinces_in_six_regions(seeded):
    provinces = Province.objects.select_related("region")
    assert provinces.count() == 34
    assert {p.region.code for p in provinces} == {
        "northern-midlands-mountains",
        "red-river-delta",
        "north-central-central-coast",
        "central-highlands",
        "southeast",
        "mekong-delta",
    }
    hcmc = provinces.get(code="79")
    assert (hcmc.name, hcmc.name_en, hcmc.kind) == ("Hồ Chí Minh", "Ho Chi Minh City", "city")
    assert hcmc.region.code == "southeast"
    assert provinces.get(code="66").region.code == "central-highlands"
    assert provinces.filter(kind="city").count() == 6
    assert 8 < hcmc.latitude < 12 and 105 < hcmc.longitude < 108


def test_every_legacy_province_resolves_to_its_current_one(seeded):
    """The whole mapping, against the package's DICT_PROVINCE."""
    current_code = {p.key: p.code for p in adminunits.current_provinces()}
    expected = {
        old_key: current_code[new_key]
        for new_key, old_keys in adminunits.province_conversion().items()
        for old_key in old_keys
    }
    legacy = adminunits.legacy_provinces()
    assert len(legacy) == 63 and len(expected) == 63
    for old in legacy:
        want = expected[old.key]
        assert Province.objects.resolve(old.name).code == want, old.name
        assert Province.objects.resolve(old.full_name).code == want, old.full_name
        stored = LegacyName.objects.get(kind="legacy", legacy_code=old.code)
        assert stored.province.code == want, old.name


def test_every_seeded_spelling_resolves(seeded):
    for code, spellings in SPELLINGS.items():
        for spelling in spellings:
            assert Province.objects.resolve(spelling).code == code, spelling


def test_spellings_that_already_resolve_are_not_stored_twice():
    rows = legacy_name_rows()
    compacts = [fold_compact(name) for name, *_ in rows]
    assert len(compacts) == len(set(compacts))
    names = {name for name, *_ in rows}
    assert "Hanoi" not in names  # "Hà Nội" (legacy) already covers it
    assert "Thừa Thiên Huế" in names and "Thua Thien Hue" not in names
    assert "TP HCM" in names and "TP.HCM" not in names


@pytest.mark.parametrize(("typed", "current"), NAMED)
def test_named_examples_resolve(seeded, typed, current):
    assert Province.objects.resolve(typed).name == current


@pytest.mark.parametrize(
    ("q", "current"),
    [
        ("Kon Tum", "Quảng Ngãi"),
        ("Bac Kan", "Thái Nguyên"),
        ("Thua Thien Hue", "Huế"),
        ("tp hcm", "Hồ Chí Minh"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Hà Nam", "Ninh Bình"),
        ("Đắk Nông", "Lâm Đồng"),
        ("Quảng Bình", "Quảng Trị"),
        ("Hậu Giang", "Cần Thơ"),
    ],
)
def test_the_api_finds_provinces_by_legacy_name(seeded, api, q, current):
    response = api.get("/api/v1/provinces/", {"q": q})
    assert response.status_code == 200
    names = [p["name"] for p in response.json()["results"]]
    assert names == [current]


def test_the_api_lists_legacy_names(seeded, api):
    body = api.get("/api/v1/provinces/51/").json()
    assert body["name"] == "Quảng Ngãi"
    assert body["region"] == "north-central-central-coast"
    assert sorted(body["legacy_names"]) == ["Kon Tum", "Quảng Ngãi"]
    hue = api.get("/api/v1/provinces/46/").json()
    assert hue["legacy_names"] == ["Thừa Thiên Huế"]
