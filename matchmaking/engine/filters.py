"""Hard filters: a pair failing any of them is never proposed.

This is the pair-wise reference (used by ``match_one``, the tests and "why was this not
matched?" questions); ``full.py`` applies the same rules per block, and the tests check both
agree.
"""

from __future__ import annotations

import numpy as np

from matchmaking.engine.records import Context, ListingTable, pair_keys

# In the order they are checked; ``failed_filters`` reports them by these names.
FILTERS: tuple[str, ...] = (
    "open",  # both listings open
    "organization",  # different organisations
    "product",  # same product, or the supply's category in the demand's category subtree
    "dimension",  # mass with mass, volume with volume, count with count
    "window",  # availability windows overlap on a day from today on
    "certifications",  # the supply holds every certification the demand requires
    "ocop",  # the supply has at least the OCOP stars the demand asks for
    "quantity",  # both quantities positive (the supply's still free part)
    "supply_min_order",  # the demand is at least the supplier's smallest lot
    "demand_min_order",  # the supply's free quantity is at least the buyer's smallest lot
    "declined",  # the pair was declined before
)


def filter_matrix(
    supplies: ListingTable,
    demands: ListingTable,
    s_idx: np.ndarray,
    d_idx: np.ndarray,
    context: Context,
    capacity: np.ndarray | None = None,
) -> np.ndarray:
    """An (n, len(FILTERS)) boolean matrix: True where the pair passes that filter."""
    s_idx = np.asarray(s_idx, dtype=np.intp)
    d_idx = np.asarray(d_idx, dtype=np.intp)
    today = context.config.today
    cap = (supplies.qty if capacity is None else np.asarray(capacity, dtype=np.float64))[s_idx]
    d_qty = demands.qty[d_idx]
    s_prod = supplies.product[s_idx]
    d_prod = demands.product[d_idx]
    d_certs = demands.certs[d_idx]
    start = np.maximum(np.maximum(supplies.start[s_idx], demands.start[d_idx]), today)
    end = np.minimum(supplies.end[s_idx], demands.end[d_idx])
    out = np.empty((len(s_idx), len(FILTERS)), dtype=bool)
    out[:, 0] = supplies.open[s_idx] & demands.open[d_idx]
    out[:, 1] = supplies.org[s_idx] != demands.org[d_idx]
    out[:, 2] = ((d_prod >= 0) & (s_prod == d_prod)) | context.tree.is_within(
        supplies.category[s_idx], demands.category[d_idx]
    )
    out[:, 3] = supplies.dimension[s_idx] == demands.dimension[d_idx]
    out[:, 4] = start <= end
    out[:, 5] = (supplies.certs[s_idx] & d_certs) == d_certs
    out[:, 6] = supplies.ocop[s_idx] >= demands.ocop[d_idx]
    out[:, 7] = (cap > 0) & (d_qty > 0)
    out[:, 8] = d_qty >= supplies.min_order[s_idx]
    out[:, 9] = cap >= demands.min_order[d_idx]
    declined = context.declined
    if declined.size and len(s_idx):
        keys = pair_keys(supplies.id[s_idx], demands.id[d_idx])
        pos = np.minimum(np.searchsorted(declined, keys), declined.size - 1)
        out[:, 10] = declined[pos] != keys
    else:
        out[:, 10] = True
    return out


def hard_filter_mask(
    supplies: ListingTable,
    demands: ListingTable,
    s_idx: np.ndarray,
    d_idx: np.ndarray,
    context: Context,
    capacity: np.ndarray | None = None,
) -> np.ndarray:
    """True where the pair passes every hard filter."""
    return filter_matrix(supplies, demands, s_idx, d_idx, context, capacity).all(axis=1)


def failed_filters(
    supplies: ListingTable,
    demands: ListingTable,
    s: int,
    d: int,
    context: Context,
    capacity: np.ndarray | None = None,
) -> list[str]:
    """Names of the filters the pair (supply row ``s``, demand row ``d``) fails."""
    row = filter_matrix(supplies, demands, np.array([s]), np.array([d]), context, capacity)[0]
    return [name for name, ok in zip(FILTERS, row, strict=True) if not ok]
