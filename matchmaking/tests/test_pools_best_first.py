"""A new demand's pool reads the capacity of its best candidates first: the same pool as
reading every candidate's, for a fraction of the reads."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine.pools import PoolConfig, form_pools, pool_candidates
from matchmaking.services.pools import FIRST_BATCH, free_of_best


def _pool(supplies, demand, ctx, rows, score, free, cfg):
    pools = form_pools(
        supplies, demand, ctx, np.zeros(len(rows), dtype=np.int64), rows, score, free, cfg
    )
    ids = supplies.id[pools.supply_idx].tolist()
    return sorted(zip(ids, pools.qty.round(6).tolist(), strict=True))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    busy=st.floats(0.0, 0.97),
    k=st.integers(2, 5),
    candidates=st.sampled_from([4, 16]),
    held_back=st.booleans(),
)
def test_reading_the_best_first_forms_the_pool_reading_every_candidate_forms(
    seed, busy, k, candidates, held_back
):
    supplies, demands, ctx = synthetic_market(1500, 40, seed=seed)
    demands.qty *= 6.0
    rng = np.random.default_rng(seed)
    # Most supplies have promised everything already: the best ones may have nothing left.
    free_all = np.where(rng.random(len(supplies)) < busy, 0.0, supplies.qty * rng.random())
    cfg = PoolConfig(max_members=k, candidates=candidates)
    reads = []

    def read(part):
        reads.append(len(part))
        return free_all[part]

    compared = 0
    for d in range(len(demands)):
        rows, score = pool_candidates(demands, d, supplies, ctx)
        if len(rows) < 2:
            continue
        demand = demands.take(np.array([d]))
        own = int(rows[rng.integers(len(rows))])
        back = {own: float(supplies.qty[own]) * 0.9} if held_back else None
        expected = free_all.copy()
        if back:
            expected[own] = max(expected[own] - back[own], 0.0)
        want = _pool(supplies, demand, ctx, rows, score, expected, cfg)
        reads.clear()
        best, best_score, free = free_of_best(
            supplies,
            demand,
            SimpleNamespace(context=ctx),
            rows,
            score,
            except_demand=int(demands.id[d]),
            config=cfg,
            held_back=back,
            read=read,
        )
        assert _pool(supplies, demand, ctx, best, best_score, free, cfg) == want
        assert sum(reads) == len(best) <= len(rows)
        assert set(best.tolist()) <= set(rows.tolist())
        compared += 1
    assert compared


def test_a_demand_with_hundreds_of_candidates_reads_the_first_batch_only():
    supplies, demands, ctx = synthetic_market(30000, 20, seed=7)
    d = max(range(len(demands)), key=lambda i: len(pool_candidates(demands, i, supplies, ctx)[0]))
    rows, score = pool_candidates(demands, d, supplies, ctx)
    assert len(rows) > 2 * FIRST_BATCH * PoolConfig().candidates
    best, _score, free = free_of_best(
        supplies,
        demands.take(np.array([d])),
        SimpleNamespace(context=ctx),
        rows,
        score,
        except_demand=int(demands.id[d]),
        config=PoolConfig(),
        read=lambda part: supplies.qty[part],
    )
    # Every candidate has capacity: the first batch (16 x 16) holds the 16 a pool considers.
    assert len(best) == FIRST_BATCH * PoolConfig().candidates == 256
    assert (free[best] == supplies.qty[best]).all()
