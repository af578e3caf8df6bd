"""The seven score factors, each in [0, 1], and the pair-wise reference implementation.

Every function broadcasts, so the same code scores one pair, a row of pairs or a block. The
bulk engine (``full.py``) computes the same formulas in place, weights folded in, for speed;
``pair_factors`` here is the definition it is tested against and the one ``match_one`` and the
explanations use.

Choices worth knowing:

* **product** = ``(1 - text_share) * structural + text_share * name similarity``; structural
  is 1.0 for the same product, 0.85 for the same category, 0.7 for a supply in a sub-category
  of the demand's category (the hard filter admits nothing else).
* **quantity** = share of the demand the supply can cover with what it still has free,
  ``min(capacity / demand_qty, 1)``: monotone in coverage, nothing else.
* **price** compares the supplier's lowest asking price with the buyer's highest offer: 1 when
  they meet (a supplier cheaper than the buyer's range is a deal, not a misfit), falling
  linearly to 0 when the ask is 50 % above the offer; 1 when either side gives no price.
* **distance** = ``1 / (1 + km / 375)`` between province centres: 1 inside one province, about
  0.5 at 375 km, 0.2 at 1,500 km, never 0 (distance is soft: the buyer may still want it).
* **programme** = 1 when a cooperation programme covers both provinces.
* **time** = the share of the demand's remaining window (from today) the supply covers.
* **trust** = the mean of both organisations' trust (see :func:`trust_score`).
"""

from __future__ import annotations

import numpy as np

from matchmaking.engine.records import FACTORS, Context, ListingTable
from matchmaking.engine.text import signature_similarity

DISTANCE_HALF_KM = 375.0
PRICE_ZERO_GAP = 0.5
STRUCTURAL_SAME_PRODUCT = 1.0
STRUCTURAL_SAME_CATEGORY = 0.85
STRUCTURAL_SUBCATEGORY = 0.7

_OCOP_PART = {0: 0.0, 1: 0.3, 2: 0.45, 3: 0.6, 4: 0.8, 5: 1.0}


def trust_score(verified: bool, ocop_stars: int, accepted: int, declined: int) -> float:
    """An organisation's trust in [0, 1], computed by the caller and stored on listings.

    ``0.2 + 0.35 * verified + 0.15 * ocop + 0.3 * history`` where ``ocop`` is 0.6/0.8/1.0 for
    the organisation's best OCOP rating of 3/4/5 stars (0 without), and ``history`` is the
    share of its proposed matches it accepted, smoothed towards 1/2 by one accepted and one
    declined pseudo-match so a newcomer starts neutral and one refusal does not ruin it:
    ``(accepted + 1) / (accepted + declined + 2)``.

    A new unverified organisation scores 0.35; verified, 0.70; verified with 5 stars and ten
    accepted matches, 0.975.
    """
    ocop = _OCOP_PART.get(max(0, min(int(ocop_stars), 5)), 0.0)
    accepted = max(0, int(accepted))
    declined = max(0, int(declined))
    history = (accepted + 1) / (accepted + declined + 2)
    return float(min(1.0, 0.2 + 0.35 * bool(verified) + 0.15 * ocop + 0.3 * history))


def structural_product(same_product: np.ndarray, same_category: np.ndarray) -> np.ndarray:
    """1.0 same product, 0.85 same category, else 0.7 (a sub-category of the demand's)."""
    return np.where(
        same_product,
        STRUCTURAL_SAME_PRODUCT,
        np.where(same_category, STRUCTURAL_SAME_CATEGORY, STRUCTURAL_SUBCATEGORY),
    )


def product_factor(
    same_product: np.ndarray,
    same_category: np.ndarray,
    text_sim: np.ndarray,
    text_share: float = 0.2,
) -> np.ndarray:
    structural = structural_product(same_product, same_category)
    return (1.0 - text_share) * structural + text_share * np.asarray(text_sim)


