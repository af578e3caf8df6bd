"""Why a pair was proposed, factor by factor, in Vietnamese and English."""

from __future__ import annotations

from typing import Literal

import numpy as np

from matchmaking.engine.factors import demand_high_price, supply_low_price
from matchmaking.engine.records import COUNT, FACTORS, MASS, Context, ListingTable, Proposal
from matchmaking.engine.text import signature_similarity


def _number(value: float, lang: str, decimals: int = 0) -> str:
    """1234567.5 -> "1.234.567,5" (vi) or "1,234,567.5" (en)."""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_quantity(qty: float, dimension: int, lang: str) -> str:
    """A base quantity as a person says it: 20000 kg -> "20 tấn" / "20 tonnes"."""
    if dimension == MASS:
        if qty >= 1000:
            return f"{_number(qty / 1000, lang, 2)} {'tấn' if lang == 'vi' else 'tonnes'}"
        return f"{_number(qty, lang, 1)} kg"
    if dimension == COUNT:
        return f"{_number(qty, lang)} {'cái' if lang == 'vi' else 'pieces'}"
    return f"{_number(qty, lang, 1)} {'lít' if lang == 'vi' else 'litres'}"


def _unit(dimension: int, lang: str) -> str:
    if dimension == MASS:
        return "kg"
    if dimension == COUNT:
        return "cái" if lang == "vi" else "piece"
    return "lít" if lang == "vi" else "litre"


def _price(value: float, dimension: int, lang: str) -> str:
    currency = "đ" if lang == "vi" else "VND"
    return f"{_number(value, lang)} {currency}/{_unit(dimension, lang)}"


