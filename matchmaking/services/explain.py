"""The reasons of stored proposals, worded when read, in the reader's language.

A full re-match stores hundreds of thousands of proposals; writing seven bilingual sentences
for each would cost more than the matching itself. So a proposal keeps its factor values
(``Match.factors``) and the run's weights, and the engine words them for the page or API
response at hand, from the two listings as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from listings.models import Listing
from matchmaking import engine
from matchmaking.engine.records import FACTORS, Proposal
from matchmaking.models import Match
from matchmaking.services import matching


def explain_matches(matches: Iterable[Match], lang: str = "vi") -> dict[int, list[dict]]:
    """{match id: [{factor, value, weight, detail, detail_en}]} for a page of matches."""
    matches = list(matches)
    result: dict[int, list[dict]] = {}
    engine_made = [m for m in matches if m.factors and len(m.factors) == len(FACTORS)]
    for m in matches:
        if m not in engine_made:
            result[m.pk] = list(m.explanation or [])
    if not engine_made:
        return result
    ref = matching.load_reference()
    supply_ids = sorted({m.supply_id for m in engine_made})
    demand_ids = sorted({m.demand_id for m in engine_made})
    supplies = matching.build_table(
        Listing.objects.filter(pk__in=supply_ids), ref, side=Listing.Side.SUPPLY
    )
    demands = matching.build_table(
        Listing.objects.filter(pk__in=demand_ids), ref, side=Listing.Side.DEMAND
    )
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    for m in engine_made:
        weights = _weights(m)
        proposal = Proposal(
            supply_idx=s_pos[m.supply_id],
            demand_idx=d_pos[m.demand_id],
            score=float(m.score),
            factors={f: float(v) for f, v in zip(FACTORS, m.factors, strict=True)},
            weights=weights,
            suggested_qty=float(m.suggested_quantity),
        )
        items = engine.explain(proposal, supplies, demands, ref.context, lang=lang)
        # An officer's introduction keeps its written words before the factors.
        written = list(m.explanation or []) if m.origin == Match.Origin.OFFICER else []
        result[m.pk] = written + [
            {
                "factor": item["factor"],
                "value": item["value"],
                "weight": item["weight"],
                "detail": item.get("detail_vi", item["detail"]),
                "detail_en": item.get("detail_en", item["detail"]),
            }
            for item in items
        ]
    return result


def _weights(match: Match) -> dict[str, float]:
    """The weights of the run that scored the proposal (normalised), else today's."""
    raw = (match.last_run.weights if match.last_run_id and match.last_run else None) or {}
    if not raw:
        from django.conf import settings

        raw = settings.MATCHING["WEIGHTS"]
    vector = np.array([float(raw.get(f, 0.0)) for f in FACTORS])
    vector = vector / vector.sum() if vector.sum() > 0 else vector
    return {f: float(w) for f, w in zip(FACTORS, vector, strict=True)}
