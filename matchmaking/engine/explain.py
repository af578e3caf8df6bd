"""Why a pair was proposed, factor by factor, as codes and numbers (no words).

The engine says *what* it found (the same category, 40 % of the quantity, 310 km apart, the
ask 10 % above the offer) and ``matchmaking.explanations`` says it, in Vietnamese or English,
with the project's number formatting. Names come in both languages from the context, so the
words can be chosen when the explanation is read.
"""

from __future__ import annotations

import numpy as np

from matchmaking.engine.factors import demand_high_price, supply_low_price
from matchmaking.engine.learning import learned_args
from matchmaking.engine.records import FACTORS, Context, ListingTable, Proposal
from matchmaking.engine.relevance import intent_fit, mask_tokens, reseller_for_producer_buyer
from matchmaking.engine.text import signature_similarity


def _names(vi: str, en: str, key: str = "name") -> dict:
    return {key: vi, f"{key}_en": en or vi}


def _product(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    names, names_en = context.category_names, context.category_names_en
    s_cat, d_cat = int(supplies.category[s]), int(demands.category[d])
    s_prod, d_prod = int(supplies.product[s]), int(demands.product[d])
    similarity = float(
        signature_similarity(
            supplies.name_sig[s, 0],
            supplies.name_sig[s, 1],
            demands.name_sig[d, 0],
            demands.name_sig[d, 1],
        )
    )
    alike = {"similarity": round(similarity, 4)}
    asked = demands.intent[d]
    if int(asked[0]) or int(asked[1]):
        fit = bool(intent_fit(asked, supplies.offer[s]))
        alike["intent"] = {
            "asked": mask_tokens(int(asked[0]), int(asked[1])),
            "fit": fit,
            "penalty": 1.0 if fit else float(context.config.intent_penalty),
        }
    if d_prod >= 0 and s_prod == d_prod:
        vi, en = context.product_names.get(d_prod, (names[d_cat], names_en[d_cat]))
        return "same_product", {**_names(vi, en), **alike}
    if s_cat == d_cat:
        return "same_category", {**_names(names[d_cat], names_en[d_cat]), **alike}
    return "subcategory", {
        **_names(names[s_cat], names_en[s_cat]),
        **_names(names[d_cat], names_en[d_cat], "parent"),
        **alike,
    }


def _quantity(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    cover = p.factors["quantity"]
    args = {
        "cover": round(cover, 4),
        "need": float(demands.qty[d]),
        "suggested": float(p.suggested_qty),
        "dimension": int(demands.dimension[d]),
    }
    return ("full" if cover >= 0.9995 else "partial"), args


def _price(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    low = float(supply_low_price(supplies.price_min[s], supplies.price_max[s]))
    high = float(demand_high_price(demands.price_min[d], demands.price_max[d]))
    if np.isnan(low) or np.isnan(high):
        return "unknown", {}
    args = {"low": low, "high": high, "dimension": int(demands.dimension[d])}
    if low <= high:
        return "within", args
    return "above", {**args, "gap": round((low / high - 1) * 100)}


def _distance(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    sp, dp = int(supplies.province[s]), int(demands.province[d])
    pv, pe = context.province_names, context.province_names_en
    if sp == dp:
        cities = context.province_is_city
        return "same", {**_names(pv[sp], pe[sp]), "city": bool(sp < len(cities) and cities[sp])}
    return "apart", {
        "km": float(context.distance_km[sp, dp]),
        **_names(pv[sp], pe[sp], "origin"),
        **_names(pv[dp], pe[dp], "destination"),
    }


def _programme(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    prog = int(context.programme[int(supplies.province[s]), int(demands.province[d])])
    if prog < 0:
        return "none", {}
    vi_names = context.programme_names
    en_names = context.programme_names_en or vi_names
    vi = vi_names[prog] if prog < len(vi_names) else f"#{prog}"
    en = en_names[prog] if prog < len(en_names) else vi
    return "shared", _names(vi, en)


def _time(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    today = context.config.today
    start = max(int(supplies.start[s]), int(demands.start[d]), today)
    end = min(int(supplies.end[s]), int(demands.end[d]))
    return "overlap", {"days": max(0, end - start + 1), "share": round(p.factors["time"], 4)}


def _trust(p, s, d, supplies, demands, context) -> tuple[str, dict]:
    args = {"supplier": float(supplies.trust[s]), "buyer": float(demands.trust[d])}
    if bool(reseller_for_producer_buyer(supplies.flags[s], demands.flags[d])):
        args["resold"] = {"penalty": float(context.config.reseller_penalty)}
    return "trust", args


FACTS = {
    "product": _product,
    "quantity": _quantity,
    "price": _price,
    "distance": _distance,
    "programme": _programme,
    "time": _time,
    "trust": _trust,
}


def explain(
    proposal: Proposal, supplies: ListingTable, demands: ListingTable, context: Context
) -> list[dict]:
    """The reasons for one proposal, one entry per factor in :data:`FACTORS` order.

    Each entry: ``factor``, ``value`` (in [0, 1]), ``weight`` (weights sum to 1), ``case`` (a
    code such as ``same_category`` or ``above``) and ``args`` (its numbers and names, plain
    JSON). ``proposal`` is ``result.row(i)``.
    """
    s, d = proposal.supply_idx, proposal.demand_idx
    out = []
    for factor in FACTORS:
        case, args = FACTS[factor](proposal, s, d, supplies, demands, context)
        taught = learned_args(
            factor, int(supplies.org[s]), int(demands.org[d]), context.learned or {}
        )
        if taught:
            args = {**args, "learned": taught}
        out.append(
            {
                "factor": factor,
                "value": round(float(proposal.factors[factor]), 4),
                "weight": round(float(proposal.weights[factor]), 4),
                "case": case,
                "args": args,
            }
        )
    return out
