"""Both sides of a full re-match as sorted columns, with the per-row terms folded in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchmaking.engine.factors import (
    STRUCTURAL_SUBCATEGORY,
    demand_high_price,
    supply_low_price,
)
from matchmaking.engine.records import Context, ListingTable


@dataclass
class Side:
    """One side's listings that can trade, sorted by category (DFS order), as columns."""

    rows: np.ndarray  # index into the caller's table
    tin: np.ndarray
    cat: np.ndarray
    prod: np.ndarray
    org: np.ndarray
    prov: np.ndarray
    dim: np.ndarray
    qty: np.ndarray  # float64; for supplies the free capacity
    min_order: np.ndarray
    start: np.ndarray  # float32 days from today, clipped at today
    end1: np.ndarray  # float32 days from today to the end, plus one
    certs: np.ndarray
    ocop: np.ndarray
    trust: np.ndarray
    sig_lo: np.ndarray
    sig_hi: np.ndarray
    sig_pop: np.ndarray  # uint16
    # Relevance (``engine.relevance``): the concept masks' two words and the flags.
    mask_lo: np.ndarray | None = None  # supply: its offer; demand: its intent
    mask_hi: np.ndarray | None = None
    flags: np.ndarray | None = None
    # Supply only: what the kernel multiplies by the demand-side terms.
    qty32: np.ndarray | None = None
    low2w: np.ndarray | None = None
    # Demand only: per-row terms with the weights folded in.
    inv_high: np.ndarray | None = None
    wq_over_qty: np.ndarray | None = None
    wt_over_len: np.ndarray | None = None
    rowbase: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rows)


def tradeable(table: ListingTable, today: int, capacity: np.ndarray | None = None) -> np.ndarray:
    """Rows that can take part at all: open, positive quantity, window not over."""
    qty = table.qty if capacity is None else capacity
    return np.flatnonzero(table.open & (qty > 0) & (table.end >= today) & (table.qty > 0))


def _codes(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense int32 codes of two id arrays over their joint values (equal ids, equal codes)."""
    joint = np.concatenate([a, b])
    _, inv = np.unique(joint, return_inverse=True)
    inv = inv.astype(np.int32)
    return inv[: len(a)], inv[len(a) :]


def _compact_certs(s_certs: np.ndarray, d_certs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep only the certification bits some demand requires, in the smallest integer type."""
    required = int(np.bitwise_or.reduce(d_certs)) if len(d_certs) else 0
    bits = [b for b in range(64) if required >> b & 1]
    dtype = np.uint8 if len(bits) <= 8 else np.uint16 if len(bits) <= 16 else np.uint64
    s_out = np.zeros(len(s_certs), dtype=dtype)
    d_out = np.zeros(len(d_certs), dtype=dtype)
    for new, old in enumerate(bits):
        mask = np.uint64(1 << old)
        s_out |= ((s_certs & mask) != 0).astype(dtype) << dtype(new)
        d_out |= ((d_certs & mask) != 0).astype(dtype) << dtype(new)
    return s_out, d_out


def prepare(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    capacity: np.ndarray,
) -> tuple[Side, Side]:
    cfg = context.config
    today = cfg.today
    w = cfg.weight_vector
    tree = context.tree
    s_rows = tradeable(supplies, today, capacity)
    d_rows = tradeable(demands, today)
    s_rows = s_rows[np.argsort(tree.tin[supplies.category[s_rows]], kind="stable")]
    d_rows = d_rows[np.argsort(tree.tin[demands.category[d_rows]], kind="stable")]
    s_org, d_org = _codes(supplies.org[s_rows], demands.org[d_rows])
    s_prod_raw = supplies.product[s_rows]
    d_prod_raw = demands.product[d_rows]
    s_prod, d_prod = _codes(s_prod_raw, d_prod_raw)
    s_prod[s_prod_raw < 0] = -1
    d_prod[d_prod_raw < 0] = -2  # never equal to a supply's "no product"
    s_certs, d_certs = _compact_certs(supplies.certs[s_rows], demands.certs[d_rows])

    def common(table: ListingTable, rows: np.ndarray, org, prod, certs, qty) -> dict:
        sig = table.name_sig[rows]
        start = np.maximum(table.start[rows], today) - today
        return dict(
            rows=rows,
            tin=tree.tin[table.category[rows]],
            cat=table.category[rows],
            prod=prod,
            org=org,
            prov=table.province[rows].astype(np.intp),
            dim=table.dimension[rows],
            qty=qty,
            min_order=table.min_order[rows],
            start=start.astype(np.float32),
            end1=(table.end[rows].astype(np.int64) - today + 1).astype(np.float32),
            certs=certs,
            ocop=table.ocop[rows],
            trust=table.trust[rows],
            sig_lo=np.ascontiguousarray(sig[:, 0]),
            sig_hi=np.ascontiguousarray(sig[:, 1]),
            sig_pop=(np.bitwise_count(sig[:, 0]) + np.bitwise_count(sig[:, 1])).astype(np.uint16),
        )

    s_cap = capacity[s_rows]
    S = Side(**common(supplies, s_rows, s_org, s_prod, s_certs, s_cap))
    S.mask_lo = np.ascontiguousarray(supplies.offer[s_rows, 0])
    S.mask_hi = np.ascontiguousarray(supplies.offer[s_rows, 1])
    S.flags = supplies.flags[s_rows]
    low = supply_low_price(supplies.price_min[s_rows], supplies.price_max[s_rows])
    S.low2w = np.where(np.isnan(low), 0.0, 2.0 * w[2] * low).astype(np.float32)
    S.qty32 = s_cap.astype(np.float32)

    D = Side(**common(demands, d_rows, d_org, d_prod, d_certs, demands.qty[d_rows]))
    D.mask_lo = np.ascontiguousarray(demands.intent[d_rows, 0])
    D.mask_hi = np.ascontiguousarray(demands.intent[d_rows, 1])
    D.flags = demands.flags[d_rows]
    # |a | b| = |a| + |b| - |a & b| is 0 only when both names are empty, and then |a & b| = 0
    # too: counting an empty demand name as 1 bit keeps every similarity and spares the
    # kernel a "max(union, 1)" per pair.
    np.maximum(D.sig_pop, 1, out=D.sig_pop)
    high = demand_high_price(demands.price_min[d_rows], demands.price_max[d_rows])
    with np.errstate(divide="ignore"):
        D.inv_high = np.where(np.isnan(high) | (high <= 0), 0.0, 1.0 / high).astype(np.float32)
        D.wq_over_qty = (w[1] / D.qty).astype(np.float32)
    length = D.end1 - D.start
    D.wt_over_len = (w[5] / np.maximum(length, 1.0)).astype(np.float32)
    product_struct = w[0] * (1.0 - cfg.text_share)
    D.rowbase = (w[6] * 0.5 * D.trust + product_struct * STRUCTURAL_SUBCATEGORY).astype(np.float32)
    return S, D
