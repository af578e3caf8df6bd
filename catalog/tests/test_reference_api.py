import pytest

from catalog.models import LegacyName

pytestmark = pytest.mark.django_db


def test_provinces_are_found_by_legacy_and_unaccented_names(api, reference):
    # Whatever province the fixture files "Đắk Nông" under (the real mapping, Lâm Đồng, is
    # checked against the seeded data in seeds/tests/test_provinces.py).
    expected = LegacyName.objects.get(name="Đắk Nông").province.code
    response = api.get("/api/v1/provinces/", {"q": "Dak Nong"})
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == [expected]

    response = api.get("/api/v1/provinces/", {"q": "tp hcm"})
    assert [p["name"] for p in response.json()["results"]] == ["Hồ Chí Minh"]


def test_units_carry_dimension_and_factor(api, reference):
    body = api.get("/api/v1/units/", {"page_size": 100}).json()
    units = {u["code"]: u for u in body["results"]}
    assert units["tonne"]["factor"] == 1000
    assert units["ta"]["dimension"] == "mass"
    assert units["l"]["base_unit"] == "l"
