"""Allocation: the vectorised greedy, its constraints, and how close it gets to optimal."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import hard_filter_mask, match_full, match_one
from matchmaking.engine.allocation import allocate, allocation_value, greedy_order
from matchmaking.engine.full import candidates

EPS = 1e-9


# --- references ----------------------------------------------------------------------------


def greedy_reference(order, d, s, dq, dmin, cap, smin, k_d, k_s):
    """The sequential greedy, one pair at a time, as the docstring of allocation.py states."""
    rem = np.asarray(cap, dtype=float).copy()
    cnt_d = np.zeros(len(dq), dtype=int)
    cnt_s = np.zeros(len(cap), dtype=int)
    chosen, qty = [], []
    for p in order.tolist():
        i, j = int(d[p]), int(s[p])
        if cnt_d[i] >= k_d or cnt_s[j] >= k_s or rem[j] <= EPS:
            continue
        q = min(float(dq[i]), rem[j])
        if q < max(float(smin[j]), float(dmin[i]), EPS):
            continue
        rem[j] -= q
        cnt_d[i] += 1
        cnt_s[j] += 1
        chosen.append(p)
        qty.append(q)
    return np.array(chosen, dtype=np.int64), np.array(qty)


def exact_optimum(d, s, score, dq, dmin, cap, smin, k_d, k_s) -> float:
    """Maximum of sum(score * q) by MIP (OR-Tools SCIP): binary pick, continuous quantity."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("SCIP")
    n = len(d)
    x = [solver.BoolVar(f"x{p}") for p in range(n)]
    q = [solver.NumVar(0.0, float(dq[d[p]]), f"q{p}") for p in range(n)]
    for p in range(n):
        floor = max(float(smin[s[p]]), float(dmin[d[p]]), EPS)
        solver.Add(q[p] >= floor * x[p])
        solver.Add(q[p] <= float(dq[d[p]]) * x[p])
    for j in range(len(cap)):
        mine = [p for p in range(n) if s[p] == j]
        if mine:
            solver.Add(sum(q[p] for p in mine) <= float(cap[j]))
            solver.Add(sum(x[p] for p in mine) <= k_s)
    for i in range(len(dq)):
        mine = [p for p in range(n) if d[p] == i]
        if mine:
            solver.Add(sum(x[p] for p in mine) <= k_d)
    solver.Maximize(sum(float(score[p]) * q[p] for p in range(n)))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return solver.Objective().Value()


def random_instance(rng: np.random.Generator, tight: bool):
    n_s, n_d = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    pairs = [(i, j) for i in range(n_d) for j in range(n_s) if rng.random() < 0.6]
    if not pairs:
        pairs = [(0, 0)]
    d = np.array([p[0] for p in pairs])
    s = np.array([p[1] for p in pairs])
    score = rng.uniform(0.35, 1.0, len(d)).astype(np.float32)
    dq = np.round(np.exp(rng.normal(np.log(1000), 1.0, n_d)))
    cap = np.round(np.exp(rng.normal(np.log(1000), 1.0, n_s)))
    dmin = np.where(rng.random(n_d) < 0.3, dq * rng.uniform(0.1, 0.5, n_d), 0.0)
    smin = np.where(rng.random(n_s) < 0.5, cap * rng.uniform(0.02, 0.3, n_s), 0.0)
    k_d, k_s = (int(rng.integers(1, 4)), int(rng.integers(1, 4))) if tight else (10, 20)
    return d, s, score, dq, dmin, cap, smin, k_d, k_s


def check_constraints(d, s, chosen, qty, dq, dmin, cap, smin, k_d, k_s):
    assert len(np.unique(chosen)) == len(chosen)
    promised = np.bincount(s[chosen], weights=qty, minlength=len(cap))
    assert (promised <= cap * (1 + 1e-9) + 1e-9).all(), "a supply is over-promised"
    assert (qty <= dq[d[chosen]] * (1 + 1e-12)).all()
    floor = np.maximum(np.maximum(smin[s[chosen]], dmin[d[chosen]]), EPS)
    assert (qty >= floor * (1 - 1e-12)).all()
    assert (np.bincount(d[chosen], minlength=len(dq)) <= k_d).all()
    assert (np.bincount(s[chosen], minlength=len(cap)) <= k_s).all()


# --- hypothesis instances ------------------------------------------------------------------


