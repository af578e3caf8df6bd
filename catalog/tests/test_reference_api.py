import pytest

pytestmark = pytest.mark.django_db


def test_provinces_are_found_by_legacy_and_unaccented_names(api, reference):
    response = api.get("/api/v1/provinces/", {"q": "Dak Nong"})
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["66"]

    response = api.get("/api/v1/provinces/", {"q": "tp hcm"})
    assert [p["name"] for p in response.json()["results"]] == ["Hồ Chí Minh"]


def test_units_carry_dimension_and_factor(api, reference):
    body = api.get("/api/v1/units/", {"page_size": 100}).json()
    units = {u["code"]: u for u in body["results"]}
    assert units["tonne"]["factor"] == 1000
    assert units["ta"]["dimension"] == "mass"
    assert units["l"]["base_unit"] == "l"
