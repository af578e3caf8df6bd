"""The engine's learning from declines, relevance multipliers and exposure re-ranking: the
block kernel agrees with the pair-wise reference, the bounds hold, and each term moves the
ranking the way it promises."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import hard_filter_mask, match_full, match_one, pair_factors
from matchmaking.engine.exposure import exposure_figures, exposure_keys, gini
from matchmaking.engine.full import tradeable
from matchmaking.engine.learning import MAX_MULTIPLIER, learned_from, pair_weights
from matchmaking.engine.match import _candidates_learned
from matchmaking.engine.records import FACTORS, FLAG_RESELLER, FLAG_WANTS_PRODUCER
from matchmaking.engine.scoring import score_pairs

PRICE = FACTORS.index("price")


def _market(n=1200, seed=21, learn=True, relevance=True):
    supplies, demands, ctx = synthetic_market(n, n, seed=seed)
    rng = np.random.default_rng(seed)
    if relevance:
        # A third of the demands name a product by bit; supplies carry random offers.
        supplies.offer[:, 0] = rng.integers(0, 8, len(supplies)).astype(np.uint64) << 3
        pick = rng.random(len(demands)) < 0.33
        demands.intent[pick, 0] = np.uint64(1) << rng.integers(3, 6, pick.sum()).astype(np.uint64)
        supplies.flags[:] = np.where(rng.random(len(supplies)) < 0.3, FLAG_RESELLER, 0)
        demands.flags[:] = np.where(rng.random(len(demands)) < 0.2, FLAG_WANTS_PRODUCER, 0)
    if learn:
        d_orgs = np.unique(demands.org)[:15]
        s_orgs = np.unique(supplies.org)[:15]
        ctx.learned = {int(o): learned_from({"price": 4}) for o in d_orgs[:8]}
        ctx.learned |= {int(o): learned_from({"distance": 2, "quality": 1}) for o in d_orgs[8:]}
        ctx.learned |= {int(o): learned_from({"timing": 3}) for o in s_orgs}
    return supplies, demands, ctx


def test_multipliers_step_per_decline_up_to_twice_and_other_teaches_nothing():
    assert learned_from({"price": 1}).multipliers[PRICE] == pytest.approx(1.25)
    assert learned_from({"price": 9}).multipliers[PRICE] == MAX_MULTIPLIER
    assert not learned_from({"other": 5}).active
    quality = learned_from({"quality": 2}).multipliers
    assert quality[FACTORS.index("trust")] == pytest.approx(1.5)


def test_pair_weights_stay_within_half_and_twice_the_configured_ones():
    rng = np.random.default_rng(3)
    base = np.array([0.30, 0.15, 0.15, 0.10, 0.10, 0.10, 0.10])
    reasons = ["price", "distance", "quality", "quantity", "timing"]
    learned = {
        org: learned_from({r: int(rng.integers(0, 9)) for r in reasons}) for org in range(1, 40)
    }
    s_org = rng.integers(1, 60, 5000)
    d_org = rng.integers(1, 60, 5000)
    w = pair_weights(base, s_org, d_org, learned)
    assert w is not None
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    ratio = w / base
    assert ratio.min() >= 0.5 - 1e-9 and ratio.max() <= 2.0 + 1e-9
    untouched = ~np.isin(s_org, list(learned)) & ~np.isin(d_org, list(learned))
    np.testing.assert_allclose(w[untouched], np.broadcast_to(base, w[untouched].shape))


def test_the_kernel_scores_learned_and_relevance_pairs_like_the_reference():
    supplies, demands, ctx = _market()
    capacity = supplies.qty.copy()
    s_rows, d_rows, score, stats = _candidates_learned(supplies, demands, ctx, capacity)
    assert stats["weight_groups"] >= 3
    factors = pair_factors(supplies, demands, s_rows, d_rows, ctx, capacity)
    ref = score_pairs(supplies, demands, s_rows, d_rows, ctx, factors)
    np.testing.assert_allclose(score, ref.score, atol=2e-4)
    # The multipliers took effect on some kept pairs.
    assert (ref.relevance < 1).any() and ref.pair_weights is not None


def test_match_one_for_a_learned_demand_finds_the_reference_best_supply():
    supplies, demands, ctx = _market(learn=True)
    learned_demands = np.flatnonzero(np.isin(demands.org, list(ctx.learned)))
    checked = 0
    for d in learned_demands[:20].tolist():
        one = demands.take([d])
        result = match_one(one, "demand", supplies, ctx)
        rows = np.arange(len(supplies))
        zeros = np.zeros(len(rows), dtype=np.int64)
        ok = hard_filter_mask(supplies, one, rows, zeros, ctx)
        if not ok.any() or not len(result):
            continue
        f = pair_factors(supplies, one, rows[ok], zeros[ok], ctx)
        best = score_pairs(supplies, one, rows[ok], zeros[ok], ctx, f).score.max()
        assert result.score.max() == pytest.approx(float(best), abs=1e-5)
        assert result.pair_weights is not None
        checked += 1
    assert checked >= 5


def test_price_declines_make_an_organizations_proposals_fit_on_price_better():
    supplies, demands, ctx = _market(learn=False, relevance=False)
    before = match_full(supplies, demands, ctx)
    orgs = np.unique(demands.org)
    ctx.learned = {int(o): learned_from({"price": 4}) for o in orgs}
    after = match_full(supplies, demands, ctx)
    assert after.pair_weights is not None
    np.testing.assert_allclose(
        after.pair_weights[:, PRICE], 2 * 0.15 / 1.15, rtol=1e-6
    )  # 0.15 x 2, renormalised
    assert after.factors[:, PRICE].mean() > before.factors[:, PRICE].mean()


def test_exposure_keys_lift_each_supply_s_best_pairs_by_at_most_the_bonus():
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], dtype=np.float32)
    s = np.array([0, 0, 0, 0, 1, 1])
    key = exposure_keys(score, s, 2, 0.05)
    lift = key - score
    assert lift.max() <= 0.05 + 1e-7 and lift.min() >= 0
    # Supply 0's best pair gets the whole bonus, its fourth none; supply 1's best the whole.
    assert lift[0] == pytest.approx(0.05) and lift[3] == 0 and lift[4] == pytest.approx(0.05)
    np.testing.assert_array_equal(exposure_keys(score, s, 2, 0.0), score)


def test_gini_is_zero_for_equal_and_high_for_concentrated_counts():
    assert gini(np.array([3, 3, 3, 3])) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 12])) == pytest.approx(0.75)


def test_the_exposure_term_spreads_proposals_and_keeps_the_top_five_relevance():
    supplies, demands, ctx = synthetic_market(3000, 3000, seed=4)
    open_rows = tradeable(supplies, ctx.config.today)
    figures = {}
    for bonus in (0.0, 0.05):
        ctx.config = dataclasses.replace(ctx.config, exposure_bonus=bonus)
        r = match_full(supplies, demands, ctx)
        figures[bonus] = exposure_figures(r.supply_idx, r.demand_idx, r.score, open_rows)
    off, on = figures[0.0], figures[0.05]
    assert on["supplies_with_proposal"] >= off["supplies_with_proposal"]
    assert on["gini_proposals_per_supply"] < off["gini_proposals_per_supply"]
    assert on["mean_top5_score"] >= 0.98 * off["mean_top5_score"]