@st.composite
def instances(draw):
    n_s = draw(st.integers(1, 6))
    n_d = draw(st.integers(1, 6))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_d - 1), st.integers(0, n_s - 1)),
            min_size=1, max_size=24, unique=True,
        )
    )  # fmt: skip
    n = len(pairs)
    qty = st.floats(1.0, 1e5, allow_nan=False)
    score = draw(st.lists(st.floats(0.0, 1.0, width=32), min_size=n, max_size=n))
    dq = np.array(draw(st.lists(qty, min_size=n_d, max_size=n_d)))
    cap = np.array(draw(st.lists(st.one_of(st.just(0.0), qty), min_size=n_s, max_size=n_s)))
    dmin_share = draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 1.0]), min_size=n_d, max_size=n_d))
    smin_share = draw(st.lists(st.sampled_from([0.0, 0.05, 0.5]), min_size=n_s, max_size=n_s))
    return (
        np.array([p[0] for p in pairs]),
        np.array([p[1] for p in pairs]),
        np.array(score, dtype=np.float32),
        dq,
        dq * np.array(dmin_share),
        cap,
        cap * np.array(smin_share),
        draw(st.integers(1, 4)),
        draw(st.integers(1, 4)),
    )


@settings(max_examples=300, deadline=None)
@given(instances())
def test_vectorised_greedy_is_exactly_the_sequential_greedy(inst):
    d, s, score, dq, dmin, cap, smin, k_d, k_s = inst
    keys = {
        "score": greedy_order(score),
        "value": greedy_order(score * np.minimum(dq[d], cap[s]), log_scale=True),
    }
    for strategy, order in keys.items():
        chosen, qty = allocate(d, s, score, dq, dmin, cap, smin, k_d, k_s, strategy=strategy)
        ref_chosen, ref_qty = greedy_reference(order, d, s, dq, dmin, cap, smin, k_d, k_s)
        assert sorted(chosen.tolist()) == sorted(ref_chosen.tolist()), strategy
        np.testing.assert_allclose(qty[np.argsort(chosen)], ref_qty[np.argsort(ref_chosen)])


@settings(max_examples=300, deadline=None)
@given(instances())
def test_allocation_never_breaks_a_constraint(inst):
    d, s, score, dq, dmin, cap, smin, k_d, k_s = inst
    chosen, qty = allocate(d, s, score, dq, dmin, cap, smin, k_d, k_s)
    check_constraints(d, s, chosen, qty, dq, dmin, cap, smin, k_d, k_s)


def test_best_of_both_orders_is_at_least_as_good_as_either():
    rng = np.random.default_rng(7)
    for _ in range(100):
        d, s, score, dq, dmin, cap, smin, k_d, k_s = random_instance(rng, tight=True)
        values = {}
        for strategy in ("score", "value", "best"):
            chosen, qty = allocate(d, s, score, dq, dmin, cap, smin, k_d, k_s, strategy=strategy)
            values[strategy] = allocation_value(score[chosen], qty)
        assert values["best"] >= max(values["score"], values["value"]) - 1e-6


def test_large_greedy_matches_the_sequential_reference():
    supplies, demands, ctx = synthetic_market(3000, 3000, seed=21)
    S, D, d, s, score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    assert len(d) > 10_000
    for strategy in ("score", "value"):
        chosen, qty = allocate(
            d, s, score, D.qty, D.min_order, S.qty, S.min_order, 10, 20, strategy=strategy
        )
        key = score if strategy == "score" else score * np.minimum(D.qty[d], S.qty[s])
        order = greedy_order(key, log_scale=strategy == "value")
        ref_chosen, ref_qty = greedy_reference(
            order, d, s, D.qty, D.min_order, S.qty, S.min_order, 10, 20
        )
        assert np.array_equal(np.sort(chosen), np.sort(ref_chosen))
        np.testing.assert_allclose(qty[np.argsort(chosen)], ref_qty[np.argsort(ref_chosen)])


# --- against the exact optimum -------------------------------------------------------------


@pytest.mark.parametrize(
    ("tight", "min_mean", "min_share_90", "min_single"),
    [
        # The caps of a real run (10 per demand, 20 per supply).
        (False, 0.99, 0.97, 0.8),
        # Artificially tight caps (1-3 per side), where a greedy is most at risk.
        (True, 0.98, 0.95, 0.6),
    ],
)
def test_heuristic_value_is_close_to_the_exact_optimum(tight, min_mean, min_share_90, min_single):
    rng = np.random.default_rng(2024 + tight)
    ratios = []
    for _ in range(200):
        d, s, score, dq, dmin, cap, smin, k_d, k_s = random_instance(rng, tight)
        chosen, qty = allocate(d, s, score, dq, dmin, cap, smin, k_d, k_s)
        check_constraints(d, s, chosen, qty, dq, dmin, cap, smin, k_d, k_s)
        value = allocation_value(score[chosen], qty)
        best = exact_optimum(d, s, score, dq, dmin, cap, smin, k_d, k_s)
        assert value <= best * (1 + 1e-6) + 1e-6
        ratios.append(value / best if best > 0 else 1.0)
    ratios = np.array(ratios)
    print(
        f"tight={tight}: mean {ratios.mean():.4f}, min {ratios.min():.3f}, "
        f">=0.9 in {np.mean(ratios >= 0.9):.1%}"
    )
    assert ratios.mean() >= min_mean
    assert np.mean(ratios >= 0.9) >= min_share_90
    assert ratios.min() >= min_single


