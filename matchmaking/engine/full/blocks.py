"""The blocks of a full re-match: demands of one category against their subtree's supplies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchmaking.engine.full.sides import Side
from matchmaking.engine.records import Context

# Column counts are summed in uint16.
MAX_COLS = 65_535


@dataclass
class Block:
    d_pos: np.ndarray  # positions in D
    s_pos: np.ndarray  # positions in S

    @property
    def pairs(self) -> int:
        return len(self.d_pos) * len(self.s_pos)


def blocks(S: Side, D: Side, context: Context) -> list[Block]:
    """Demand category groups against their subtree slice, plus same-product extras."""
    tree = context.tree
    out: list[Block] = []
    if not len(S) or not len(D):
        return out
    bounds = np.flatnonzero(np.diff(D.cat)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(D)]])
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        c = int(D.cat[a])
        lo = int(np.searchsorted(S.tin, tree.tin[c], "left"))
        hi = int(np.searchsorted(S.tin, tree.tout[c], "left"))
        if hi > lo:
            for c0 in range(lo, hi, MAX_COLS):
                out.append(Block(np.arange(a, b), np.arange(c0, min(hi, c0 + MAX_COLS))))
    # Same product with the supply's category outside the demand's subtree: rare (a product
    # filed under a broader category by one side), so plain per-product grouping is enough.
    s_by_prod = _group_by(S.prod)
    d_by_prod = _group_by(D.prod)
    for p in np.intersect1d(list(s_by_prod), list(d_by_prod)).tolist():
        s_p = s_by_prod[p]
        d_p = d_by_prod[p]
        for c in np.unique(D.cat[d_p]).tolist():
            outside = (S.tin[s_p] < tree.tin[c]) | (S.tin[s_p] >= tree.tout[c])
            if outside.any():
                out.append(Block(d_p[D.cat[d_p] == c], s_p[outside]))
    return out


def _group_by(keys: np.ndarray) -> dict[int, np.ndarray]:
    """Ascending positions of each non-negative key."""
    has = np.flatnonzero(keys >= 0)
    order = has[np.argsort(keys[has], kind="stable")]
    values = keys[order]
    cuts = np.flatnonzero(np.diff(values)) + 1
    return {
        int(v[0]): np.sort(part)
        for v, part in zip(np.split(values, cuts), np.split(order, cuts), strict=True)
        if len(part)
    }
