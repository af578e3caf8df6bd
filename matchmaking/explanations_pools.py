"""Why a pool was proposed, worded when read (the reader's language), like single matches:
the pool's coverage, how many suppliers, how far apart and from the buyer, and the
share-weighted fit of its members on each factor."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from core.formatting import format_rounded
from matchmaking.engine.records import FACTORS


def _weights() -> dict[str, float]:
    raw = {f: float(settings.MATCHING["WEIGHTS"].get(f, 0.0)) for f in FACTORS}
    total = sum(raw.values()) or 1.0
    return {f: w / total for f, w in raw.items()}


def pool_explanation(pool) -> list[dict]:
    """``[{factor, value, weight, detail}]`` for a pool (factor values stored by the run)."""
    values = dict(zip(FACTORS, pool.factors or [], strict=False))
    figures = pool.figures or {}
    weights = _weights()
    members = int(figures.get("members", 0))
    details = {
        "quantity": _("Together %(members)d suppliers cover %(share)s %% of the demand.")
        % {"members": members, "share": format_rounded(float(pool.coverage) * 100)},
        "distance": _(
            "The members are %(buyer)s km from the buyer on average and %(spread)s km from "
            "each other."
        )
        % {
            "buyer": format_rounded(figures.get("buyer_km", 0)),
            "spread": format_rounded(figures.get("spread_km", 0)),
        },
    }
    out = []
    for factor in FACTORS:
        if factor not in values:
            continue
        out.append(
            {
                "factor": factor,
                "value": round(float(values[factor]), 4),
                "weight": round(weights[factor], 4),
                "detail": details.get(
                    factor,
                    _("The members' fit on this factor, weighted by their shares: %(pct)s %%.")
                    % {"pct": format_rounded(float(values[factor]) * 100)},
                ),
            }
        )
    return out
