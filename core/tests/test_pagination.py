"""Paging answers as the schema says: 400 for a page that is not a number of 1 or more, 404
past the last page, and page sizes capped at 100."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "99999999999999999999999"])
def test_a_page_that_is_not_a_positive_whole_number_is_a_400_naming_the_field(
    api, reference, value
):
    response = api.get("/api/v1/categories/", {"page": value})
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


@pytest.mark.parametrize("value", ["0", "abc", "13056941688017000000000"])
def test_a_bad_page_size_is_a_400_naming_the_field(api, reference, value):
    response = api.get("/api/v1/categories/", {"page_size": value})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_a_page_past_the_last_is_a_404_with_a_json_detail(api, reference):
    response = api.get("/api/v1/categories/", {"page": 999})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_huge_page_size_is_capped_at_100(api, reference):
    response = api.get("/api/v1/categories/", {"page_size": 13056941688017})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and len(body["results"]) == 4


def test_counts_are_exact_up_to_the_bound_and_over_a_limit(api, reference, settings):
    settings.DEBUG = True
    from django.db import connection, reset_queries

    reset_queries()
    body = api.get("/api/v1/categories/").json()
    assert body["count"] == 4 and body["count_is_estimate"] is False
    counts = [q["sql"] for q in connection.queries if "COUNT(" in q["sql"]]
    # The count stops at the bound: a COUNT over a LIMIT, never over the whole table.
    assert counts and all("LIMIT 1001" in sql for sql in counts)


def test_above_the_bound_the_count_is_the_planners_estimate(api, reference, monkeypatch):
    from core.pagination import CheapCountPaginator

    monkeypatch.setattr(CheapCountPaginator, "exact_up_to", 2)
    body = api.get("/api/v1/categories/", {"page_size": 1}).json()
    assert body["count_is_estimate"] is True
    assert body["count"] >= 3  # never below what was seen
    assert body["next"] is not None and len(body["results"]) == 1


def test_the_schema_documents_the_estimate(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedCategoryList"]
    assert "count_is_estimate" in page["required"]
    assert "estimate" in page["properties"]["count"]["description"]
