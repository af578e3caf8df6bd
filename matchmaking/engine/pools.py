"""Pools: several supplies together fill one demand that no single supply can cover.

A 200-tonne export order cannot be filled by one cooperative of 40 tonnes, but five of them
can. For every demand left without a single proposal covering its whole quantity, the engine
forms a *pool*: 2..K supplies from different organizations, each passing every hard rule for
that demand (they come from the same candidate pairs as single matches), together covering
as close to 100 % as the market allows, never more than each supply's free quantity.

The choice (:func:`form_pools`) is a greedy over all pool demands at once, one member per
demand per round, vectorised over demands (an ``(n_demands, M)`` matrix of the best ``M``
candidates each):

1. a candidate's *contribution* is ``min(free quantity, quantity still missing)``, or nothing
   when that is below both sides' minimum order or its organization is already in the pool;
2. a supply that names none of what the demand's words ask for (a *misfit*,
   ``engine.relevance``) is a candidate only while no fitting supply can contribute;
   among the candidates contributing at least ``(1 - tolerance)`` of the best contribution,
   the one with the best *merit* wins: its pair score, less a penalty for the distance to
   the buyer and to the members already chosen (short hauls, a pool that can consolidate);
3. two demands that pick the same supply in one round are served in order of their pick's
   merit; one that no longer fits tries again next round.

With ``tolerance = 0`` and no minimum orders this is optimal for (coverage, fewest members)
on one demand: taking the largest contributions first reaches ``min(quantity, sum of the K
largest)`` with the fewest members (``test_engine_pools.py`` checks it against OR-Tools
CP-SAT). A small tolerance trades a little coverage for a better score and shorter distances.

A pool's factors are its members' factors averaged by share, except ``quantity``, which is the
pool's coverage; its score is those factors times the weights, like a single match. The full
re-match with pools (single proposals, held shares, new pools, re-fitting) is
``engine.pool_rematch``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matchmaking.engine.allocation import allocation_value
from matchmaking.engine.factors import pair_factors
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.records import FACTORS, Context, ListingTable, Result
from matchmaking.engine.relevance import pair_misfits

_EPS = 1e-9
# The pool's own figures, after the seven factors, in ``Pools.extras`` columns.
POOL_EXTRAS: tuple[str, ...] = ("coverage", "members", "spread_km", "buyer_km")


@dataclass(frozen=True)
class PoolConfig:
    """Tuning knobs of pool formation."""

    max_members: int = 5
    min_members: int = 2
    # Best candidates per demand (by pair score) that the greedy considers.
    candidates: int = 16
    # Contributions within this share of the best one count as equal; merit decides.
    tolerance: float = 0.1
    # Merit = pair score - distance_weight * (km to the buyer + mean km to members) / 1000.
    distance_weight: float = 0.1

    def __post_init__(self) -> None:
        if not 1 <= self.min_members <= self.max_members:
            raise ValueError("need 1 <= min_members <= max_members")
        if not 0.0 <= self.tolerance < 1.0:
            raise ValueError("tolerance must lie in [0, 1)")


@dataclass
class Pools:
    """Formed pools; the members of pool ``p`` are ``offsets[p]:offsets[p + 1]``.

    ``demand_idx``/``supply_idx`` index the tables passed in; quantities are base units.
    ``factors`` (pools x FACTORS) and ``score`` as for single matches, ``member_factors``
    and ``member_score`` per member (the pair's own).
    """

    demand_idx: np.ndarray
    offsets: np.ndarray
    supply_idx: np.ndarray
    qty: np.ndarray
    member_score: np.ndarray
    member_factors: np.ndarray
    covered: np.ndarray
    coverage: np.ndarray
    score: np.ndarray
    factors: np.ndarray
    spread_km: np.ndarray
    buyer_km: np.ndarray
    stats: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.demand_idx)

    def members(self, p: int) -> slice:
        return slice(int(self.offsets[p]), int(self.offsets[p + 1]))

    @classmethod
    def empty(cls) -> Pools:
        z = np.zeros(0)
        zi = np.zeros(0, dtype=np.int64)
        zf = np.zeros((0, len(FACTORS)), dtype=np.float32)
        return cls(zi, np.zeros(1, dtype=np.int64), zi, z, z, zf, z, z, z, zf, z, z)

    @classmethod
    def concat(cls, parts: list[Pools]) -> Pools:
        """Several formed batches as one (their demands are distinct)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        if len(parts) == 1:
            return parts[0]
        sizes = [p.offsets[-1] for p in parts]
        shift = np.cumsum([0, *sizes[:-1]])
        offsets = np.concatenate(
            [[0], *(p.offsets[1:] + k for p, k in zip(parts, shift, strict=True))]
        )
        cat = {
            name: np.concatenate([getattr(p, name) for p in parts])
            for name in (
                "demand_idx", "supply_idx", "qty", "member_score", "member_factors", "covered",
                "coverage", "score", "factors", "spread_km", "buyer_km",
            )
        }  # fmt: skip
        stats = dict(parts[0].stats)
        stats["pools"] = sum(len(p) for p in parts)
        stats["pool_rounds"] = sum(p.stats.get("pool_rounds", 0) for p in parts)
        return cls(offsets=offsets.astype(np.int64), stats=stats, **cat)


def pool_candidates(
    demands: ListingTable,
    d: int,
    supplies: ListingTable,
    context: Context,
    rows: np.ndarray | None = None,
    capacity: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Supply rows passing every hard rule for demand row ``d`` with a score above the
    minimum, and their scores (one demand: a saved listing, a replacement member)."""
    if rows is None:
        tree = context.tree
        cat = int(demands.category[d])
        related = (tree.tin >= tree.tin[cat]) & (tree.tin < tree.tout[cat])
        mask = related[supplies.category]
        if demands.product[d] >= 0:
            mask |= supplies.product == demands.product[d]
        mask &= supplies.open & (supplies.dimension == demands.dimension[d])
        rows = np.flatnonzero(mask)
    rows = np.asarray(rows, dtype=np.intp)
    d_idx = np.full(len(rows), d, dtype=np.intp)
    ok = hard_filter_mask(supplies, demands, rows, d_idx, context, capacity)
    rows, d_idx = rows[ok], d_idx[ok]
    factors = pair_factors(supplies, demands, rows, d_idx, context, capacity)
    score = (factors.astype(np.float64) @ context.config.weight_vector).astype(np.float32)
    keep = score >= context.config.min_score
    return rows[keep].astype(np.int64), score[keep]


def candidate_order(
    supplies: ListingTable,
    demands: ListingTable,
    s_rows: np.ndarray,
    d_rows: np.ndarray,
    pair_score: np.ndarray,
    config,
) -> tuple[np.ndarray, np.ndarray]:
    """How :func:`form_pools` ranks candidate pairs: by demand, supplies that fit the demand's
    words first (strict intent, ``engine.relevance``), then by pair score; a stable order, so
    it ranks any subset the same way. Returns the order and each pair's misfit flag."""
    off = pair_misfits(supplies, demands, s_rows, d_rows, config)
    off = np.zeros(len(d_rows), dtype=bool) if off is None else off
    return np.lexsort((-np.asarray(pair_score, dtype=np.float64), off, d_rows)), off


def form_pools(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    d_rows: np.ndarray,
    s_rows: np.ndarray,
    pair_score: np.ndarray,
    free: np.ndarray,
    config: PoolConfig | None = None,
    want: np.ndarray | None = None,
) -> Pools:
    """Form pools from candidate pairs ``(d_rows[i], s_rows[i])`` that pass every hard rule.

    ``free`` (aligned with ``supplies``) is what each supply may still give to pools, and is
    decreased in place by the shares given. ``want`` (aligned with ``demands``) is the
    quantity to fill (default: the demand's quantity). Only demands that appear in the pairs
    get a pool; the caller chooses them.
    """
    cfg = config or PoolConfig()
    d_rows = np.asarray(d_rows, dtype=np.int64)
    s_rows = np.asarray(s_rows, dtype=np.int64)
    pair_score = np.asarray(pair_score, dtype=np.float64)
    want_all = demands.qty if want is None else np.asarray(want, dtype=np.float64)
    keep = free[s_rows] > _EPS
    # A demand with fewer candidates than a pool's members can never form one: left out, it
    # does not take (and give back) capacity the others could use.
    if len(d_rows) and cfg.min_members > 1:
        counts = np.bincount(d_rows[keep], minlength=int(d_rows.max()) + 1)
        keep &= counts[d_rows] >= cfg.min_members
    d_rows, s_rows, pair_score = d_rows[keep], s_rows[keep], pair_score[keep]
    if len(d_rows) == 0:
        return Pools.empty()

    # The best M candidates of each demand, as an (n, M) matrix padded with -1.
    order, off = candidate_order(supplies, demands, s_rows, d_rows, pair_score, context.config)
    d_rows, s_rows, pair_score, off = d_rows[order], s_rows[order], pair_score[order], off[order]
    dem, start = np.unique(d_rows, return_index=True)
    group = np.repeat(np.arange(len(dem)), np.diff(np.append(start, len(d_rows))))
    rank = np.arange(len(d_rows)) - start[group]
    m = int(min(cfg.candidates, rank.max() + 1))
    top = rank < m
    n = len(dem)
    sup = np.full((n, m), -1, dtype=np.int64)
    sup[group[top], rank[top]] = s_rows[top]
    score = np.full((n, m), -np.inf)
    score[group[top], rank[top]] = pair_score[top]
    misfit = np.zeros((n, m), dtype=bool)
    misfit[group[top], rank[top]] = off[top]
    valid = sup >= 0
    sup_safe = np.where(valid, sup, 0)
    floor = np.maximum(supplies.min_order[sup_safe], demands.min_order[dem][:, None])
    floor = np.maximum(floor, _EPS)
    org = np.where(valid, supplies.org[sup_safe], -1)
    prov = supplies.province[sup_safe]
    dist = context.distance_km
    buyer_km = dist[demands.province[dem][:, None], prov]

    rem = want_all[dem].astype(np.float64).copy()
    used = ~valid  # a candidate taken, of an organization already in, or out for good
    count = np.zeros(n, dtype=np.int64)
    km_sum = np.zeros((n, m))  # sum of distances from each candidate to the chosen members
    picked_row = []
    picked_col = []
    picked_qty = []
    rounds = 0
    finished = np.zeros(n, dtype=bool)
    active = np.arange(n)
    # Each round grants at least one pick per contested supply: bounded by members x rounds.
    while len(active) and rounds < 10 * cfg.max_members:
        rounds += 1
        free_c = free[sup_safe[active]]
        contrib = np.minimum(free_c, rem[active][:, None])
        ok = ~used[active] & (contrib >= floor[active])
        # A misfit of the demand's words is a member only when no fitting one can give.
        fit_ok = ok & ~misfit[active]
        ok = np.where(fit_ok.any(axis=1)[:, None], fit_ok, ok)
        contrib = np.where(ok, contrib, 0.0)
        # A pick that would leave less than any other candidate's minimum order takes a
        # little less, so that one more member can still close the gap.
        rem_a = rem[active][:, None]
        f_min = np.where(ok, floor[active], np.inf).min(axis=1)[:, None]
        gap = rem_a - contrib
        short = ok & (gap > _EPS) & (gap < f_min) & (count[active] + 1 < cfg.max_members)[:, None]
        trimmed = rem_a - f_min
        short &= trimmed >= floor[active]
        contrib = _grid(np.where(short, trimmed, contrib))
        best = contrib.max(axis=1)
        alive = best > _EPS
        near = ok & (contrib >= (1.0 - cfg.tolerance) * best[:, None] - _EPS)
        mean_km = km_sum[active] / np.maximum(count[active], 1)[:, None]
        merit = score[active] - cfg.distance_weight * (buyer_km[active] + mean_km) / 1000.0
        merit = np.where(near, merit, -np.inf)
        col = merit.argmax(axis=1)
        rows_a = active[alive]
        col = col[alive]
        best_merit = merit[alive, col]
        s_pick = sup[rows_a, col]
        q = contrib[alive, col]
        # Same supply picked by several demands this round: the best merit gets it, the
        # others try again next round (with what is left, if it still meets their minimum).
        o = np.lexsort((-best_merit, s_pick))
        rows_a, col, s_pick, q = rows_a[o], col[o], s_pick[o], q[o]
        grant = np.ones(len(s_pick), dtype=bool)
        grant[1:] = s_pick[1:] != s_pick[:-1]
        rows_g, col_g, s_g, q_g = rows_a[grant], col[grant], s_pick[grant], q[grant]
        free[s_g] -= q_g
        rem[rows_g] -= q_g
        count[rows_g] += 1
        picked_row.append(rows_g)
        picked_col.append(col_g)
        picked_qty.append(q_g)
        # The chosen one and its organization's other listings leave the pool's candidates.
        used[rows_g] |= org[rows_g] == org[rows_g, col_g][:, None]
        km_sum[rows_g] += dist[prov[rows_g, col_g][:, None], prov[rows_g]]
        finished[active[~alive]] = True
        active = np.flatnonzero(
            ~finished & (rem > _EPS) & (count < cfg.max_members) & ~used.all(axis=1)
        )

    if not picked_row:
        return Pools.empty()
    p_row = np.concatenate(picked_row)
    p_col = np.concatenate(picked_col)
    p_qty = np.concatenate(picked_qty)
    # Too few members: no pool; the shares go back.
    enough = count >= cfg.min_members
    back = ~enough[p_row]
    np.add.at(free, sup[p_row[back], p_col[back]], p_qty[back])
    p_row, p_col, p_qty = p_row[~back], p_col[~back], p_qty[~back]
    if len(p_row) == 0:
        return Pools.empty()
    o = np.lexsort((-p_qty, p_row))
    p_row, p_col, p_qty = p_row[o], p_col[o], p_qty[o]
    members_s = sup[p_row, p_col]
    pool_rows, pstart = np.unique(p_row, return_index=True)
    offsets = np.append(pstart, len(p_row)).astype(np.int64)
    demand_idx = dem[pool_rows]
    member_d = dem[p_row]
    member_factors = pair_factors(supplies, demands, members_s, member_d, context)
    weights = context.config.weight_vector
    member_score = member_factors.astype(np.float64) @ weights
    covered = np.add.reduceat(p_qty, pstart)
    coverage = np.minimum(covered / np.maximum(want_all[demand_idx], _EPS), 1.0)
    pool_of = np.repeat(np.arange(len(pool_rows)), np.diff(offsets))
    share = p_qty / covered[pool_of]
    factors = np.zeros((len(pool_rows), len(FACTORS)))
    np.add.at(factors, pool_of, member_factors.astype(np.float64) * share[:, None])
    factors[:, FACTORS.index("quantity")] = coverage
    score = factors @ weights
    b_km = np.add.reduceat(buyer_km[p_row, p_col] * share, pstart)
    spread = _spread(context, supplies.province[members_s], offsets)
    return Pools(
        demand_idx=demand_idx.astype(np.int64),
        offsets=offsets,
        supply_idx=members_s.astype(np.int64),
        qty=p_qty,
        member_score=member_score,
        member_factors=member_factors.astype(np.float32),
        covered=covered,
        coverage=coverage,
        score=score,
        factors=factors.astype(np.float32),
        spread_km=spread,
        buyer_km=b_km,
        stats={"pool_rounds": rounds, "pool_demands_tried": n, "pools": len(pool_rows)},
    )


def _grid(qty: np.ndarray) -> np.ndarray:
    """Shares rounded down to the stored precision (0.001 of a base unit): what a later run
    reads back from the database as held is then exactly what this one gave."""
    return np.floor(qty * 1000.0 + 1e-6) / 1000.0


def _spread(context: Context, prov: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Mean distance between a pool's members (pools are a handful of rows: a short loop
    over member slots, not over pools)."""
    n = len(offsets) - 1
    size = np.diff(offsets)
    k = int(size.max()) if n else 0
    grid = np.full((n, k), -1, dtype=np.int64)
    pool_of = np.repeat(np.arange(n), size)
    slot = np.arange(len(prov)) - offsets[:-1][pool_of]
    grid[pool_of, slot] = prov
    total = np.zeros(n)
    for a in range(k):
        for b in range(a + 1, k):
            both = (grid[:, a] >= 0) & (grid[:, b] >= 0)
            total[both] += context.distance_km[grid[both, a], grid[both, b]]
    pairs = size * (size - 1) / 2
    return np.where(pairs > 0, total / np.maximum(pairs, 1), 0.0)


def subset_result(result: Result, keep: np.ndarray) -> Result:
    """The proposals of ``result`` where ``keep`` is True."""
    stats = dict(result.stats)
    stats["proposals"] = int(keep.sum())
    stats["allocated_value"] = allocation_value(result.score[keep], result.suggested_qty[keep])
    return Result(
        supply_idx=result.supply_idx[keep],
        demand_idx=result.demand_idx[keep],
        supply_id=result.supply_id[keep],
        demand_id=result.demand_id[keep],
        score=result.score[keep],
        factors=result.factors[keep],
        suggested_qty=result.suggested_qty[keep],
        weights=result.weights,
        stats=stats,
    )
