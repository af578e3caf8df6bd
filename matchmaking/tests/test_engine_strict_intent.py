"""Strict intent in the engine: for one demand, every supply that fits its words ranks above
every supply that does not, whatever their scores (``engine.relevance.misfit``), in the full
re-match (block kernel + allocation), in ``match_one`` and in pools; no database."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import ListingTable, hard_filter_mask, pair_factors
from matchmaking.engine.allocation import allocate
from matchmaking.engine.full import candidates
from matchmaking.engine.match import match_full, match_one
from matchmaking.engine.pools import PoolConfig, form_pools
from matchmaking.engine.relevance import misfit
from matchmaking.engine.scoring import score_pairs
from matchmaking.tests.factories import (
    TODAY,
    demand_record,
    engine_context,
    supply_record,
    top_pairs,
)

_EPS = 1e-9


def _with_intents(seed: int, n: int, asking: float):
    """A synthetic market whose demands ask for 1-2 of four concepts (a share ``asking`` of
    them) and whose supplies name 0-2 of them; small caps so that slots are contested."""
    supplies, demands, ctx = synthetic_market(n, n, seed=seed)
    rng = np.random.default_rng(seed)
    bits = np.uint64(1) << np.arange(4, dtype=np.uint64)

    def masks(count: int, low: int, high: int) -> np.ndarray:
        out = np.zeros((count, 2), dtype=np.uint64)
        for i, k in enumerate(rng.integers(low, high + 1, count).tolist()):
            out[i, 0] = np.bitwise_or.reduce(rng.choice(bits, size=k, replace=False), initial=0)
        return out

    supplies.offer = masks(len(supplies), 0, 2)
    intent = masks(len(demands), 1, 2)
    intent[rng.random(len(demands)) >= asking] = 0
    demands.intent = intent
    ctx.config = dataclasses.replace(
        ctx.config,
        max_per_demand=int(rng.integers(1, 4)),
        max_per_supply=int(rng.integers(1, 4)),
        # No pruning, so that every pair the filters pass reaches the allocation.
        candidates_per_demand=100_000,
        candidates_per_supply=100_000,
    )
    return supplies, demands, ctx


def _all_candidates(supplies, demands, ctx):
    """Every pair the hard filters pass with a score at the minimum: (s, d, score, misfit)."""
    s_all, d_all = np.meshgrid(np.arange(len(supplies)), np.arange(len(demands)), indexing="ij")
    s_all, d_all = s_all.ravel(), d_all.ravel()
    ok = hard_filter_mask(supplies, demands, s_all, d_all, ctx)
    s_all, d_all = s_all[ok], d_all[ok]
    factors = pair_factors(supplies, demands, s_all, d_all, ctx)
    scored = score_pairs(supplies, demands, s_all, d_all, ctx, factors)
    keep = scored.score >= ctx.config.min_score
    return s_all[keep], d_all[keep], scored.score[keep], scored.misfit[keep]


def _assert_strict(supplies, demands, ctx, result, k_d, k_s, cands):
    """(a) within each demand the result lists fits before misfits; (b) a demand holding a
    misfit lost no fitting supply that could still have given: each fitting candidate left
    out has its supply full (slots, or less left than the pair's minimum order)."""
    off = misfit(demands.intent[result.demand_idx], supplies.offer[result.supply_idx], ctx.config)
    d = result.demand_idx
    same = d[1:] == d[:-1]
    assert not (same & off[:-1] & ~off[1:]).any(), "a misfit listed above a fit"
    rem = supplies.qty.astype(np.float64).copy()
    np.subtract.at(rem, result.supply_idx, result.suggested_qty)
    count = np.bincount(result.supply_idx, minlength=len(supplies))
    with_misfit = np.zeros(len(demands), dtype=bool)
    with_misfit[d[off]] = True
    chosen = set(zip(result.supply_idx.tolist(), d.tolist(), strict=True))
    for s, dd, _score, bad in zip(*cands, strict=True):
        if bad or not with_misfit[dd] or (int(s), int(dd)) in chosen:
            continue
        floor = max(supplies.min_order[s], demands.min_order[dd], _EPS)
        blocked = count[s] >= k_s[s] or min(demands.qty[dd], rem[s]) < floor or rem[s] <= _EPS
        assert blocked, f"demand {dd} got a misfit while fitting supply {s} could give"
    # A demand with a misfit has fewer fitting proposals than its slots.
    fits = np.bincount(d[~off], minlength=len(demands))
    assert (fits[with_misfit] < k_d[with_misfit]).all()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 120),
    asking=st.sampled_from([0.3, 0.7, 1.0]),
)
def test_no_misfit_ranks_above_a_fit_in_the_full_rematch(seed, n, asking):
    supplies, demands, ctx = _with_intents(seed, n, asking)
    result = match_full(supplies, demands, ctx)
    cands = _all_candidates(supplies, demands, ctx)
    k_d = np.full(len(demands), ctx.config.max_per_demand)
    k_s = np.full(len(supplies), ctx.config.max_per_supply)
    _assert_strict(supplies, demands, ctx, result, k_d, k_s, cands)
    # The candidates the kernel kept are exactly the reference's (no pruning here).
    assert len(result) <= len(cands[0])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 120))
