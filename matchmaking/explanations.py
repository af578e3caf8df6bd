""" "Why this match": the one wording of a match's reasons, in the reader's language.

The engine states its findings per factor as a code and numbers
(``matchmaking.engine.explain``); this module words them in Vietnamese or English with the
project's number formatting (``core.formatting``). Officer introductions store their own
items (``{"factor": "officer", "detail": <the officer's note>}``; older rows also carry
``detail_en``), used as they are.

Each item shown is ``{"factor", "value", "weight", "detail"}``: ``value`` in [0, 1],
``weight`` the factor's share of the score, ``detail`` one sentence in the current language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.formatting import format_number, is_english
from matchmaking.engine.records import COUNT, FACTORS, MASS
from matchmaking.services.certificates import certification_notes
from matchmaking.services.explain import explain_matches, run_weights, stored_values

log = logging.getLogger(__name__)


def format_quantity(qty: float, dimension: int) -> str:
    """A base quantity as a person says it: 20000 kg → "20 tấn" / "20 tonnes"."""
    if dimension == MASS:
        if qty >= 1000:
            return format_number(qty / 1000, 2) + " " + pgettext("unit", "tonnes")
        return format_number(qty, 1) + " kg"
    if dimension == COUNT:
        return format_number(qty, 0) + " " + pgettext("unit", "pieces")
    return format_number(qty, 1) + " " + pgettext("unit", "litres")


def _base_unit(dimension: int) -> str:
    if dimension == MASS:
        return "kg"
    return pgettext("unit", "piece") if dimension == COUNT else pgettext("unit", "litre")


def format_price(value: float, dimension: int) -> str:
    """VND per base unit: "40.000 đ/kg" / "40,000 VND/kg"."""
    currency = pgettext("currency", "VND")
    return f"{format_number(value, 0)} {currency}/{_base_unit(dimension)}"


def _name(args: dict, key: str = "name") -> str:
    return (args.get(f"{key}_en") if is_english() else None) or args.get(key, "")


def _percent(share: float) -> int:
    return round(share * 100)


def _product(case: str, a: dict) -> str:
    words = {"name": _name(a), "percent": _percent(a.get("similarity", 0.0))}
    if case == "same_product":
        return _("Same product: %(name)s (names %(percent)d%% alike)") % words
    if case == "same_category":
        return _("Same category: %(name)s (names %(percent)d%% alike)") % words
    words["parent"] = _name(a, "parent")
    return (
        _("%(name)s is a kind of %(parent)s, which the buyer wants (names %(percent)d%% alike)")
        % words
    )


def _quantity(case: str, a: dict) -> str:
    words = {
        "need": format_quantity(a["need"], a["dimension"]),
        "suggested": format_quantity(a["suggested"], a["dimension"]),
        "percent": _percent(a["cover"]),
    }
    if case == "full":
        return _("Covers 100%% of the demand (%(need)s); suggested %(suggested)s") % words
    return _("Covers %(percent)d%% of the %(need)s wanted; suggested %(suggested)s") % words


def _price(case: str, a: dict) -> str:
    if case == "unknown":
        return _("No price on one side to compare")
    words = {
        "low": format_price(a["low"], a["dimension"]),
        "high": format_price(a["high"], a["dimension"]),
        "gap": a.get("gap", 0),
    }
    if case == "within":
        return _("Asking from %(low)s, within the buyer's maximum %(high)s") % words
    return _("Lowest ask %(low)s is %(gap)d%% above the buyer's maximum %(high)s") % words


def _distance(case: str, a: dict) -> str:
    if case == "same":
        if a.get("city"):
            return _("Same city: %(name)s") % {"name": _name(a)}
        return _("Same province: %(name)s") % {"name": _name(a)}
    km = a["km"]
    return _("About %(km)s km (%(origin)s → %(destination)s)") % {
        "km": format_number(round(km, -1) if km >= 20 else round(km), 0),
        "origin": _name(a, "origin"),
        "destination": _name(a, "destination"),
    }


def _programme(case: str, a: dict) -> str:
    if case == "shared":
        return _("Both provinces are in the cooperation programme %(name)s") % {"name": _name(a)}
    return _("The provinces share no cooperation programme")


def _time(case: str, a: dict) -> str:
    return _("Available together for %(days)d days, %(share)d%% of the buyer's window") % {
        "days": a["days"],
        "share": _percent(a["share"]),
    }


def _trust(case: str, a: dict) -> str:
    return _("Trust: supplier %(supplier)d%%, buyer %(buyer)d%%") % {
        "supplier": _percent(a["supplier"]),
        "buyer": _percent(a["buyer"]),
    }


def _reason_phrase(reason: str, n: int) -> str:
    """ "3 offers on price" in the reader's language."""
    if reason == "price":
        text = ngettext("%(n)d offer on price", "%(n)d offers on price", n)
    elif reason == "distance":
        text = ngettext(
            "%(n)d offer on distance or logistics", "%(n)d offers on distance or logistics", n
        )
    elif reason == "quality":
        text = ngettext(
            "%(n)d offer on quality or certification",
            "%(n)d offers on quality or certification",
            n,
        )
    elif reason == "quantity":
        text = ngettext("%(n)d offer on quantity", "%(n)d offers on quantity", n)
    elif reason == "timing":
        text = ngettext("%(n)d offer on timing", "%(n)d offers on timing", n)
    else:
        text = ngettext("%(n)d offer", "%(n)d offers", n)
    return text % {"n": n}


