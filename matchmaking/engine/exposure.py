"""Fair exposure: small and remote producers are not crowded out by a few large suppliers.

Left alone, the allocation ranks every pair by its score, and the suppliers that fit many
demands well (large, verified, central) take a demand's slots everywhere while many others
get no proposal at all. The remedy is a bounded re-ranking in the allocation only:

    key = score + bonus × (1 - rank / RANKS)  for a supply's RANKS best candidates, else score

where ``rank`` is the pair's place among its own supply's candidates (0 = the supply's best
demand). A supply's best few demands see it a little higher, at most ``bonus`` (0.05 by
default, ``Config.exposure_bonus``); a dominant supply's own best pairs get the same bonus,
so it only loses the marginal slots it would have won by less than the bonus. The stored
score, what buyers read, is the relevance alone. The bonus never lifts a misfit of a
demand's words above a fitting pair: the allocation takes misfits after every fit, whatever
the key (``allocate(behind=...)``, strict intent). ``exposure_figures`` measures the effect
(the benchmark prints it with the term on and off).
"""

from __future__ import annotations

import numpy as np

RANKS = 3


def exposure_keys(score: np.ndarray, s: np.ndarray, n_supplies: int, bonus: float) -> np.ndarray:
    """The allocation's ranking key of candidate pairs (score plus the exposure bonus)."""
    score = np.asarray(score, dtype=np.float32)
    if bonus <= 0 or not len(score):
        return score
    s = np.asarray(s, dtype=np.int64)
    # Rank of each pair inside its supply's list: sort by (supply, -score).
    order = np.lexsort((-score, s))
    s_sorted = s[order]
    starts = np.searchsorted(s_sorted, np.arange(n_supplies))
    rank = np.empty(len(score), dtype=np.int64)
    rank[order] = np.arange(len(score)) - starts[s_sorted]
    lift = np.float32(bonus) * np.clip(1.0 - rank / RANKS, 0.0, 1.0).astype(np.float32)
    # A key stays in [0, 1]: the allocation ranks scores at 1/65535 resolution over [0, 1].
    return np.minimum(score + lift, np.float32(1.0))


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def exposure_figures(
    supply_idx: np.ndarray,
    demand_idx: np.ndarray,
    score: np.ndarray,
    open_supplies: np.ndarray,
    top: int = 5,
) -> dict[str, float]:
    """The fairness and relevance figures of a set of proposals.

    ``open_supplies`` are the rows of the supplies that could be proposed (open, quantity
    left). Returns the share of them with at least one proposal, the Gini coefficient of
    proposals per supply (zeros included), and the mean score of each demand's ``top`` best
    proposals (averaged over demands with any).
    """
    open_supplies = np.asarray(open_supplies, dtype=np.int64)
    supply_idx = np.asarray(supply_idx, dtype=np.int64)
    demand_idx = np.asarray(demand_idx, dtype=np.int64)
    score = np.asarray(score, dtype=np.float64)
    n_rows = int(max(open_supplies.max(initial=-1), supply_idx.max(initial=-1))) + 1
    per_supply = np.bincount(supply_idx, minlength=n_rows)[open_supplies]
    share = float((per_supply > 0).mean()) if len(open_supplies) else 0.0
    top_mean = 0.0
    if len(score):
        order = np.lexsort((-score, demand_idx))
        d_sorted = demand_idx[order]
        first = np.searchsorted(d_sorted, d_sorted, side="left")
        place = np.arange(len(order)) - first
        keep = place < top
        sums = np.bincount(d_sorted[keep], weights=score[order][keep])
        counts = np.bincount(d_sorted[keep])
        has = counts > 0
        top_mean = float((sums[has] / counts[has]).mean())
    return {
        "supplies_with_proposal": share,
        "gini_proposals_per_supply": gini(per_supply),
        f"mean_top{top}_score": top_mean,
        "proposals": float(len(score)),
    }
