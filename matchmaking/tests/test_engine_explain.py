"""Explanations of proposed matches, in Vietnamese and English; no database."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matchmaking.benchmarks.geography import province_index
from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import FACTORS, explain, format_quantity, match_one
from matchmaking.engine.records import COUNT, MASS, VOLUME
from matchmaking.tests.factories import CAT, engine_pair


def explained(s_over=None, d_over=None, lang="vi", **config):
    supplies, demands, ctx = engine_pair(s_over, d_over, **config)
    result = match_one(demands, "demand", supplies, ctx)
    assert len(result) == 1
    return {e["factor"]: e for e in explain(result.row(0), supplies, demands, ctx, lang)}


def test_every_factor_is_explained_in_both_languages():
    supplies, demands, ctx = synthetic_market(300, 300, seed=2)
    from matchmaking.engine import match_full

    result = match_full(supplies, demands, ctx)
    assert len(result) > 20
    for i in range(0, len(result), max(1, len(result) // 20)):
        for lang in ("vi", "en"):
            entries = explain(result.row(i), supplies, demands, ctx, lang)
            assert [e["factor"] for e in entries] == list(FACTORS)
            assert sum(e["weight"] for e in entries) == pytest.approx(1.0, abs=1e-3)
            for e in entries:
                assert 0.0 <= e["value"] <= 1.0
                assert e["detail"] == (e["detail_vi"] if lang == "vi" else e["detail_en"])
                assert e["detail_vi"] and e["detail_en"]
            score = sum(e["value"] * e["weight"] for e in entries)
            assert score == pytest.approx(float(result.score[i]), abs=2e-3)
            json.dumps(entries)  # stored as JSON on the Match row


def test_same_province_in_vietnamese_and_english():
    daklak = province_index("Đắk Lắk")
    e = explained({"province": daklak}, {"province": daklak})["distance"]
    assert e["detail_vi"] == "Cùng tỉnh Đắk Lắk"
    assert e["detail_en"] == "Same province: Dak Lak"
    assert e["value"] == 1.0
    hcmc = province_index("Hồ Chí Minh")
    city = explained({"province": hcmc}, {"province": hcmc})["distance"]
    assert city["detail_vi"] == "Cùng thành phố Hồ Chí Minh"


def test_distance_names_both_provinces():
    e = explained()["distance"]
    assert e["detail_vi"].startswith("Khoảng ")
    assert e["detail_vi"].endswith(" km (Đắk Lắk → Hồ Chí Minh)")
    assert e["detail_en"].endswith(" km (Dak Lak → Ho Chi Minh City)")
    assert 0.0 < e["value"] < 1.0


def test_programme_is_named():
    e = explained()["programme"]
    assert e["detail_vi"] == "Cả hai thuộc chương trình hợp tác TP.HCM – Tây Nguyên"
    assert "HCMC – Central Highlands" in e["detail_en"]
    none = explained({"province": province_index("Khánh Hòa")})["programme"]
    assert none["value"] == 0.0
    assert "chưa cùng" in none["detail_vi"]


def test_quantity_speaks_in_tonnes():
    e = explained()["quantity"]
    assert e["detail_vi"].startswith("Cung cấp đủ 100% nhu cầu (20 tấn)")
    assert e["detail_en"].startswith("Covers 100% of the demand (20 tonnes)")
    part = explained({"qty": 8_000.0}, {"min_order": 0.0})["quantity"]
    assert part["detail_vi"].startswith("Đáp ứng 40% nhu cầu 20 tấn")
    assert "suggested 8 tonnes" in part["detail_en"]


def test_product_and_price_details():
    robusta = CAT.index("Robusta coffee")
    same = explained({}, {"category": robusta})["product"]
    assert same["detail_vi"].startswith("Cùng loại hàng: Cà phê Robusta")
    assert same["detail_en"].startswith("Same category: Robusta coffee")
    sub = explained()["product"]
    assert "Robusta coffee is a kind of Green coffee" in sub["detail_en"]
    price = explained()["price"]
    assert price["detail_vi"] == ("Giá chào từ 40.000 đ/kg, trong mức giá mua tối đa 48.000 đ/kg")
    assert "40,000 VND/kg" in price["detail_en"]
    dear = explained({"price_min": 52_800.0, "price_max": 60_000.0}, min_score=0.0)["price"]
    assert "cao hơn giá mua tối đa 48.000 đ/kg 10%" in dear["detail_vi"]
    assert "10% above" in dear["detail_en"]
    none = explained({"price_min": np.nan, "price_max": np.nan})["price"]
    assert none["value"] == 1.0
    assert "No price" in none["detail_en"]


def test_time_and_trust_details():
    e = explained()
    assert "61 ngày" in e["time"]["detail_vi"]
    assert "100%" in e["time"]["detail_en"]
    assert e["trust"]["detail_vi"] == "Độ tin cậy: bên bán 80%, bên mua 70%"
    assert e["trust"]["value"] == pytest.approx(0.75)


def test_lang_picks_the_detail():
    vi = explained(lang="vi")["distance"]
    en = explained(lang="en")["distance"]
    assert vi["detail"] == vi["detail_vi"]
    assert en["detail"] == en["detail_en"]


@pytest.mark.parametrize(
    ("qty", "dim", "vi", "en"),
    [
        (20_000, MASS, "20 tấn", "20 tonnes"),
        (2_500, MASS, "2,5 tấn", "2.5 tonnes"),
        (750, MASS, "750 kg", "750 kg"),
        (1_200, VOLUME, "1.200 lít", "1,200 litres"),
        (5_000, COUNT, "5.000 cái", "5,000 pieces"),
    ],
)
def test_quantities_read_naturally(qty, dim, vi, en):
    assert format_quantity(qty, dim, "vi") == vi
    assert format_quantity(qty, dim, "en") == en
