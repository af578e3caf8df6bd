"""The full re-match with pools: single proposals, the shares active pools hold, new pools for
the demands left uncovered, and the single proposals re-fitted around them (pure numpy).

:func:`match_full_with_pools` keeps one order whether a pool is formed now or was formed by an
earlier run, so that a second run on an unchanged market changes nothing.
"""

from __future__ import annotations

import time

import numpy as np

from matchmaking.engine.full.kernel import _LEVELS
from matchmaking.engine.match import match_full
from matchmaking.engine.pools import PoolConfig, Pools, form_pools, subset_result
from matchmaking.engine.records import Context, ListingTable, Result, pair_keys


def uncovered_demands(
    n_demands: int, demand_idx: np.ndarray, suggested: np.ndarray, want: np.ndarray
) -> np.ndarray:
    """Demand rows that no single proposal covers in full (a mask over ``n_demands``)."""
    covered = np.zeros(n_demands, dtype=bool)
    full = suggested >= want[demand_idx] * (1 - 1e-9)
    covered[demand_idx[full]] = True
    return ~covered


def refit_singles(
    s_idx: np.ndarray, qty: np.ndarray, score: np.ndarray, free: np.ndarray
) -> np.ndarray:
    """Which of these single proposals still fit the supplies' ``free`` quantity, best score
    first per supply (a mask); ``free`` is decreased by the ones kept."""
    if len(s_idx) == 0:
        return np.zeros(0, dtype=bool)
    o = np.lexsort((-score, s_idx))
    s_o, q_o = s_idx[o], qty[o]
    total = np.cumsum(q_o)
    first = np.ones(len(s_o), dtype=bool)
    first[1:] = s_o[1:] != s_o[:-1]
    base = np.maximum.accumulate(np.where(first, np.arange(len(q_o)), 0))
    within = total - (total[base] - q_o[base])
    fits_o = within <= free[s_o] + 1e-6
    # A prefix per supply: once one does not fit, the rest of that supply's list is dropped
    # (simple and safe; they are partial offers to buyers a pool is being formed for).
    fits = np.zeros(len(s_idx), dtype=bool)
    fits[o] = fits_o
    np.subtract.at(free, s_o[fits_o], q_o[fits_o])
    return fits


# Batches of pool formation at most (each forms one pool or more; two or three are usual).
_BATCHES = 8


