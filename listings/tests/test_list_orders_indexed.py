"""Every order a list of listings is read in has an index that gives it: a page of 20 walks
the index and stops instead of sorting every listing (100 ms at 200,000)."""

import pytest
from django.db import connection, transaction

from listings.forms import SORTS
from listings.models import Listing

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # With sorting priced out, the planner sorts only if no index gives the order.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize("sort", [key for key in SORTS if key])
def test_each_sort_of_the_browse_page_walks_an_index(sort):
    plan = _plan(SORTS[sort](Listing.objects.open())[:20])
    assert "Sort" not in plan.replace("Sort Key", ""), plan
    assert "Index Scan" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(
    "ordering", [["-created_at", "-id"], ["-quantity_base"], ["price_min"], ["-created_at"]]
)
def test_the_api_s_orders_walk_an_index(ordering):
    plan = _plan(Listing.objects.open().order_by(*ordering)[:20])
    assert "Sort" not in plan.replace("Sort Key", ""), plan
