"""What a supply's active matches hold is read from one covering index (index-only).

The single-listing path reads it for a demand's best few hundred candidates on every saved
demand; a heap fetch per match made that statement the slowest of the task at 100k x 100k.
"""

import pytest
from django.db import connection, transaction

from matchmaking.services import pools

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


@pytest.mark.parametrize("except_demand", [None, 7])
def test_held_quantity_of_matches_is_an_index_only_scan(except_demand):
    rows = pools._matches_holding([1, 2, 3], except_demand)
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheapest to scan; the plan PostgreSQL would choose at scale
        # is what the index allows once scans are priced out.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = rows.explain()
    assert "Index Only Scan using match_held_cover_idx" in plan, plan