# --- whole runs on random markets ----------------------------------------------------------


def check_result(result, supplies, demands, ctx, capacity, k_d, k_s):
    cfg = ctx.config
    s, d, q = result.supply_idx, result.demand_idx, result.suggested_qty
    assert hard_filter_mask(supplies, demands, s, d, ctx, capacity).all()
    promised = np.bincount(s, weights=q, minlength=len(supplies))
    assert (promised <= capacity * (1 + 1e-9) + 1e-9).all(), "a supply is over-promised"
    assert (np.bincount(d, minlength=len(demands)) <= k_d).all()
    assert (np.bincount(s, minlength=len(supplies)) <= k_s).all()
    assert (q <= demands.qty[d] * (1 + 1e-12)).all()
    assert (q >= np.maximum(supplies.min_order[s], demands.min_order[d]) * (1 - 1e-12)).all()
    assert (q > 0).all()
    assert (result.score >= cfg.min_score - 1e-5).all()
    pairs = set(zip(s.tolist(), d.tolist(), strict=True))
    assert len(pairs) == len(s), "a pair is proposed twice"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(
    seed=st.integers(0, 10_000),
    n_supply=st.integers(1, 400),
    n_demand=st.integers(1, 400),
    k_d=st.integers(1, 10),
    k_s=st.integers(1, 20),
    min_score=st.floats(0.0, 0.7),
    promised_share=st.floats(0.0, 1.0),
)
def test_full_rematch_invariants_on_random_markets(
    seed, n_supply, n_demand, k_d, k_s, min_score, promised_share
):
    supplies, demands, ctx = synthetic_market(n_supply, n_demand, seed=seed, declined_share=0.02)
    ctx.config = dataclasses.replace(
        ctx.config, max_per_demand=k_d, max_per_supply=k_s, min_score=min_score
    )
    rng = np.random.default_rng(seed)
    promised = supplies.qty * rng.uniform(0, promised_share, len(supplies))
    result = match_full(supplies, demands, ctx, already_promised=promised)
    check_result(result, supplies, demands, ctx, supplies.qty - promised, k_d, k_s)
    # One listing against the whole other side keeps the same promises.
    if len(demands) and len(supplies):
        one = match_one(demands.take([seed % len(demands)]), "demand", supplies, ctx, promised)
        d_one = demands.take([seed % len(demands)])
        check_result(one, supplies, d_one, ctx, supplies.qty - promised, k_d, k_s)
        i = seed % len(supplies)
        one = match_one(supplies.take([i]), "supply", demands, ctx, promised[i])
        check_result(
            one, supplies.take([i]), demands, ctx, supplies.qty[[i]] - promised[i], k_d, k_s
        )


def test_slots_already_used_lower_the_caps():
    supplies, demands, ctx = synthetic_market(300, 300, seed=8)
    used_d = np.random.default_rng(1).integers(0, 12, len(demands))
    used_s = np.random.default_rng(2).integers(0, 25, len(supplies))
    result = match_full(supplies, demands, ctx, supply_slots_used=used_s, demand_slots_used=used_d)
    cfg = ctx.config
    assert (
        np.bincount(result.demand_idx, minlength=len(demands)) + used_d
        <= np.maximum(cfg.max_per_demand, used_d)
    ).all()
    assert (
        np.bincount(result.supply_idx, minlength=len(supplies)) + used_s
        <= np.maximum(cfg.max_per_supply, used_s)
    ).all()
    assert len(result) > 0


# --- pruning before allocation -------------------------------------------------------------


def test_pruning_costs_almost_no_allocated_value():
    supplies, demands, ctx = synthetic_market(4000, 4000, seed=12)
    pruned = match_full(supplies, demands, ctx)
    ctx.config = dataclasses.replace(
        ctx.config, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    unpruned = match_full(supplies, demands, ctx)
    ratio = pruned.stats["allocated_value"] / unpruned.stats["allocated_value"]
    assert ratio >= 0.995