def test_no_misfit_ranks_above_a_fit_for_a_new_demand(seed, n):
    supplies, demands, ctx = _with_intents(seed, n, 1.0)
    row = int(np.random.default_rng(seed).integers(len(demands)))
    one = demands.take(np.array([row]))
    result = match_one(one, "demand", supplies, ctx)
    cands = _all_candidates(supplies, one, ctx)
    k_s = np.full(len(supplies), ctx.config.max_per_supply)
    _assert_strict(supplies, one, ctx, result, np.array([ctx.config.max_per_demand]), k_s, cands)


def test_the_kernels_top_lists_keep_fits_before_misfits():
    """With pruning on, each demand's and each supply's best pairs by (fit, score) are kept:
    a misfit never takes a fit's place in a top list, whatever its score."""
    supplies, demands, ctx = _with_intents(3, 900, 0.7)
    cfg = dataclasses.replace(ctx.config, candidates_per_demand=4, candidates_per_supply=4)
    cfg = dataclasses.replace(cfg, tile_pairs=32_768)  # thresholds carry over between tiles
    ctx = dataclasses.replace(ctx, config=cfg)
    S, D, d_pos, s_pos, _score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    kept = set(zip(D.rows[d_pos].tolist(), S.rows[s_pos].tolist(), strict=True))
    s_all, d_all, score_all, off_all = _all_candidates(supplies, demands, ctx)
    assert off_all.any() and (~off_all).any()
    must = top_pairs(d_all, s_all, (-score_all, off_all), cfg.k_demand, cfg.k_supply)
    assert must <= kept
    assert len(kept) < len(score_all)


def _contest(n_fit: int = 1):
    """One demand for robusta that names it; a weak robusta (far, dear) and a strong
    misfit (Arabica-like: the same category, naming another concept) in the buyer's city."""
    robusta, arabica = (1, 0), (2, 0)
    rows = [
        supply_record(id=10 + i, org=100 + i, offer=robusta, price_min=90_000.0,
                      price_max=91_000.0, qty=6_000.0, min_order=0.0, end=TODAY + 4)
        for i in range(n_fit)
    ] + [supply_record(id=50, org=200, offer=arabica, province=demand_record()["province"],
                       qty=40_000.0, min_order=0.0)]  # fmt: skip
    supplies = ListingTable.from_records(rows)
    demands = ListingTable.from_records(
        [demand_record(id=5, intent=robusta, qty=40_000.0, min_order=0.0, certs=0, ocop=0)]
    )
    return supplies, demands


def test_a_strong_misfit_scores_higher_but_ranks_below_a_weak_fit():
    supplies, demands = _contest()
    ctx = engine_context(max_per_demand=1)
    factors = pair_factors(supplies, demands, np.arange(2), np.zeros(2, np.int64), ctx)
    scored = score_pairs(supplies, demands, np.arange(2), np.zeros(2, np.int64), ctx, factors)
    assert scored.misfit.tolist() == [False, True]
    assert scored.score[1] > scored.score[0] >= ctx.config.min_score  # the penalty alone: misfit
    for result in (match_full(supplies, demands, ctx), match_one(demands, "demand", supplies, ctx)):
        assert result.supply_id.tolist() == [10]  # the one slot goes to the fit
    two = match_full(supplies, demands, engine_context(max_per_demand=2))
    assert two.supply_id.tolist() == [10, 50]  # fit first, though it scores less
    assert two.score[0] < two.score[1] <= 1.0  # stored scores keep their meaning


def test_the_allocation_takes_pairs_marked_behind_last():
    # Two demands share one supply with room for one: the misfit pair scores higher.
    d, s = np.array([0, 1]), np.array([0, 0])
    args = (np.array([5.0, 5.0]), np.zeros(2), np.array([5.0]), np.zeros(1), 2, 1)
    chosen, _ = allocate(d, s, np.array([0.9, 0.5]), *args)
    assert chosen.tolist() == [0]
    chosen, _ = allocate(d, s, np.array([0.9, 0.5]), *args, behind=np.array([True, False]))
    assert chosen.tolist() == [1]


def test_a_pool_takes_fitting_members_before_a_misfit_with_more_to_give():
    supplies, demands = _contest(n_fit=3)  # 3 x 6 t of robusta, 40 t of the misfit
    ctx = engine_context()
    rows = np.arange(len(supplies))
    d_rows = np.zeros(len(rows), dtype=np.int64)
    factors = pair_factors(supplies, demands, rows, d_rows, ctx)
    score = score_pairs(supplies, demands, rows, d_rows, ctx, factors).score
    free = supplies.qty.copy()
    pools = form_pools(supplies, demands, ctx, d_rows, rows, score, free, PoolConfig(max_members=4))
    members = supplies.id[pools.supply_idx].tolist()
    assert set(members[:3]) | set(members) >= {10, 11, 12}  # every fitting supply is in
    # The misfit only fills what the fits leave (40 - 18 t), never displacing one of them.
    share = dict(zip(members, pools.qty.tolist(), strict=True))
    assert share[50] == 22_000.0
