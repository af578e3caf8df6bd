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
from matchmaking.engine.learning import pair_weights
from matchmaking.engine.records import FACTORS, Proposal
from matchmaking.models import Match
from matchmaking.services import learning
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
    # What the organizations' declines taught reweighs their pairs (services.learning).
    ref.context.learned = learning.learned_weights(
        {int(o) for o in supplies.org} | {int(o) for o in demands.org}
    )
    for m in engine_made:
        s_i, d_i = s_pos[m.supply_id], d_pos[m.demand_id]
        weights = run_weights(m)
        taught = pair_weights(
            np.array([weights[f] for f in FACTORS]),
            supplies.org[[s_i]],
            demands.org[[d_i]],
            ref.context.learned,
        )
        if taught is not None:
            weights = {f: float(w) for f, w in zip(FACTORS, taught[0], strict=True)}
        proposal = Proposal(
            supply_idx=s_i,
            demand_idx=d_i,
            score=float(m.score),
            factors=stored_values(m),
            weights=weights,
            suggested_qty=float(m.suggested_quantity),
        )
        # An officer's introduction keeps its written items (the note, an override) first.
        written = list(m.explanation or []) if m.origin == Match.Origin.OFFICER else []
        result[m.pk] = written + engine.explain(proposal, supplies, demands, ref.context)
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
