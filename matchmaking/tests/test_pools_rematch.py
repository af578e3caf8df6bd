"""The full re-match with pools is idempotent: a second run on an unchanged market leaves the
same single proposals (same pairs, same suggested quantities) and the same pools, through the
real chunk path (``rematch.run_chunk``) on PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matchmaking.benchmarks import database as bench
from matchmaking.models import Match, MatchRun, Pool, PoolMember

pytestmark = pytest.mark.django_db(transaction=True)


def _singles() -> set[tuple]:
    return set(
        Match.objects.filter(status__in=Match.ACTIVE_STATUSES).values_list(
            "supply_id", "demand_id", "suggested_quantity"
        )
    )


def _pools() -> set[tuple]:
    members: dict[int, set] = {}
    for pool_id, supply_id, qty in PoolMember.objects.filter(
        pool__status__in=Pool.ACTIVE_STATUSES
    ).values_list("pool_id", "supply_id", "suggested_quantity"):
        members.setdefault(pool_id, set()).add((supply_id, qty))
    return {
        (pk, demand_id, covered, frozenset(members.get(pk, ())))
        for pk, demand_id, covered in Pool.objects.active().values_list(
            "pk", "demand_id", "covered_quantity"
        )
    }


def _run() -> None:
    run, _wall = bench.full_rematch(processes=1)
    assert run.status == MatchRun.Status.DONE


def test_a_second_full_rematch_with_active_pools_changes_nothing():
    call_command("seed", verbosity=0)
    # This market (the worker-kill test's) has a demand that loses its pool candidates to
    # another demand in the first batch, which then gives them back.
    bench.build_market(1000, 1000, seed=11, out=lambda *_: None)
    _run()
    singles, pools = _singles(), _pools()
    assert len(pools) >= 20 and len(singles) > 300
    _run()
    assert _pools() == pools
    again = _singles()
    assert again - singles == set() and singles - again == set()
