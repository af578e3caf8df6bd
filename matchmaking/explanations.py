""" "Why this match": the explanation of a match, worded in the reader's language.

Engine proposals store only their factor values (``Match.factors``, in the engine's
``FACTORS`` order) and the run that scored them (whose ``weights`` they were scored with); the
reasons are worded here, when read, from the two listings. Officer introductions store written
reasons in ``Match.explanation`` (items with ``detail`` in Vietnamese and ``detail_en``),
which are used as they are.

Each item is ``{"factor", "value", "weight", "detail"}``: ``value`` in [0, 1], ``weight`` the
factor's share of the score, ``detail`` one sentence in the current language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.conf import settings

from core.formatting import format_number, format_rounded, is_english, localized_name, say
from matchmaking.engine.records import FACTORS


def _weights(match) -> dict[str, float]:
    run = getattr(match, "last_run", None) if match.last_run_id else None
    raw = dict((run.weights if run is not None and run.weights else None) or {})
    if not raw:
        raw = dict(settings.MATCHING.get("WEIGHTS", {}))
    total = sum(max(0.0, float(raw.get(f, 0.0))) for f in FACTORS) or 1.0
    return {f: max(0.0, float(raw.get(f, 0.0))) / total for f in FACTORS}


def _values(match) -> dict[str, float]:
    factors = match.factors or []
    if isinstance(factors, dict):
        return {f: float(factors[f]) for f in FACTORS if f in factors}
    return {f: float(v) for f, v in zip(FACTORS, factors, strict=False)}


def _km(a, b) -> float:
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlam = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def _base_price(price, unit) -> float | None:
    if price is None or unit is None or not unit.factor:
        return None
    return float(price) / float(unit.factor)


BASE_UNIT_NAMES = {"mass": ("kg", "kg"), "volume": ("lít", "litre"), "count": ("cái", "piece")}


def _base_unit(unit) -> str:
    vi, en = BASE_UNIT_NAMES.get(unit.dimension, ("", ""))
    return say(vi, en)


def _product(supply, demand, value: float, cache: dict) -> str:
    if supply.product_id and supply.product_id == demand.product_id:
        return say(
            f"Cùng sản phẩm: {localized_name(supply.product)}",
            f"Same product: {localized_name(supply.product)}",
        )
    if supply.category_id == demand.category_id:
        return say(
            f"Cùng loại hàng: {localized_name(supply.category)}",
            f"Same category: {localized_name(supply.category)}",
        )
    return say(
        f"Sản phẩm liên quan: {localized_name(supply.category)} thuộc nhóm {localized_name(demand.category)}",
        f"Related product: {localized_name(supply.category)} is a kind of {localized_name(demand.category)}",
    )


def _quantity(supply, demand, value: float, cache: dict) -> str:
    pct = round(value * 100)
    unit = localized_name(demand.unit)
    wanted = format_number(demand.quantity)
    return say(
        f"Đáp ứng {pct}% số lượng cần mua ({wanted} {unit})",
        f"Covers {pct}% of the quantity wanted ({wanted} {unit})",
    )


def _price(supply, demand, value: float, cache: dict) -> str:
    ask = _base_price(
        supply.price_min if supply.price_min is not None else supply.price_max, supply.unit
    )
    offer = _base_price(
        demand.price_max if demand.price_max is not None else demand.price_min, demand.unit
    )
    if ask is None or offer is None:
        return say(
            "Một bên chưa nêu giá: thỏa thuận khi kết nối",
            "One side gives no price: to be agreed once connected",
        )
    unit = _base_unit(supply.unit)
    ask_text, offer_text = format_rounded(ask), format_rounded(offer)
    if ask <= offer:
        return say(
            f"Giá chào {ask_text} ₫/{unit} nằm trong mức giá mua (tối đa {offer_text} ₫/{unit})",
            f"Asking {ask_text} ₫/{unit}, within the buyer's price (up to {offer_text} ₫/{unit})",
        )
    gap = round((ask / offer - 1) * 100)
    return say(
        f"Giá chào {ask_text} ₫/{unit} cao hơn giá mua tối đa {offer_text} ₫/{unit} ({gap}%)",
        f"Asking {ask_text} ₫/{unit} is {gap}% above the buyer's {offer_text} ₫/{unit}",
    )


def _distance(supply, demand, value: float, cache: dict) -> str:
    if supply.province_id == demand.province_id:
        return say(
            f"Cùng tỉnh/thành: {localized_name(supply.province)}",
            f"Same province: {localized_name(supply.province)}",
        )
    km = format_rounded(round(_km(supply.province, demand.province), -1))
    route = f"{localized_name(supply.province)} → {localized_name(demand.province)}"
    return say(f"Khoảng cách khoảng {km} km ({route})", f"About {km} km apart ({route})")


def _programmes(cache: dict) -> list[tuple[str, str, set[int]]]:
    """Every programme with its provinces, loaded once per cache (a request, a page)."""
    if "programmes" not in cache:
        from matchmaking.models import CooperationProgramme

        members: dict[int, set[int]] = {}
        for programme_id, province_id in CooperationProgramme.provinces.through.objects.values_list(
            "cooperationprogramme_id", "province_id"
        ):
            members.setdefault(programme_id, set()).add(province_id)
        cache["programmes"] = [
            (p.name, p.name_en, members.get(p.pk, set()))
            for p in CooperationProgramme.objects.order_by("pk").only("pk", "name", "name_en")
        ]
    return cache["programmes"]


def _programme(supply, demand, value: float, cache: dict) -> str:
    if value < 0.5:
        return say(
            "Hai tỉnh chưa có chương trình hợp tác chung",
            "No cooperation programme covers both provinces",
        )
    for name, name_en, provinces in _programmes(cache):
        if supply.province_id in provinces and demand.province_id in provinces:
            return say(
                f"Cả hai tỉnh thuộc chương trình: {name}",
                f"Both provinces are in the programme: {name_en or name}",
            )
    return say("Thuộc chương trình hợp tác vùng", "Covered by a cooperation programme")


def _time(supply, demand, value: float, cache: dict) -> str:
    pct = round(value * 100)
    fmt = "%d/%m/%Y"
    start, end = supply.available_from.strftime(fmt), supply.available_until.strftime(fmt)
    return say(
        f"Có hàng trong {pct}% thời gian người mua cần (từ {start} đến {end})",
        f"Available for {pct}% of the buyer's window ({start} to {end})",
    )


def _trust(supply, demand, value: float, cache: dict) -> str:
    parts_vi, parts_en = [], []
    for org, vi, en in (
        (supply.organization, "Nhà cung cấp", "The supplier"),
        (demand.organization, "người mua", "the buyer"),
    ):
        if org.verified:
            parts_vi.append(f"{vi} đã được xác minh")
            parts_en.append(f"{en} is verified")
        else:
            parts_vi.append(f"{vi} chưa được xác minh")
            parts_en.append(f"{en} is not verified yet")
    stars = supply.ocop_stars or (supply.product.ocop_stars if supply.product_id else None)
    if stars:
        parts_vi.append(f"sản phẩm OCOP {stars} sao")
        parts_en.append(f"{stars}-star OCOP product")
    text_vi = "; ".join(parts_vi)
    return say(text_vi[:1].upper() + text_vi[1:], "; ".join(parts_en))


WORDING = {
    "product": _product,
    "quantity": _quantity,
    "price": _price,
    "distance": _distance,
    "programme": _programme,
    "time": _time,
    "trust": _trust,
}


def explain(match, cache: dict | None = None) -> list[dict]:
    """The explanation items of a match in the current language, in the engine's order.

    ``cache`` is shared by the matches of one page or API response (reference data loaded once).
    """
    written = [item for item in (match.explanation or []) if isinstance(item, dict)]
    if written:
        return [_written(item) for item in written]
    values = _values(match)
    if not values:
        return []
    weights = _weights(match)
    supply, demand = match.supply, match.demand
    items = []
    for factor in FACTORS:
        if factor not in values:
            continue
        value = max(0.0, min(1.0, values[factor]))
        try:
            detail = WORDING[factor](supply, demand, value, cache if cache is not None else {})
        except (AttributeError, TypeError, ValueError, ZeroDivisionError):
            detail = ""  # a listing with missing data must never break a page
        items.append(
            {
                "factor": factor,
                "value": round(value, 4),
                "weight": round(weights.get(factor, 0.0), 4),
                "detail": detail,
            }
        )
    return items


def explain_page(matches: Iterable) -> dict[int, list[dict]]:
    """{match id: explanation items in the current language} for a page of matches.

    Worded from the stored factor values and the listings the page already loaded (with
    their organizations, provinces, units, categories and products): no engine table is built
    and nothing is written, so a page costs the same few queries at any market size.
    """
    cache: dict = {}
    return {m.pk: explain(m, cache=cache) for m in matches if m.pk}


def _written(item: dict) -> dict:
    if is_english():
        detail = item.get("detail_en") or item.get("detail") or ""
    else:
        detail = item.get("detail_vi") or item.get("detail") or ""
    return {
        "factor": str(item.get("factor", "")),
        "value": float(item.get("value") or 0),
        "weight": float(item.get("weight") or 0),
        "detail": str(detail),
    }
