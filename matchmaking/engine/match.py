"""The two entry points: the full re-match and one listing against the other side."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Literal

import numpy as np

from matchmaking.engine.allocation import allocate, allocation_value
from matchmaking.engine.exposure import exposure_keys
from matchmaking.engine.factors import pair_factors
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.full import candidates
from matchmaking.engine.learning import learned_orgs
from matchmaking.engine.records import FACTORS, Context, ListingTable, Result
from matchmaking.engine.relevance import pair_misfits
from matchmaking.engine.scoring import score_pairs


def _capacity(supplies: ListingTable, already_promised: np.ndarray | float | None) -> np.ndarray:
    """Free capacity: quantity minus what active proposals already hold, never below 0."""
    if already_promised is None:
        return supplies.qty.copy()
    promised = np.broadcast_to(np.asarray(already_promised, dtype=np.float64), supplies.qty.shape)
    return np.maximum(supplies.qty - promised, 0.0)


def _slots(limit: int, used: np.ndarray | int | None, n: int) -> np.ndarray:
    """Proposals still allowed per row: the cap minus active proposals kept from before."""
    if used is None:
        return np.full(n, limit, dtype=np.int64)
    used_arr = np.broadcast_to(np.asarray(used, dtype=np.int64), (n,))
    return np.maximum(limit - used_arr, 0)


def _result(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    s_rows: np.ndarray,
    d_rows: np.ndarray,
    qty: np.ndarray,
    capacity: np.ndarray,
    stats: dict,
    factors: np.ndarray | None = None,
) -> Result:
    """Factors and scores of the chosen pairs, best first within each demand (every pair
    that fits the demand's words before every misfit, ``engine.relevance``)."""
    weights = context.config.weight_vector
    if factors is None:
        factors = pair_factors(supplies, demands, s_rows, d_rows, context, capacity)
    scored = score_pairs(supplies, demands, s_rows, d_rows, context, factors)
    score = scored.score
    order = np.lexsort((-score, scored.misfit, d_rows))
    stats["proposals"] = len(order)
    stats["allocated_value"] = allocation_value(score, qty)
    return Result(
        pair_weights=None if scored.pair_weights is None else scored.pair_weights[order],
        relevance=scored.relevance[order],
        supply_idx=s_rows[order].astype(np.int64),
        demand_idx=d_rows[order].astype(np.int64),
        supply_id=supplies.id[s_rows[order]],
        demand_id=demands.id[d_rows[order]],
        score=score[order],
        factors=factors[order],
        suggested_qty=qty[order],
        weights=weights,
        stats=stats,
    )


def match_full(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    already_promised: np.ndarray | None = None,
    supply_slots_used: np.ndarray | None = None,
    demand_slots_used: np.ndarray | None = None,
    keep_candidates: dict | None = None,
) -> Result:
    """Match every demand against every supply and choose the proposals.

    ``already_promised`` (aligned with ``supplies``, base units) is capacity held by active
    proposals that this run keeps; ``supply_slots_used`` / ``demand_slots_used`` (aligned with
    each table) count such proposals against the per-listing caps. Leave them out when the
    run replaces every open proposal. ``keep_candidates`` (a dict) receives the candidate
    pairs as table rows (``s_rows``, ``d_rows``, ``score``) and the free ``capacity``, for
    pools (``engine.pools``).
    """
    t0 = time.perf_counter()
    cfg = context.config
    capacity = _capacity(supplies, already_promised)
    s_rows, d_rows, score, stats = _candidates_learned(supplies, demands, context, capacity)
    if keep_candidates is not None:
        keep_candidates.update(s_rows=s_rows, d_rows=d_rows, score=score, capacity=capacity)
    t1 = time.perf_counter()
    k_d = _slots(cfg.max_per_demand, demand_slots_used, len(demands))
    k_s = _slots(cfg.max_per_supply, supply_slots_used, len(supplies))
    # Fair exposure: the allocation ranks by the score plus a bounded bonus for a supply's
    # best candidates (``engine.exposure``); the stored score is the relevance alone. Strict
    # intent: misfits of a demand's words go behind every fitting pair, whatever the key.
    key = exposure_keys(score, s_rows, len(supplies), cfg.exposure_bonus)
    behind = pair_misfits(supplies, demands, s_rows, d_rows, cfg)
    chosen, qty = allocate(
        d_rows,
        s_rows,
        key,
        demands.qty,
        demands.min_order,
        capacity,
        supplies.min_order,
        k_d,
        k_s,
        stats,
        workers=cfg.workers or min(2, os.cpu_count() or 1),
        behind=behind,
    )
    t2 = time.perf_counter()
    stats["allocate_seconds"] = t2 - t1
    result = _result(
        supplies,
        demands,
        context,
        s_rows[chosen],
        d_rows[chosen],
        qty,
        capacity,
        stats,
    )
    stats["result_seconds"] = time.perf_counter() - t2
    stats["engine_seconds"] = time.perf_counter() - t0
    return result


def _candidates_learned(
    supplies: ListingTable, demands: ListingTable, context: Context, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Candidate pairs (supply row, demand row, score) of the whole market.

    Demands of organizations that learned from their declines are scored by the block kernel
    with their own weights, one group per distinct set of multipliers (few: multipliers come
    in steps of 0.25); the rest with the configured weights. Pairs whose *supplier* learned
    are then rescored exactly with both sides' weights (``engine.scoring``); their candidate
    lists were chosen with the demand's weights, a superset in practice since a supplier's
    multipliers are bounded.
    """
    cfg = context.config
    learned = context.learned or {}
    orgs = learned_orgs(learned)
    groups: list[tuple[np.ndarray, Context]] = []
    if len(orgs):
        d_learned = np.isin(demands.org, orgs)
        plain = np.flatnonzero(~d_learned)
        by_vector: dict[tuple, list[int]] = {}
        for row in np.flatnonzero(d_learned).tolist():
            mult = learned[int(demands.org[row])].multipliers
            by_vector.setdefault(tuple(np.round(mult, 6).tolist()), []).append(row)
        groups.append((plain, context))
        base = cfg.weight_vector
        for vector, rows in by_vector.items():
            w = np.clip(np.array(vector), 0.5, 2.0) * base
            weights = dict(zip(FACTORS, (w / w.sum()).tolist(), strict=True))
            groups.append(
                (
                    np.array(rows, dtype=np.int64),
                    replace(context, config=replace(cfg, weights=weights)),
                )
            )
    else:
        groups.append((None, context))
    parts_s, parts_d, parts_v = [], [], []
    stats: dict = {}
    for rows, ctx in groups:
        table = demands if rows is None else demands.take(rows)
        if rows is not None and not len(rows):
            continue
        S, D, d_pos, s_pos, score, st = candidates(supplies, table, ctx, capacity)
        d_table = D.rows[d_pos] if rows is None else rows[D.rows[d_pos]]
        parts_s.append(S.rows[s_pos].astype(np.int64))
        parts_d.append(np.asarray(d_table, dtype=np.int64))
        parts_v.append(score)
        for k, v in st.items():
            stats[k] = stats.get(k, 0) + v if k not in ("supplies_tradeable",) else v
    stats["weight_groups"] = len(groups)
    if not parts_s:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, np.float32), stats
    s_rows = np.concatenate(parts_s)
    d_rows = np.concatenate(parts_d)
    score = np.concatenate(parts_v).astype(np.float32)
    if len(orgs):
        redo = np.flatnonzero(np.isin(supplies.org[s_rows], orgs))
        if len(redo):
            f = pair_factors(supplies, demands, s_rows[redo], d_rows[redo], context, capacity)
            score[redo] = score_pairs(
                supplies, demands, s_rows[redo], d_rows[redo], context, f
            ).score
            keep = score >= cfg.min_score
            s_rows, d_rows, score = s_rows[keep], d_rows[keep], score[keep]
        stats["rescored_for_learning"] = len(redo)
    stats["candidates"] = len(score)
    return s_rows, d_rows, score, stats


def match_one(
    listing: ListingTable,
    side: Literal["supply", "demand"],
    counter: ListingTable,
    context: Context,
    already_promised: np.ndarray | float | None = None,
    supply_slots_used: np.ndarray | int | None = None,
    demand_slots_used: np.ndarray | int | None = None,
) -> Result:
    """Match one new or changed listing (a one-row table) against the other side.

    ``side`` is the listing's own side. ``already_promised`` and the ``*_slots_used`` counts
    are aligned with whichever table holds supplies / demands: the counter table when the
    listing is a demand, the listing itself (one value) when it is a supply. In the result
    the listing is row 0 of its side and the counter rows index ``counter``.
    """
    t0 = time.perf_counter()
    if len(listing) != 1:
        raise ValueError("match_one takes a table with exactly one listing")
    if side not in ("supply", "demand"):
        raise ValueError("side must be 'supply' or 'demand'")
    cfg = context.config
    tree = context.tree
    if side == "demand":
        supplies, demands = counter, listing
    else:
        supplies, demands = listing, counter
    capacity = _capacity(supplies, already_promised)
    today = cfg.today
    own_cap = capacity[0] if side == "supply" else listing.qty[0]
    if not (listing.open[0] and own_cap > 0 and listing.qty[0] > 0 and listing.end[0] >= today):
        rows = np.zeros(0, dtype=np.int64)
    else:
        # One pass over the counter table with cheap, selective tests, through per-category
        # lookups, before the exact filters run on the few rows left.
        own_cat = int(listing.category[0])
        own_prod = int(listing.product[0])
        if side == "demand":  # supplies in the demand's subtree
            related = (tree.tin >= tree.tin[own_cat]) & (tree.tin < tree.tout[own_cat])
        else:  # demands whose category is the supply's or an ancestor of it
            related = np.zeros(tree.n, dtype=bool)
            related[tree.ancestors(own_cat)] = True
        mask = related[counter.category]
        if own_prod >= 0:
            mask |= counter.product == own_prod
        mask &= counter.open
        mask &= counter.end >= today
        mask &= counter.dimension == listing.dimension[0]
        mask &= (capacity if side == "demand" else counter.qty) > 0
        rows = np.flatnonzero(mask)
    zeros = np.zeros(len(rows), dtype=np.int64)
    s_idx, d_idx = (rows, zeros) if side == "demand" else (zeros, rows)
    ok = hard_filter_mask(supplies, demands, s_idx, d_idx, context, capacity)
    s_idx, d_idx, rows = s_idx[ok], d_idx[ok], rows[ok]
    factors = pair_factors(supplies, demands, s_idx, d_idx, context, capacity)
    scored = score_pairs(supplies, demands, s_idx, d_idx, context, factors)
    keep = scored.score >= cfg.min_score
    s_idx, d_idx, rows = s_idx[keep], d_idx[keep], rows[keep]
    factors, score, behind = factors[keep], scored.score[keep], scored.misfit[keep]
    # Allocate on the few rows involved, not on whole-table arrays.
    m = len(rows)
    local = np.arange(m)
    one = np.zeros(m, dtype=np.int64)
    if side == "demand":
        k_s = _slots(cfg.max_per_supply, supply_slots_used, len(supplies))[rows]
        k_d = _slots(cfg.max_per_demand, demand_slots_used, 1)
        chosen, qty = allocate(
            one,
            local,
            score,
            demands.qty,
            demands.min_order,
            capacity[rows],
            supplies.min_order[rows],
            k_d,
            k_s,
            behind=behind,
        )
    else:
        k_d = _slots(cfg.max_per_demand, demand_slots_used, len(demands))[rows]
        k_s = _slots(cfg.max_per_supply, supply_slots_used, 1)
        chosen, qty = allocate(
            local,
            one,
            score,
            demands.qty[rows],
            demands.min_order[rows],
            capacity,
            supplies.min_order,
            k_d,
            k_s,
            behind=behind,
        )
    stats = {"pairs_scored": int(ok.sum()), "candidates": m}
    result = _result(
        supplies,
        demands,
        context,
        s_idx[chosen],
        d_idx[chosen],
        qty,
        capacity,
        stats,
        factors=factors[chosen],
    )
    stats["engine_seconds"] = time.perf_counter() - t0
    return result
