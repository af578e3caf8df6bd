"""What a supply's active matches hold is read from one covering index (index-only).

The single-listing path reads it for a demand's best few hundred candidates on every saved
demand; a heap fetch per match made that statement the slowest of the task at 100k x 100k.
"""

import re

import pytest
from django.db import connection, transaction

from matchmaking.models import Match, PoolMember
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


def test_what_each_match_of_a_few_candidates_holds_needs_only_the_covering_index():
    """The capacity check of a saved listing's few chosen candidates (``matching._busy``): the
    model's default ordering would sort on columns only the table holds, a fetch per match.

    Which index the planner takes for a small, never vacuumed test table is not what it takes
    at scale (a full run once chose another index here), so this checks what makes the
    index-only scan possible: every column of the match the statement names is in the index.
    """
    rows = matching.held_by_match([1, 2, 3])
    _assert_covered(rows, Match, "match_held_cover_idx")
    assert "ORDER BY" not in str(rows.query)


def test_what_pools_hold_of_a_supply_needs_only_the_members_covering_index():
    """The pool half of ``pools.free_quantity``: with the old (supply, status) index a probe
    per candidate needed the table too, and the planner scanned all the members instead."""
    _assert_covered(
        pools._pools_holding(supply_ids=[1, 2, 3]), PoolMember, "pool_member_held_cover_idx"
    )


def _assert_covered(rows, model, index_name: str) -> None:
    sql, _params = rows.query.sql_with_params()
    table = model._meta.db_table
    named = set(re.findall(rf'"{table}"\."(\w+)"', sql))
    index = next(i for i in model._meta.indexes if i.name == index_name)
    covered = {model._meta.get_field(name).column for name in index.fields}
    assert named and named <= covered, named - covered


def _plan(rows) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheapest to scan; the plan PostgreSQL would choose at scale
        # is what the index allows once scans are priced out.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return rows.explain()
