"""Near misses: counter-listings that one or two changes would turn into a match.

"Why does my listing get no proposals?" is answered with the counter-listings that fail only
one or two of the hard rules a listing's owner (or the other side) can change: the product
category, the unit's dimension, the window, the certifications, the OCOP stars, the minimum
order. Pairs that fail a rule nobody can change here (the same organization, a closed
counter-listing, a declined pair, nothing left to sell) are never near misses; nor are pairs of
other categories (a durian buyer is no near miss of a coffee grower): a category miss is a
supply listed under a more general category than the demand asks for ("coffee" for "robusta"),
which a more precise category on the supply would turn into a match.

Pure numpy, like the rest of the engine: the hard filters are :func:`filter_matrix`'s, so a
near miss and a proposal never disagree about a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from matchmaking.engine.factors import pair_factors
from matchmaking.engine.filters import FILTERS, filter_matrix
from matchmaking.engine.records import Context, ListingTable

# The hard filters a near miss may fail, by the rule name of the API contract.
RULES: dict[str, str] = {
    "product": "category",
    "dimension": "unit_dimension",
    "window": "window",
    "certifications": "certification",
    "ocop": "ocop_stars",
    "supply_min_order": "min_order",
    "demand_min_order": "min_order",
}
# Filters that must pass: no change to either listing's terms would make the pair a match.
REQUIRED = ("organization", "quantity", "declined")
MAX_RULES = 2


@dataclass(frozen=True)
class NearMiss:
    row: int  # the counter-listing's row in its table
    listing_id: int
    rules: tuple[str, ...]  # contract rule names, in FILTERS order, without repeats
    score: float  # what the pair would score if the rules were met (for ranking)


def near_misses(
    own: ListingTable,
    side: Literal["supply", "demand"],
    counter: ListingTable,
    context: Context,
    *,
    max_rules: int = MAX_RULES,
) -> list[NearMiss]:
    """Every counter-listing failing 1 to ``max_rules`` rules, fewest failures first, then the
    best would-be score. ``own`` is one listing (its open flag is ignored: a draft asks too)."""
    n = len(counter)
    if len(own) != 1 or n == 0:
        return []
    own = own.take(np.array([0]))
    own.open = np.ones(1, dtype=bool)
    rows = np.arange(n, dtype=np.intp)
    zeros = np.zeros(n, dtype=np.intp)
    supplies, demands = (own, counter) if side == "supply" else (counter, own)
    s_idx, d_idx = (zeros, rows) if side == "supply" else (rows, zeros)
    passed = filter_matrix(supplies, demands, s_idx, d_idx, context)
    column = {name: i for i, name in enumerate(FILTERS)}
    eligible = passed[:, column["open"]].copy()
    for name in REQUIRED:
        eligible &= passed[:, column[name]]
    related = context.tree.is_within(demands.category[d_idx], supplies.category[s_idx])
    eligible &= passed[:, column["product"]] | related
    rule_columns = [column[name] for name in RULES]
    rule_names = list(RULES.values())
    failing = ~passed[:, rule_columns]
    # Both minimum orders failing is one rule: count distinct rule names.
    distinct = sorted(set(rule_names))
    by_rule = np.zeros((n, len(distinct)), dtype=bool)
    for j, name in enumerate(rule_names):
        by_rule[:, distinct.index(name)] |= failing[:, j]
    counts = by_rule.sum(axis=1)
    chosen = np.flatnonzero(eligible & (counts >= 1) & (counts <= max_rules))
    if chosen.size == 0:
        return []
    factors = pair_factors(supplies, demands, s_idx[chosen], d_idx[chosen], context)
    scores = factors.astype(np.float64) @ context.config.weight_vector
    order = np.lexsort((-scores, counts[chosen]))
    out = []
    for k in order:
        row = int(chosen[k])
        names: list[str] = []
        for j, name in enumerate(rule_names):
            if failing[row, j] and name not in names:
                names.append(name)
        out.append(
            NearMiss(
                row=row,
                listing_id=int(counter.id[row]),
                rules=tuple(names),
                score=float(scores[k]),
            )
        )
    return out