def quantity_factor(supply_qty: np.ndarray, demand_qty: np.ndarray) -> np.ndarray:
    """Share of the demand covered, ``min(supply / demand, 1)``; quantities in base units."""
    s = np.asarray(supply_qty, dtype=np.float64)
    d = np.asarray(demand_qty, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(d > 0, s / np.where(d > 0, d, 1.0), 1.0)
    return np.clip(cover, 0.0, 1.0)


def supply_low_price(price_min: np.ndarray, price_max: np.ndarray) -> np.ndarray:
    """The supplier's lowest ask, NaN when no price is given."""
    return np.where(np.isnan(price_min), price_max, price_min)


def demand_high_price(price_min: np.ndarray, price_max: np.ndarray) -> np.ndarray:
    """The buyer's highest offer, NaN when no price is given."""
    return np.where(np.isnan(price_max), price_min, price_max)


def price_factor(supply_low: np.ndarray, demand_high: np.ndarray) -> np.ndarray:
    """1 when the ask meets the offer, linear to 0 at a 50 % gap; 1 when a price is missing."""
    s = np.asarray(supply_low, dtype=np.float64)
    d = np.asarray(demand_high, dtype=np.float64)
    known = ~np.isnan(s) & ~np.isnan(d) & (d > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(known, s / np.where(known, d, 1.0) - 1.0, 0.0)
    return np.clip(1.0 - gap / PRICE_ZERO_GAP, 0.0, 1.0)


def distance_factor(km: np.ndarray) -> np.ndarray:
    """``1 / (1 + km / 375)``: 1 at 0 km, 0.5 at 375 km, 0.2 at 1,500 km, never 0."""
    return 1.0 / (1.0 + np.asarray(km, dtype=np.float64) / DISTANCE_HALF_KM)


def time_factor(
    supply_start: np.ndarray,
    supply_end: np.ndarray,
    demand_start: np.ndarray,
    demand_end: np.ndarray,
    today: int,
) -> np.ndarray:
    """Days both are available (from today on) over the days the demand has left, in [0, 1]."""
    d_start = np.maximum(np.asarray(demand_start, dtype=np.int64), today)
    d_end = np.asarray(demand_end, dtype=np.int64)
    start = np.maximum(np.asarray(supply_start, dtype=np.int64), d_start)
    overlap = np.minimum(np.asarray(supply_end, dtype=np.int64), d_end) - start + 1
    length = d_end - d_start + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(length > 0, overlap / np.where(length > 0, length, 1), 0.0)
    return np.clip(share, 0.0, 1.0)


def trust_factor(supply_trust: np.ndarray, demand_trust: np.ndarray) -> np.ndarray:
    return (np.asarray(supply_trust, dtype=np.float64) + demand_trust) / 2.0


def pair_factors(
    supplies: ListingTable,
    demands: ListingTable,
    s_idx: np.ndarray,
    d_idx: np.ndarray,
    context: Context,
    capacity: np.ndarray | None = None,
) -> np.ndarray:
    """The (n, 7) float32 factor matrix of pairs ``(supplies[s_idx[k]], demands[d_idx[k]])``.

    ``capacity`` (aligned with ``supplies``) is what each supply still has free; it defaults
    to its quantity.
    """
    cfg = context.config
    s_idx = np.asarray(s_idx, dtype=np.intp)
    d_idx = np.asarray(d_idx, dtype=np.intp)
    s_cat = supplies.category[s_idx]
    d_cat = demands.category[d_idx]
    s_prod = supplies.product[s_idx]
    d_prod = demands.product[d_idx]
    same_product = (d_prod >= 0) & (s_prod == d_prod)
    s_sig = supplies.name_sig[s_idx]
    d_sig = demands.name_sig[d_idx]
    sim = signature_similarity(s_sig[:, 0], s_sig[:, 1], d_sig[:, 0], d_sig[:, 1])
    cap = supplies.qty if capacity is None else capacity
    s_prov = supplies.province[s_idx].astype(np.intp)
    d_prov = demands.province[d_idx].astype(np.intp)
    out = np.empty((len(s_idx), len(FACTORS)), dtype=np.float32)
    out[:, 0] = product_factor(same_product, s_cat == d_cat, sim, cfg.text_share)
    out[:, 1] = quantity_factor(cap[s_idx], demands.qty[d_idx])
    out[:, 2] = price_factor(
        supply_low_price(supplies.price_min[s_idx], supplies.price_max[s_idx]),
        demand_high_price(demands.price_min[d_idx], demands.price_max[d_idx]),
    )
    out[:, 3] = distance_factor(context.distance_km[s_prov, d_prov])
    out[:, 4] = context.programme[s_prov, d_prov] >= 0
    out[:, 5] = time_factor(
        supplies.start[s_idx],
        supplies.end[s_idx],
        demands.start[d_idx],
        demands.end[d_idx],
        cfg.today,
    )
    out[:, 6] = trust_factor(supplies.trust[s_idx], demands.trust[d_idx])
    return out
