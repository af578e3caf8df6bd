"""What a supply's active matches hold is read from one covering index (index-only).

The single-listing path reads it for a demand's best few hundred candidates on every saved
demand; a heap fetch per match made that statement the slowest of the task at 100k x 100k.
"""

import pytest
from django.db import connection, transaction

from matchmaking.services import matching, pools

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


@pytest.mark.parametrize("except_demand", [None, 7])
def test_held_quantity_of_matches_is_an_index_only_scan(except_demand):
    assert "Index Only Scan using match_held_cover_idx" in _plan(
        pools._matches_holding([1, 2, 3], except_demand)
    )


def test_what_each_match_of_a_few_candidates_holds_is_an_index_only_scan():
    """The capacity check of a saved listing's few chosen candidates (``matching._busy``): the
    model's default ordering would sort on columns of the table and fetch every match."""
    plan = _plan(matching.held_by_match([1, 2, 3]))
    assert "Index Only Scan using match_held_cover_idx" in plan, plan
    assert "Sort" not in plan, plan


def test_what_pools_hold_of_a_supply_is_read_from_the_members_covering_index():
    plan = _plan(pools._pools_holding([1, 2, 3]))
    assert "Index Only Scan using pool_member_held_cover_idx" in plan, plan


def _plan(rows) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheapest to scan; the plan PostgreSQL would choose at scale
        # is what the index allows once scans are priced out.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return rows.explain()