def _learned(a: dict) -> str:
    """What declines taught, for the factor it reweighed (``services.learning``)."""
    parts = []
    for side in ("buyer", "supplier"):
        item = (a.get("learned") or {}).get(side)
        if not item:
            continue
        words = {
            "declined": _reason_phrase(item["reason"], int(item["declines"])),
            "times": format_number(float(item["multiplier"]), 2),
        }
        if side == "buyer":
            parts.append(
                _("Learned: the buyer declined %(declined)s, so this weighs ×%(times)s for it")
                % words
            )
        else:
            parts.append(
                _("Learned: the supplier declined %(declined)s, so this weighs ×%(times)s for it")
                % words
            )
    return ". ".join(parts)


def _relevance(factor: str, a: dict) -> str:
    """The intent and producer multipliers (``engine.relevance``), on the factor they touch."""
    if factor == "product" and a.get("intent"):
        asked = ", ".join(a["intent"].get("asked") or [])
        if a["intent"].get("fit"):
            return _("Names what the buyer asked for: %(asked)s") % {"asked": asked}
        return _("The buyer asked for %(asked)s and this offer names none of it: ranked lower") % {
            "asked": asked
        }
    if factor == "trust" and a.get("resold"):
        return _("The buyer asks for producers and this supplier resells: ranked lower")
    return ""


WORDING: dict[str, Callable[[str, dict], str]] = {
    "product": _product,
    "quantity": _quantity,
    "price": _price,
    "distance": _distance,
    "programme": _programme,
    "time": _time,
    "trust": _trust,
}


def word(item: dict) -> dict:
    """One item (the engine's finding or a stored written one) as shown to the reader."""
    if "case" in item and not item["case"]:
        detail = ""  # a value without its finding (the listings could not be read)
    elif "case" in item:
        try:
            args = item.get("args") or {}
            parts = [
                WORDING[item["factor"]](item["case"], args),
                _relevance(item["factor"], args),
                _learned(args),
            ]
            detail = ". ".join(p for p in parts if p)
        except (KeyError, TypeError, ValueError):  # never break a page over the wording
            log.warning("could not word %r", item, exc_info=True)
            detail = ""
    else:
        detail = _written(item)
    return {
        "factor": str(item.get("factor", "")),
        "value": float(item.get("value") or 0),
        "weight": float(item.get("weight") or 0),
        "detail": str(detail),
    }


def _written(item: dict) -> str:
    if item.get("factor") == "officer" and "detail_en" not in item:
        note = str(item.get("detail") or "").strip()
        introduced = _("Introduced by a trade-promotion officer.")
        return f"{introduced} {note}".strip()
    if is_english():
        return item.get("detail_en") or item.get("detail") or ""
    return item.get("detail_vi") or item.get("detail") or ""


def explain_page(matches: Iterable) -> dict[int, list[dict]]:
    """{match id: explanation items in the current language} for a page of matches."""
    matches = [m for m in matches if m.pk]
    if not matches:
        return {}
    try:
        found = explain_matches(matches)
    except Exception:  # never break a page over the reasons: values and weights still show
        log.warning("could not explain the matches; showing their values only", exc_info=True)
        found = {}
        for m in matches:
            values, weights = stored_values(m), run_weights(m)
            found[m.pk] = [
                {
                    "factor": f,
                    "value": round(values[f], 4),
                    "weight": round(weights[f], 4),
                    "case": "",
                    "args": {},
                }
                for f in FACTORS
                if f in values
            ] or list(m.explanation or [])
    worded = {m.pk: [word(item) for item in found.get(m.pk, [])] for m in matches}
    _add_certification_notes(matches, worded)
    return worded


def _add_certification_notes(matches: list, worded: dict[int, list[dict]]) -> None:
    """The trust reason also says how each required certification is met (and whether an
    officer verified it): ``matchmaking.services.certificates``."""
    english = is_english()
    for match_id, (vi, en) in certification_notes(matches).items():
        for item in worded.get(match_id, []):
            if item["factor"] == "trust":
                note = en if english else vi
                item["detail"] = f"{item['detail']}. {note}" if item["detail"] else note
