"""The reasons of stored proposals, computed when read from the two listings as they are now.

A full re-match stores hundreds of thousands of proposals; writing the reasons for each would
cost more than the matching itself. So a proposal keeps its factor values (``Match.factors``)
and the run's weights, and the engine states its findings (codes and numbers) for the page or
API response at hand; ``matchmaking.explanations`` words them. A read: nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.conf import settings

from listings.models import Listing
from matchmaking import engine
from matchmaking.engine.records import FACTORS, Proposal
from matchmaking.models import Match
from matchmaking.services.market import build_table
from matchmaking.services.reference import load_reference


def explain_matches(matches: Iterable[Match]) -> dict[int, list[dict]]:
    """{match id: items} for a page of matches: the engine's findings
    (``{factor, value, weight, case, args}``) for engine proposals, the stored written items
    for officers' introductions."""
    matches = list(matches)
    result: dict[int, list[dict]] = {}
    engine_made = [m for m in matches if m.factors and len(m.factors) == len(FACTORS)]
    for m in matches:
        if m not in engine_made:
            result[m.pk] = list(m.explanation or [])
    if not engine_made:
        return result
    ref = load_reference()
    supply_ids = sorted({m.supply_id for m in engine_made})
    demand_ids = sorted({m.demand_id for m in engine_made})
    # Signatures missing are computed for this answer only, never stored by a read.
    supplies = build_table(
        Listing.objects.filter(pk__in=supply_ids),
        ref,
        side=Listing.Side.SUPPLY,
        keep_signatures=False,
    )
    demands = build_table(
        Listing.objects.filter(pk__in=demand_ids),
        ref,
        side=Listing.Side.DEMAND,
        keep_signatures=False,
    )
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    for m in engine_made:
        proposal = Proposal(
            supply_idx=s_pos[m.supply_id],
            demand_idx=d_pos[m.demand_id],
            score=float(m.score),
            factors=stored_values(m),
            weights=run_weights(m),
            suggested_qty=float(m.suggested_quantity),
        )
        result[m.pk] = engine.explain(proposal, supplies, demands, ref.context)
    return result


def stored_values(match: Match) -> dict[str, float]:
    """The factor values stored with an engine proposal, by factor."""
    factors = match.factors or []
    if isinstance(factors, dict):
        return {f: float(factors[f]) for f in FACTORS if f in factors}
    return {f: float(v) for f, v in zip(FACTORS, factors, strict=False)}


def run_weights(match: Match) -> dict[str, float]:
    """The weights of the run that scored the proposal (normalised), else today's."""
    raw = (match.last_run.weights if match.last_run_id and match.last_run else None) or {}
    if not raw:
        raw = settings.MATCHING["WEIGHTS"]
    vector = np.array([max(0.0, float(raw.get(f, 0.0))) for f in FACTORS])
    vector = vector / vector.sum() if vector.sum() > 0 else vector
    return {f: float(w) for f, w in zip(FACTORS, vector, strict=True)}
