"""Template helpers of the pool pages."""

from django import template

from matchmaking.explanations_pools import pool_explanation
from matchmaking.models import Match
from matchmaking.templatetags.matchmaking_tags import FACTOR_LABELS

register = template.Library()


@register.simple_tag
def pool_explanation_items(pool) -> list[dict]:
    """``{% pool_explanation_items pool as items %}``: each factor with its label and percent."""
    return [
        {
            **item,
            "label": FACTOR_LABELS.get(item["factor"], item["factor"]),
            "percent": round(max(0.0, min(1.0, item["value"])) * 100),
        }
        for item in pool_explanation(pool)
    ]


@register.simple_tag
def decline_reasons():
    return Match.DeclineReason.choices