def _details(p: Proposal, supplies: ListingTable, demands: ListingTable, context: Context):
    """{factor: (Vietnamese detail, English detail)}."""
    s, d = p.supply_idx, p.demand_idx
    out: dict[str, tuple[str, str]] = {}
    names, names_en = context.category_names, context.category_names_en
    s_cat, d_cat = int(supplies.category[s]), int(demands.category[d])
    s_prod, d_prod = int(supplies.product[s]), int(demands.product[d])
    sim = float(
        signature_similarity(
            supplies.name_sig[s, 0],
            supplies.name_sig[s, 1],
            demands.name_sig[d, 0],
            demands.name_sig[d, 1],
        )
    )
    alike_vi = f" (tên gọi giống nhau {round(sim * 100)}%)"
    alike_en = f" (names {round(sim * 100)}% alike)"
    if d_prod >= 0 and s_prod == d_prod:
        vi_name, en_name = context.product_names.get(d_prod, (names[d_cat], names_en[d_cat]))
        out["product"] = (
            f"Đúng sản phẩm: {vi_name}" + alike_vi,
            f"Same product: {en_name}" + alike_en,
        )
    elif s_cat == d_cat:
        out["product"] = (
            f"Cùng loại hàng: {names[d_cat]}" + alike_vi,
            f"Same category: {names_en[d_cat]}" + alike_en,
        )
    else:
        out["product"] = (
            f"{names[s_cat]} thuộc nhóm {names[d_cat]} bên mua cần" + alike_vi,
            f"{names_en[s_cat]} is a kind of {names_en[d_cat]}, which the buyer wants" + alike_en,
        )

    dim = int(demands.dimension[d])
    need = float(demands.qty[d])
    cover = p.factors["quantity"]
    offered = (
        format_quantity(p.suggested_qty, dim, "vi"),
        format_quantity(p.suggested_qty, dim, "en"),
    )
    if cover >= 0.9995:
        out["quantity"] = (
            f"Cung cấp đủ 100% nhu cầu ({format_quantity(need, dim, 'vi')}); đề xuất {offered[0]}",
            f"Covers 100% of the demand ({format_quantity(need, dim, 'en')}); "
            f"suggested {offered[1]}",
        )
    else:
        out["quantity"] = (
            f"Đáp ứng {round(cover * 100)}% nhu cầu {format_quantity(need, dim, 'vi')}; "
            f"đề xuất {offered[0]}",
            f"Covers {round(cover * 100)}% of the {format_quantity(need, dim, 'en')} wanted; "
            f"suggested {offered[1]}",
        )

    low = float(supply_low_price(supplies.price_min[s], supplies.price_max[s]))
    high = float(demand_high_price(demands.price_min[d], demands.price_max[d]))
    if np.isnan(low) or np.isnan(high):
        out["price"] = ("Chưa đủ thông tin giá để so sánh", "No price on one side to compare")
    elif low <= high:
        out["price"] = (
            f"Giá chào từ {_price(low, dim, 'vi')}, trong mức giá mua tối đa "
            f"{_price(high, dim, 'vi')}",
            f"Asking from {_price(low, dim, 'en')}, within the buyer's maximum "
            f"{_price(high, dim, 'en')}",
        )
    else:
        gap = round((low / high - 1) * 100)
        out["price"] = (
            f"Giá chào thấp nhất {_price(low, dim, 'vi')} cao hơn giá mua tối đa "
            f"{_price(high, dim, 'vi')} {gap}%",
            f"Lowest ask {_price(low, dim, 'en')} is {gap}% above the buyer's maximum "
            f"{_price(high, dim, 'en')}",
        )

    sp, dp = int(supplies.province[s]), int(demands.province[d])
    pv, pe = context.province_names, context.province_names_en
    if sp == dp:
        cities = context.province_is_city
        is_city = bool(cities[sp]) if sp < len(cities) else False
        out["distance"] = (
            f"Cùng {'thành phố' if is_city else 'tỉnh'} {pv[sp]}",
            f"Same {'city' if is_city else 'province'}: {pe[sp]}",
        )
    else:
        km = float(context.distance_km[sp, dp])
        km_text = _number(round(km, -1) if km >= 20 else round(km), "vi")
        km_en = _number(round(km, -1) if km >= 20 else round(km), "en")
        out["distance"] = (
            f"Khoảng {km_text} km ({pv[sp]} → {pv[dp]})",
            f"About {km_en} km ({pe[sp]} → {pe[dp]})",
        )

    prog = int(context.programme[sp, dp])
    if prog >= 0:
        vi_names = context.programme_names
        en_names = context.programme_names_en or vi_names
        vi = vi_names[prog] if prog < len(vi_names) else f"#{prog}"
        en = en_names[prog] if prog < len(en_names) else f"#{prog}"
        out["programme"] = (
            f"Cả hai thuộc chương trình hợp tác {vi}",
            f"Both provinces are in the cooperation programme {en}",
        )
    else:
        out["programme"] = (
            "Hai tỉnh chưa cùng chương trình hợp tác nào",
            "The provinces share no cooperation programme",
        )

    today = context.config.today
    d_start = max(int(demands.start[d]), today)
    start = max(int(supplies.start[s]), d_start)
    end = min(int(supplies.end[s]), int(demands.end[d]))
    days = max(0, end - start + 1)
    share = round(p.factors["time"] * 100)
    out["time"] = (
        f"Cùng thời gian {days} ngày, {share}% khoảng thời gian bên mua cần",
        f"Available together for {days} days, {share}% of the buyer's window",
    )

    st, dt_ = round(float(supplies.trust[s]) * 100), round(float(demands.trust[d]) * 100)
    out["trust"] = (
        f"Độ tin cậy: bên bán {st}%, bên mua {dt_}%",
        f"Trust: supplier {st}%, buyer {dt_}%",
    )
    return out


def explain(
    proposal: Proposal,
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    lang: Literal["vi", "en"] = "vi",
) -> list[dict]:
    """The reasons for one proposal, one entry per factor in :data:`FACTORS` order.

    Each entry: ``factor``, ``value`` (in [0, 1]), ``weight`` (weights sum to 1),
    ``detail`` (in ``lang``), and ``detail_vi`` / ``detail_en`` (both languages, so the
    stored explanation serves either). ``proposal`` is ``result.row(i)``.
    """
    details = _details(proposal, supplies, demands, context)
    out = []
    for factor in FACTORS:
        vi, en = details[factor]
        out.append(
            {
                "factor": factor,
                "value": round(float(proposal.factors[factor]), 4),
                "weight": round(float(proposal.weights[factor]), 4),
                "detail": vi if lang == "vi" else en,
                "detail_vi": vi,
                "detail_en": en,
            }
        )
    return out
