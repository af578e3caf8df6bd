"""The reasons of stored proposals, worded from what was stored when they were scored.

A full re-match stores hundreds of thousands of proposals; writing the reasons for each would
cost more than the matching itself. So a proposal keeps its factor values (``Match.factors``),
the few numbers its reasons need besides them (``Match.facts``, see
``matchmaking.services.facts``) and the run's weights; the findings (codes and numbers) for
the page or API response at hand are put together from those and the two listings the page
loaded anyway, and ``matchmaking.explanations`` words them. A read builds no engine table,
does not touch the market a worker keeps, and writes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
from django.conf import settings

from matchmaking.engine.learning import learned_args, pair_weights
from matchmaking.engine.records import FACTORS
from matchmaking.models import Match
from matchmaking.services import learning
from matchmaking.services.facts import findings, has_facts, programme_names


def explain_matches(matches: Iterable[Match]) -> dict[int, list[dict]]:
    """{match id: items} for a page of matches: the findings
    (``{factor, value, weight, case, args}``) of scored proposals, the stored written items
    for officers' introductions (first, before the findings when the officer's pair was
    scored). A proposal stored without facts gets its values and weights with an empty case
    (no sentence)."""
    matches = list(matches)
    result: dict[int, list[dict]] = {}
    programmes = programme_names(matches)
    learned = learning.learned_weights(
        {m.supply.organization_id for m in matches} | {m.demand.organization_id for m in matches}
    )
    for m in matches:
        scored = bool(m.factors) and len(m.factors) == len(FACTORS)
        if not scored:
            result[m.pk] = list(m.explanation or [])
            continue
        values, weights = stored_values(m), run_weights(m)
        s_org, d_org = m.supply.organization_id, m.demand.organization_id
        # What the organizations' declines taught reweighs their pairs (services.learning).
        taught = pair_weights(
            np.array([weights[f] for f in FACTORS]),
            np.array([s_org]),
            np.array([d_org]),
            learned,
        )
        if taught is not None:
            weights = {f: float(w) for f, w in zip(FACTORS, taught[0], strict=True)}
        # An officer's introduction keeps its written items (the note, an override) first.
        written = list(m.explanation or []) if m.origin == Match.Origin.OFFICER else []
        if has_facts(m):
            found = findings(m, values, weights, programmes)
            for item in found:
                lesson = learned_args(item["factor"], s_org, d_org, learned)
                if lesson:
                    item["args"] = {**item["args"], "learned": lesson}
        else:
            found = values_only(values, weights)
        result[m.pk] = written + found
    return result


def values_only(values: dict[str, float], weights: dict[str, float]) -> list[dict]:
    """Items without a finding (``case`` empty): the value and weight of each factor."""
    return [
        {
            "factor": f,
            "value": round(values[f], 4),
            "weight": round(weights.get(f, 0.0), 4),
            "case": "",
            "args": {},
        }
        for f in FACTORS
        if f in values
    ]


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
    return dict(_normalised(tuple(sorted((str(k), float(v)) for k, v in raw.items()))))


@functools.lru_cache(maxsize=256)
def _normalised(raw: tuple) -> tuple:
    """The weights of a page's few runs, normalised once per process and run."""
    raw = dict(raw)
    vector = np.array([max(0.0, float(raw.get(f, 0.0))) for f in FACTORS])
    vector = vector / vector.sum() if vector.sum() > 0 else vector
    return tuple((f, float(w)) for f, w in zip(FACTORS, vector, strict=True))
