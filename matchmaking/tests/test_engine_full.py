"""The full re-match's block kernel (``engine/full/``): sides, blocks, kernel; no database.

``candidates`` must keep exactly the pairs the pair-by-pair reference (``filters`` and
``factors``) lets through, score them the same, and, when it prunes, keep every pair in a
demand's or a supply's top list.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import ListingTable, hard_filter_mask, pair_factors
from matchmaking.engine.full import blocks, candidates, prepare, tradeable
from matchmaking.engine.full.kernel import _threshold
from matchmaking.engine.full.sides import _compact_certs
from matchmaking.tests.factories import (
    TODAY,
    demand_record,
    engine_context,
    supply_record,
    top_pairs,
)


def reference_pairs(supplies, demands, ctx) -> set[tuple[int, int]]:
    """Every (supply row, demand row) the pair-by-pair filters let through."""
    s_all, d_all = np.meshgrid(np.arange(len(supplies)), np.arange(len(demands)), indexing="ij")
    ok = hard_filter_mask(supplies, demands, s_all.ravel(), d_all.ravel(), ctx)
    return set(zip(s_all.ravel()[ok].tolist(), d_all.ravel()[ok].tolist(), strict=True))


def products_filed_under_their_family(seed: int):
    """A market where some suppliers file a product under its family, outside the buyers'
    kind subtree (same product, categories apart)."""
    supplies, demands, ctx = synthetic_market(300, 300, seed=6)
    rng = np.random.default_rng(seed)
    moved = (supplies.product >= 0) & (rng.random(len(supplies)) < 0.5)
    supplies.category[moved] = ctx.tree.parent[ctx.tree.parent[supplies.category[moved]]]
    return supplies, demands, ctx


# --- sides ------------------------------------------------------------------------------------


def test_only_listings_that_can_still_trade_take_part():
    rows = [
        supply_record(id=1),
        supply_record(id=2, open=False),
        supply_record(id=3, qty=0.0),
        supply_record(id=4, end=TODAY - 1),  # ended yesterday
        supply_record(id=5, end=TODAY),  # ends today: still in
        supply_record(id=6),  # fully promised elsewhere
    ]
    table = ListingTable.from_records(rows)
    capacity = table.qty.copy()
    capacity[5] = 0.0
    assert tradeable(table, TODAY).tolist() == [0, 4, 5]
    assert tradeable(table, TODAY, capacity).tolist() == [0, 4]


def test_sides_are_sorted_so_that_a_subtree_is_one_slice():
    supplies, demands, ctx = synthetic_market(400, 300, seed=13)
    S, D = prepare(supplies, demands, ctx, supplies.qty.copy())
    tree = ctx.tree
    assert (np.diff(S.tin) >= 0).all()
    assert (np.diff(D.tin) >= 0).all()
    for c in np.unique(D.cat).tolist()[:40]:
        within = np.flatnonzero(tree.is_within(S.cat, c))
        if len(within):
            # contiguous: the positions run without a gap
            assert within.tolist() == list(range(within[0], within[-1] + 1))
    # the free capacity, not the listed quantity, is what a supply offers
    assert np.array_equal(S.qty, supplies.qty[S.rows])


def test_one_organization_gets_one_code_on_both_sides_and_no_product_never_matches():
    s_rows = [supply_record(id=1, org=7, product=-1), supply_record(id=3, org=8, product=55)]
    d_rows = [demand_record(id=2, org=7, product=-1), demand_record(id=4, org=9, product=55)]
    supplies = ListingTable.from_records(s_rows)
    demands = ListingTable.from_records(d_rows)
    ctx = engine_context()
    S, D = prepare(supplies, demands, ctx, supplies.qty.copy())
    s_org = dict(zip(supplies.org[S.rows].tolist(), S.org.tolist(), strict=True))
    d_org = dict(zip(demands.org[D.rows].tolist(), D.org.tolist(), strict=True))
    assert s_org[7] == d_org[7]
    assert s_org[8] != d_org[9]
    s_prod = dict(zip(supplies.product[S.rows].tolist(), S.prod.tolist(), strict=True))
    d_prod = dict(zip(demands.product[D.rows].tolist(), D.prod.tolist(), strict=True))
    assert s_prod[55] == d_prod[55]
    assert s_prod[-1] != d_prod[-1]


def test_certifications_are_compacted_to_the_bits_some_demand_requires():
    s_certs = np.array([0b1011, 0b0001, 0b1000, 0], dtype=np.uint64)
    d_certs = np.array([0b0001, 0b1000, 0], dtype=np.uint64)
    s_out, d_out = _compact_certs(s_certs, d_certs)
    assert s_out.dtype == np.uint8
    # bit 0 stays bit 0, bit 3 becomes bit 1, bit 1 (never required) is gone
    assert s_out.tolist() == [0b11, 0b01, 0b10, 0]
    assert d_out.tolist() == [0b01, 0b10, 0]
    # "holds every required certificate" reads the same before and after
    for s in range(len(s_certs)):
        for d in range(len(d_certs)):
            before = (s_certs[s] & d_certs[d]) == d_certs[d]
            after = (s_out[s] & d_out[d]) == d_out[d]
            assert before == after


# --- blocks -----------------------------------------------------------------------------------


def test_blocks_cover_each_subtree_pair_once_and_same_product_pairs_outside_it():
    supplies, demands, ctx = products_filed_under_their_family(seed=1)
    S, D = prepare(supplies, demands, ctx, supplies.qty.copy())
    seen: list[tuple[int, int]] = []
    for block in blocks(S, D, ctx):
        d_grid, s_grid = np.meshgrid(block.d_pos, block.s_pos, indexing="ij")
        seen += list(zip(d_grid.ravel().tolist(), s_grid.ravel().tolist(), strict=True))
    assert len(seen) == len(set(seen)), "a pair is scored twice"
    d_all, s_all = np.meshgrid(np.arange(len(D)), np.arange(len(S)), indexing="ij")
    d_all, s_all = d_all.ravel(), s_all.ravel()
    in_subtree = ctx.tree.is_within(S.cat[s_all], D.cat[d_all])
    same_product = (S.prod[s_all] == D.prod[d_all]) & (D.prod[d_all] >= 0)
    want = in_subtree | same_product
    assert (same_product & ~in_subtree).any(), "the market should have pairs across categories"
    assert set(seen) == set(zip(d_all[want].tolist(), s_all[want].tolist(), strict=True))


def test_no_blocks_when_a_side_is_empty():
    supplies, demands, ctx = synthetic_market(50, 50, seed=2)
    nothing = np.zeros(len(supplies))
    S, D = prepare(supplies, demands, ctx, nothing)
    assert len(S) == 0
    assert blocks(S, D, ctx) == []
    _S, _D, d_pos, _s_pos, score, stats = candidates(supplies, demands, ctx, nothing)
    assert len(d_pos) == len(score) == 0
    assert stats["pairs_scored"] == 0


# --- kernel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1])
def test_the_threshold_is_the_highest_level_reached_by_k_entries(axis):
    rng = np.random.default_rng(7 + axis)
    q = rng.integers(0, 256, size=(60, 45)).astype(np.uint8)
    q[rng.random(q.shape) < 0.6] = 0  # many pairs filtered out
    k = 5
    got = _threshold(q, k, axis=axis)
    lines = q if axis == 1 else q.T
    for line, level in zip(lines, got.tolist(), strict=True):
        ranked = np.sort(line)[::-1]
        expected = int(ranked[k - 1]) if ranked[k - 1] > 0 else 1
        assert level == max(expected, 1)
        # keeping ">= level" keeps at least k entries, or every non-zero one
        assert (line >= level).sum() >= min(k, (line > 0).sum())


@pytest.mark.parametrize("seed", [3, 4])
def test_block_kernel_keeps_exactly_the_pairs_the_reference_filters_pass(seed):
    supplies, demands, ctx = synthetic_market(250, 300, seed=seed, declined_share=0.05)
    keys = ctx.declined
    # Also decline some pairs that would otherwise match, so the kernel's patching is tested.
    ctx.declined = np.union1d(keys, (supplies.id[:40].astype(np.int64) << 32) | demands.id[:40])
    # Keep everything: no score floor, no per-listing pruning.
    ctx.config = dataclasses.replace(
        ctx.config, min_score=0.0, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    S, D, d_pos, s_pos, _score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    got = set(zip(S.rows[s_pos].tolist(), D.rows[d_pos].tolist(), strict=True))
    want = reference_pairs(supplies, demands, ctx)
    assert want, "the market should have some matchable pairs"
    assert got == want


def test_block_kernel_finds_same_product_pairs_across_categories():
    supplies, demands, ctx = products_filed_under_their_family(seed=0)
    ctx.config = dataclasses.replace(
        ctx.config, min_score=0.0, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    S, D, d_pos, s_pos, _score, _stats = candidates(supplies, demands, ctx, supplies.qty.copy())
    got = set(zip(S.rows[s_pos].tolist(), D.rows[d_pos].tolist(), strict=True))
    want = reference_pairs(supplies, demands, ctx)
    across = {
        (s, d) for s, d in want if not ctx.tree.is_within(supplies.category[s], demands.category[d])
    }
    assert across, "the market should have same-product pairs across categories"
    assert got == want


def test_block_kernel_scores_equal_the_reference_factors():
    supplies, demands, ctx = synthetic_market(600, 600, seed=11)
    ctx.config = dataclasses.replace(
        ctx.config, min_score=0.0, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    S, D, d_pos, s_pos, score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    f = pair_factors(supplies, demands, S.rows[s_pos], D.rows[d_pos], ctx)
    expected = f.astype(np.float64) @ ctx.config.weight_vector
    assert len(score) > 1000
    np.testing.assert_allclose(score, expected, atol=2e-5)
    assert (f >= 0).all()
    assert (f <= 1).all()


def test_pruning_keeps_every_pair_in_a_demands_or_a_supplys_top_list():
    supplies, demands, ctx = synthetic_market(1500, 1500, seed=9)
    # Small tiles so large blocks are cut and thresholds carry over between tiles.
    ctx.config = dataclasses.replace(ctx.config, tile_pairs=32_768)
    cfg = ctx.config
    S, D, d_pos, s_pos, _score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    kept = set(zip(D.rows[d_pos].tolist(), S.rows[s_pos].tolist(), strict=True))
    full = dataclasses.replace(cfg, candidates_per_demand=10**6, candidates_per_supply=10**6)
    S2, D2, d_all, s_all, score_all, _ = candidates(
        supplies, demands, dataclasses.replace(ctx, config=full), supplies.qty.copy()
    )
    d_rows, s_rows = D2.rows[d_all], S2.rows[s_all]
    must = top_pairs(d_rows, s_rows, (-score_all,), cfg.k_demand, cfg.k_supply)
    assert must <= kept
    assert len(kept) < len(score_all)


def test_two_threads_keep_what_one_thread_keeps():
    supplies, demands, ctx = synthetic_market(1200, 1200, seed=17)
    results = {}
    for workers in (1, 2):
        ctx.config = dataclasses.replace(ctx.config, workers=workers)
        S, D, d_pos, s_pos, score, stats = candidates(supplies, demands, ctx, supplies.qty.copy())
        pairs = zip(D.rows[d_pos].tolist(), S.rows[s_pos].tolist(), strict=True)
        results[workers] = (dict(zip(pairs, score.tolist(), strict=True)), stats)
    one, two = results[1][0], results[2][0]
    # A thread may see an older per-supply threshold and keep a few more pairs; the scores of
    # the pairs both keep are the same, and the scored pair count does not depend on threads.
    common = one.keys() & two.keys()
    assert len(common) >= 0.99 * min(len(one), len(two))
    assert all(abs(one[k] - two[k]) < 1e-6 for k in common)
    assert results[1][1]["pairs_scored"] == results[2][1]["pairs_scored"]
    assert results[1][1]["candidates"] == len(one)
