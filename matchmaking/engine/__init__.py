"""The matching engine: pure Python and numpy, no Django.

The service layer builds two :class:`ListingTable` (supplies, demands) and a :class:`Context`
from the database, calls :func:`match_full` (nightly re-match) or :func:`match_one` (a listing
was saved) and stores the :class:`Result` rows; :func:`explain` states why a pair was proposed
(codes and numbers per factor, worded by ``matchmaking.explanations`` when read)::

    result = match_full(supplies, demands, context, already_promised=held)
    for i in range(len(result)):
        supply_id, demand_id = result.supply_id[i], result.demand_id[i]
        reasons = explain(result.row(i), supplies, demands, context)  # codes + numbers

Modules: ``records`` (the data types, the default weights), ``geo`` (distances), ``text`` (names and synonyms), ``tree`` (category
subtrees), ``filters`` and ``factors`` (the rules, pair by pair), ``scoring`` (a pair's score:
the weights ``learning`` adjusts per organization, times the ``relevance`` multipliers),
``full`` (the block kernel of the full re-match), ``exposure`` (the fair-exposure re-ranking),
``allocation`` (choosing proposals within capacity), ``match`` (entry points) and
``explain``. The seeded synthetic market and the benchmarks live outside the
runtime, in ``matchmaking.benchmarks`` (``python -m matchmaking.benchmarks.engine``).
"""

from matchmaking.engine.allocation import allocate
from matchmaking.engine.explain import explain
from matchmaking.engine.factors import pair_factors, trust_score
from matchmaking.engine.filters import FILTERS, failed_filters, hard_filter_mask
from matchmaking.engine.match import match_full, match_one
from matchmaking.engine.records import (
    COUNT,
    DEFAULT_WEIGHTS,
    FACTORS,
    MASS,
    VOLUME,
    Config,
    Context,
    ListingTable,
    Proposal,
    Result,
    day_number,
    declined_keys,
    pair_keys,
)
from matchmaking.engine.text import listing_text, signature, signatures, similarity

# Stored on every Match (max 20 characters); bump when scores or choices change meaning.
ENGINE_VERSION = "1.1.0"

__all__ = [
    "COUNT",
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "FACTORS",
    "FILTERS",
    "MASS",
    "VOLUME",
    "Config",
    "Context",
    "ListingTable",
    "Proposal",
    "Result",
    "allocate",
    "day_number",
    "declined_keys",
    "explain",
    "failed_filters",
    "hard_filter_mask",
    "listing_text",
    "match_full",
    "match_one",
    "pair_factors",
    "pair_keys",
    "signature",
    "signatures",
    "similarity",
    "trust_score",
]
