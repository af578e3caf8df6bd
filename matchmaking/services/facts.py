"""The facts behind a proposal's reasons, stored when it is scored and worded when read.

A proposal's reasons need a few numbers besides its seven factor values: how alike the names
were, what the buyer wanted, the two prices per base unit, the distance, the programme, the
days both are available and both sides' trust. The engine has them in its tables when it
scores the pair, so :func:`pair_facts` takes them from there for a whole result at once (numpy,
no Python loop per pair) and the upsert stores them with the factor values (``Match.facts``, a
short JSON list in :data:`FACT_KEYS` order). Reading a match (inbox, detail, API, admin) then
words its reasons from the stored values and the listings the page loaded anyway
(:func:`findings`): no engine table is built, the market is not touched and nothing is written.

Rows scored before the facts were stored have none; their factors still show (with values and
weights, no sentence) until they are scored again or ``manage.py match_facts`` fills them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matchmaking.engine.factors import demand_high_price, supply_low_price
from matchmaking.engine.records import FACTORS, ListingTable
from matchmaking.engine.relevance import intent_fit, mask_tokens, reseller_for_producer_buyer
from matchmaking.engine.text import signature_similarity

FACT_KEYS = (
    "similarity",  # the listings' names, |a & b| / |a | b| of their signatures
    "need",  # the demand's quantity, in its base unit
    "dimension",  # records.MASS / VOLUME / COUNT
    "low",  # the supplier's lowest ask per base unit, -1 when it gives no price
    "high",  # the buyer's highest offer per base unit, -1 when it gives none
    "km",  # between the province centres
    "programme",  # CooperationProgramme pk covering both provinces, -1 for none
    "days",  # days both are available, from the day it was scored
    "supplier_trust",
    "buyer_trust",
    "intent",  # -1 when the demand's words ask for nothing specific, else the multiplier (1 = fit)
    "resold",  # the reseller multiplier when a producer-only demand meets a trader, else 0
    # What the demand's words ask for (``engine.relevance`` concept mask, 128 bits), as four
    # 32-bit words so that every fact stays a number a float holds exactly.
    "asked0",
    "asked1",
    "asked2",
    "asked3",
)
_DECIMALS = (4, 3, 0, 2, 2, 1, 0, 0, 4, 4, 4, 4, 0, 0, 0, 0)
_AT = {key: i for i, key in enumerate(FACT_KEYS)}


def pair_facts(
    supplies: ListingTable,
    demands: ListingTable,
    s_idx: np.ndarray,
    d_idx: np.ndarray,
    context,
    programme_ids: Iterable[int] = (),
    *,
    as_array: bool = False,
):
    """One list of :data:`FACT_KEYS` values per pair ``(supplies[s_idx[k]], demands[d_idx[k]])``
    (with ``as_array`` one (n, 16) float array)."""
    s_idx = np.asarray(s_idx, dtype=np.intp)
    d_idx = np.asarray(d_idx, dtype=np.intp)
    n = len(s_idx)
    if n == 0:
        return np.empty((0, len(FACT_KEYS))) if as_array else []
    out = np.empty((n, len(FACT_KEYS)), dtype=np.float64)
    s_sig, d_sig = supplies.name_sig[s_idx], demands.name_sig[d_idx]
    out[:, 0] = signature_similarity(s_sig[:, 0], s_sig[:, 1], d_sig[:, 0], d_sig[:, 1])
    out[:, 1] = demands.qty[d_idx]
    out[:, 2] = demands.dimension[d_idx]
    low = supply_low_price(supplies.price_min[s_idx], supplies.price_max[s_idx])
    high = demand_high_price(demands.price_min[d_idx], demands.price_max[d_idx])
    out[:, 3] = np.where(np.isnan(low), -1.0, low)
    out[:, 4] = np.where(np.isnan(high), -1.0, high)
    sp = supplies.province[s_idx].astype(np.intp)
    dp = demands.province[d_idx].astype(np.intp)
    out[:, 5] = context.distance_km[sp, dp]
    prog = context.programme[sp, dp].astype(np.intp)
    ids = np.array([*programme_ids, -1], dtype=np.float64)  # index -1 -> the -1 at the end
    out[:, 6] = np.where(prog < len(ids) - 1, ids[np.minimum(prog, len(ids) - 1)], -1.0)
    today = int(context.config.today)
    start = np.maximum(np.maximum(supplies.start[s_idx], demands.start[d_idx]), today)
    end = np.minimum(supplies.end[s_idx], demands.end[d_idx])
    out[:, 7] = np.maximum(0, end - start + 1)
    out[:, 8] = supplies.trust[s_idx]
    out[:, 9] = demands.trust[d_idx]
    # Sharper relevance (``engine.relevance``): what the words asked and what it cost the pair.
    cfg = context.config
    asked = np.asarray(demands.intent[d_idx], dtype=np.uint64)
    none = (asked[:, 0] == 0) & (asked[:, 1] == 0)
    fit = intent_fit(asked, supplies.offer[s_idx])
    out[:, 10] = np.where(none, -1.0, np.where(fit, 1.0, float(cfg.intent_penalty)))
    resold = reseller_for_producer_buyer(supplies.flags[s_idx], demands.flags[d_idx])
    out[:, 11] = np.where(resold, float(cfg.reseller_penalty), 0.0)
    low32 = np.uint64(0xFFFFFFFF)
    for word in (0, 1):
        out[:, 12 + 2 * word] = (asked[:, word] & low32).astype(np.float64)
        out[:, 13 + 2 * word] = (asked[:, word] >> np.uint64(32)).astype(np.float64)
    for col, decimals in enumerate(_DECIMALS):
        out[:, col] = np.round(out[:, col], decimals)
    return out if as_array else out.tolist()


def result_facts(result, supplies, demands, ref, *, as_array: bool = False):
    """:func:`pair_facts` of every pair of an engine result (an (n, 16) array with
    ``as_array``, for the upsert's binary copy)."""
    return pair_facts(
        supplies,
        demands,
        result.supply_idx,
        result.demand_idx,
        ref.context,
        getattr(ref, "programme_ids", ()),
        as_array=as_array,
    )


def has_facts(match) -> bool:
    return isinstance(match.facts, list) and len(match.facts) == len(FACT_KEYS)


def _names(vi: str, en: str, key: str = "name") -> dict:
    return {key: vi, f"{key}_en": en or vi}


def _named(obj, key: str = "name") -> dict:
    if obj is None:
        return _names("", "", key)
    return _names(obj.name, getattr(obj, "name_en", "") or "", key)


def findings(
    match,
    values: dict[str, float],
    weights: dict[str, float],
    programmes: dict[int, tuple[str, str]],
) -> list[dict]:
    """The engine's findings for a stored proposal (``{factor, value, weight, case, args}``,
    the shape of ``engine.explain``), from its stored values and facts and its two listings
    (with their category, product and province, as ``selectors.matches_queryset`` loads them).
    """
    facts = [float(v) for v in match.facts]
    fact = {key: facts[i] for key, i in _AT.items()}
    supply, demand = match.supply, match.demand
    cases = {
        "product": _intent(_product(supply, demand, fact), fact),
        "quantity": _quantity(match, values, fact),
        "price": _price(fact),
        "distance": _distance(supply, demand, fact),
        "programme": _programme(fact, programmes),
        "time": ("overlap", {"days": int(fact["days"]), "share": round(values["time"], 4)}),
        "trust": _resold(
            ("trust", {"supplier": fact["supplier_trust"], "buyer": fact["buyer_trust"]}), fact
        ),
    }
    out = []
    for factor in FACTORS:
        if factor not in values:
            continue
        case, args = cases[factor]
        out.append(
            {
                "factor": factor,
                "value": round(values[factor], 4),
                "weight": round(weights.get(factor, 0.0), 4),
                "case": case,
                "args": args,
            }
        )
    return out


def _intent(found: tuple[str, dict], fact: dict) -> tuple[str, dict]:
    """The product finding with what the demand's words asked for, when they asked."""
    case, args = found
    if fact["intent"] < 0:
        return case, args
    words = [int(fact[f"asked{i}"]) for i in range(4)]
    asked = mask_tokens(words[0] | words[1] << 32, words[2] | words[3] << 32)
    fit = fact["intent"] >= 1.0
    return case, {**args, "intent": {"asked": asked, "fit": fit, "penalty": fact["intent"]}}


def _resold(found: tuple[str, dict], fact: dict) -> tuple[str, dict]:
    """The trust finding with the reseller multiplier, when a producer-only demand met it."""
    case, args = found
    if fact["resold"] > 0:
        args = {**args, "resold": {"penalty": fact["resold"]}}
    return case, args


def _product(supply, demand, fact) -> tuple[str, dict]:
    alike = {"similarity": round(fact["similarity"], 4)}
    if demand.product_id is not None and supply.product_id == demand.product_id:
        named = _named(demand.product) if demand.product_id else _named(demand.category)
        return "same_product", {**named, **alike}
    if supply.category_id == demand.category_id:
        return "same_category", {**_named(demand.category), **alike}
    return "subcategory", {
        **_named(supply.category),
        **_named(demand.category, "parent"),
        **alike,
    }


def _quantity(match, values, fact) -> tuple[str, dict]:
    cover = values.get("quantity", 0.0)
    args = {
        "cover": round(cover, 4),
        "need": fact["need"],
        "suggested": float(match.suggested_quantity or 0),
        "dimension": int(fact["dimension"]),
    }
    return ("full" if cover >= 0.9995 else "partial"), args


def _price(fact) -> tuple[str, dict]:
    low, high = fact["low"], fact["high"]
    if low < 0 or high <= 0:
        return "unknown", {}
    args = {"low": low, "high": high, "dimension": int(fact["dimension"])}
    if low <= high:
        return "within", args
    return "above", {**args, "gap": round((low / high - 1) * 100)}


def _distance(supply, demand, fact) -> tuple[str, dict]:
    if supply.province_id == demand.province_id:
        province = demand.province
        city = getattr(province, "kind", "") == "city"
        return "same", {**_named(province), "city": city}
    return "apart", {
        "km": fact["km"],
        **_named(supply.province, "origin"),
        **_named(demand.province, "destination"),
    }


def _programme(fact, programmes) -> tuple[str, dict]:
    pk = int(fact["programme"])
    if pk < 0:
        return "none", {}
    vi, en = programmes.get(pk, (f"#{pk}", ""))
    return "shared", _names(vi, en)


def programme_names(matches) -> dict[int, tuple[str, str]]:
    """{programme pk: (name, English name)} of the programmes the matches' facts name (one
    small query, none when no match shares a programme)."""
    from matchmaking.models import CooperationProgramme

    at = _AT["programme"]
    pks = {int(m.facts[at]) for m in matches if has_facts(m) and m.facts[at] >= 0}
    if not pks:
        return {}
    rows = CooperationProgramme.objects.filter(pk__in=pks).values_list("pk", "name", "name_en")
    return {pk: (name, name_en) for pk, name, name_en in rows}


def facts_for_pairs(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[float]]:
    """{(supply id, demand id): facts} computed from the two listings as they are now: for
    writes that score a pair outside a run (an officer's introduction) and for filling the
    facts of rows scored before they were stored (``manage.py match_facts``). Never on a read.
    """
    from listings.models import Listing
    from matchmaking.services.market import build_table
    from matchmaking.services.reference import load_reference

    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return {}
    ref = load_reference()
    # Signatures are the listings' business of matching; this only reads them.
    supplies = build_table(
        Listing.objects.filter(pk__in={s for s, _ in pairs}),
        ref,
        side=Listing.Side.SUPPLY,
        keep_signatures=False,
    )
    demands = build_table(
        Listing.objects.filter(pk__in={d for _, d in pairs}),
        ref,
        side=Listing.Side.DEMAND,
        keep_signatures=False,
    )
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    known = [(s, d) for s, d in pairs if s in s_pos and d in d_pos]
    rows = pair_facts(
        supplies,
        demands,
        np.array([s_pos[s] for s, _ in known], dtype=np.intp),
        np.array([d_pos[d] for _, d in known], dtype=np.intp),
        ref.context,
        ref.programme_ids,
    )
    return dict(zip(known, rows, strict=True))
