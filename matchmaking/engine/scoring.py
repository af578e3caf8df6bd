"""A pair's score from its factor values: the weights (learned per organization) and the
relevance multipliers, in one place for ``match_one``, the full re-match and the tests.

``score = (factors · weights) × relevance``, where ``weights`` are the configured ones unless
an organization of the pair learned from its declines (``engine.learning``) and
``relevance`` is the intent and producer multiplier (``engine.relevance``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchmaking.engine.learning import pair_weights
from matchmaking.engine.records import Context, ListingTable
from matchmaking.engine.relevance import misfit, relevance_multiplier


@dataclass
class Scored:
    score: np.ndarray  # float32
    pair_weights: np.ndarray | None  # (n, 7) or None: the configured weights for all
    relevance: np.ndarray  # float64 multiplier per pair
    misfit: np.ndarray  # bool: the supply names none of what the demand's words ask for


def score_pairs(
    supplies: ListingTable,
    demands: ListingTable,
    s_idx: np.ndarray,
    d_idx: np.ndarray,
    context: Context,
    factors: np.ndarray,
) -> Scored:
    cfg = context.config
    s_idx = np.asarray(s_idx, dtype=np.intp)
    d_idx = np.asarray(d_idx, dtype=np.intp)
    base = cfg.weight_vector
    weights = pair_weights(base, supplies.org[s_idx], demands.org[d_idx], context.learned)
    f64 = factors.astype(np.float64)
    raw = f64 @ base if weights is None else np.einsum("ij,ij->i", f64, weights)
    rel = relevance_multiplier(
        supplies.offer[s_idx],
        demands.intent[d_idx],
        supplies.flags[s_idx],
        demands.flags[d_idx],
        cfg,
    )
    off = misfit(demands.intent[d_idx], supplies.offer[s_idx], cfg)
    return Scored(
        score=(raw * rel).astype(np.float32), pair_weights=weights, relevance=rel, misfit=off
    )