def match_full_with_pools(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    already_promised: np.ndarray | None = None,
    config: PoolConfig | None = None,
    pool_demands: np.ndarray | None = None,
    excluded_pairs: np.ndarray | None = None,
    held: np.ndarray | None = None,
    held_pairs: np.ndarray | None = None,
) -> tuple[Result, Pools]:
    """The full re-match (``match_full``) and then pools for the demands it leaves uncovered.

    ``pool_demands`` (a mask over ``demands``) says which demands may get a new pool (the
    service leaves out those with a pool already, or whose buyer declined pooling);
    ``excluded_pairs`` holds :func:`~matchmaking.engine.records.pair_keys` of supplies that
    declined to pool for a demand. ``held`` (aligned with ``supplies``) is what active pools'
    shares already hold of each supply, ``held_pairs`` the pair keys of those members.

    The order is the same whether the pools are formed now or were formed by an earlier run,
    so that a second run on an unchanged market changes nothing: single proposals first, on
    the capacity ``already_promised`` leaves (not less the pools' shares); the shares held
    and the new pools then take only what single proposals to *other* demands leave; the
    single proposals of every demand left uncovered are re-fitted last (dropped where a pool
    took the capacity or the supply is a member of that demand's pool). When the market
    changed so that single proposals to other demands and the held shares no longer fit a
    supply together, the single proposals are matched again with those shares held; any that
    still do not fit give way. A supply's single shares and pool shares together never pass
    its quantity.
    """
    t0 = time.perf_counter()
    cfg = config or PoolConfig()
    n = len(supplies)
    held = np.zeros(n) if held is None else np.asarray(held, dtype=np.float64)
    cand: dict = {}
    result = match_full(
        supplies, demands, context, already_promised=already_promised, keep_candidates=cand
    )
    capacity = cand["capacity"].astype(np.float64)
    # Demands whose single proposals give way to pools: those that may get one, and those that
    # have one (their members are in ``held_pairs``: the low 32 bits of a key are the demand).
    poolable = np.ones(len(demands), dtype=bool) if pool_demands is None else pool_demands
    pooled = np.asarray(poolable, dtype=bool).copy()
    if held_pairs is not None and len(held_pairs):
        pooled |= np.isin(demands.id, np.asarray(held_pairs, dtype=np.int64) & 0xFFFFFFFF)
    need = _uncovered(result, demands) & pooled
    over = _over(result, need, capacity - held)
    if over.any():  # the market changed: match again with those supplies' shares held
        again = held * over if already_promised is None else already_promised + held * over
        cand = {}
        result = match_full(
            supplies, demands, context, already_promised=again, keep_candidates=cand
        )
        need = _uncovered(result, demands) & pooled
    t1 = time.perf_counter()
    single_need = need[result.demand_idx]
    free = np.maximum(capacity - held, 0.0)
    keep = ~single_need
    others = np.flatnonzero(keep)
    keep[others] = refit_singles(
        result.supply_idx[others], result.suggested_qty[others], result.score[others], free
    )
    pool_need = need & np.asarray(poolable, dtype=bool)
    d_rows, s_rows, score = _pool_pairs(context, cand, pool_need)
    if excluded_pairs is not None and len(excluded_pairs) and len(d_rows):
        keys = pair_keys(supplies.id[s_rows], demands.id[d_rows])
        bad = np.isin(keys, excluded_pairs)
        d_rows, s_rows, score = d_rows[~bad], s_rows[~bad], score[~bad]
    pools = _form_until_none(supplies, demands, context, d_rows, s_rows, score, free, cfg)
    # Re-fit the single proposals of the demands left uncovered, around every pool.
    idx = np.flatnonzero(single_need)
    member_keys = pair_keys(supplies.id[pools.supply_idx], demands.id[_member_demands(pools)])
    if held_pairs is not None and len(held_pairs):
        member_keys = np.concatenate([member_keys, np.asarray(held_pairs, dtype=np.int64)])
    own_keys = pair_keys(supplies.id[result.supply_idx[idx]], demands.id[result.demand_idx[idx]])
    idx = idx[~np.isin(own_keys, member_keys)]
    fits = refit_singles(result.supply_idx[idx], result.suggested_qty[idx], result.score[idx], free)
    keep[idx[fits]] = True
    result = subset_result(result, keep)
    result.stats.update(pools.stats)
    result.stats["pool_demands"] = int(pool_need.sum())
    result.stats["pool_rematched"] = int(over.sum())
    result.stats["pool_seconds"] = time.perf_counter() - t1
    result.stats["engine_seconds"] = time.perf_counter() - t0
    return result, pools


def _form_until_none(supplies, demands, context, d_rows, s_rows, score, free, cfg) -> Pools:
    """Pools formed again and again for the demands left without one, on what the earlier
    batches left (a demand that lost its candidates to another that then gave them back gets
    them), until a batch forms none: a later run with these pools held forms no new one."""
    batches = []
    for _ in range(_BATCHES):
        formed = form_pools(supplies, demands, context, d_rows, s_rows, score, free, cfg)
        if not len(formed):
            break
        batches.append(formed)
        rest = ~np.isin(d_rows, formed.demand_idx)
        d_rows, s_rows, score = d_rows[rest], s_rows[rest], score[rest]
    pools = Pools.concat(batches)
    pools.stats["pool_batches"] = len(batches)
    return pools


def _uncovered(result: Result, demands: ListingTable) -> np.ndarray:
    return uncovered_demands(len(demands), result.demand_idx, result.suggested_qty, demands.qty)


def _over(result: Result, need: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Supplies whose single proposals to demands outside ``need`` pass ``room`` (a mask)."""
    covered = ~need[result.demand_idx]
    load = np.bincount(
        result.supply_idx[covered], weights=result.suggested_qty[covered], minlength=len(room)
    )
    return load > room + 1e-6


def _pool_pairs(context: Context, cand: dict, need: np.ndarray):
    """The candidate pairs of the demands that may get a pool, with their scores."""
    d_rows, s_rows, level = cand["d_rows"], cand["s_rows"], cand["score"]
    sel = need[d_rows]
    d_rows, s_rows = d_rows[sel].astype(np.int64), s_rows[sel].astype(np.int64)
    min_score = context.config.min_score
    score = min_score + (level[sel].astype(np.float64) - 1.0) * (1.0 - min_score) / _LEVELS
    return d_rows, s_rows, score


def _member_demands(pools: Pools) -> np.ndarray:
    return np.repeat(pools.demand_idx, np.diff(pools.offsets))
