"""Requests no view handles still get the answer their client reads."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/listings/1.5/hide/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_is_the_html_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_listing_filter_id_beyond_the_database_integers_is_a_400(api, actors):
    response = api.as_user(actors.buyer).get(
        "/api/v1/matches/", {"listing": "14471147176409321472", "page_size": "13056941688017"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["listing"]
