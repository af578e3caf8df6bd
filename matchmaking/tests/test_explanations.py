"""The one wording of a match's reasons: the engine's findings in Vietnamese and English."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from matchmaking.engine import ListingTable, explain, match_one
from matchmaking.engine.records import COUNT, MASS, VOLUME
from matchmaking.engine.synthetic import province_index
from matchmaking.explanations import format_quantity, word
from matchmaking.tests.test_engine_filters import CAT, context, demand, supply


def worded(s_over=None, d_over=None, lang="vi", **config):
    ctx = context(**config)
    supplies = ListingTable.from_records([supply(**(s_over or {}))])
    demands = ListingTable.from_records([demand(**(d_over or {}))])
    result = match_one(demands, "demand", supplies, ctx)
    with translation.override(lang):
        return {
            e["factor"]: word(e)["detail"] for e in explain(result.row(0), supplies, demands, ctx)
        }


def both(s_over=None, d_over=None, **config):
    return worded(s_over, d_over, "vi", **config), worded(s_over, d_over, "en", **config)


def test_same_province_in_vietnamese_and_english():
    daklak = province_index("Đắk Lắk")
    vi, en = both({"province": daklak}, {"province": daklak})
    assert vi["distance"] == "Cùng tỉnh Đắk Lắk"
    assert en["distance"] == "Same province: Dak Lak"
    hcmc = province_index("Hồ Chí Minh")
    assert (
        worded({"province": hcmc}, {"province": hcmc})["distance"] == "Cùng thành phố Hồ Chí Minh"
    )


def test_distance_names_both_provinces():
    vi, en = both()
    assert vi["distance"].startswith("Khoảng ")
    assert vi["distance"].endswith(" km (Đắk Lắk → Hồ Chí Minh)")
    assert en["distance"].endswith(" km (Dak Lak → Ho Chi Minh City)")


def test_programme_is_named():
    vi, en = both()
    assert vi["programme"] == "Cả hai thuộc chương trình hợp tác TP.HCM – Tây Nguyên"
    assert "HCMC – Central Highlands" in en["programme"]
    assert "chưa cùng" in worded({"province": province_index("Khánh Hòa")})["programme"]


def test_quantity_speaks_in_tonnes():
    vi, en = both()
    assert vi["quantity"].startswith("Cung cấp đủ 100% nhu cầu (20 tấn)")
    assert en["quantity"].startswith("Covers 100% of the demand (20 tonnes)")
    vi, en = both({"qty": 8_000.0}, {"min_order": 0.0})
    assert vi["quantity"].startswith("Đáp ứng 40% nhu cầu 20 tấn")
    assert "suggested 8 tonnes" in en["quantity"]


def test_product_and_price_details():
    vi, en = both({}, {"category": CAT.index("Robusta coffee")})
    assert vi["product"].startswith("Cùng loại hàng: Cà phê Robusta")
    assert en["product"].startswith("Same category: Robusta coffee")
    vi, en = both()
    assert "Robusta coffee is a kind of Green coffee" in en["product"]
    assert vi["price"] == "Giá chào từ 40.000 đ/kg, trong mức giá mua tối đa 48.000 đ/kg"
    assert "40,000 VND/kg" in en["price"]
    vi, en = both({"price_min": 52_800.0, "price_max": 60_000.0}, min_score=0.0)
    assert "cao hơn giá mua tối đa 48.000 đ/kg 10%" in vi["price"]
    assert "10% above" in en["price"]
    assert "No price" in worded({"price_min": np.nan, "price_max": np.nan}, lang="en")["price"]


def test_time_and_trust_details():
    vi, en = both()
    assert "61 ngày" in vi["time"]
    assert "100%" in en["time"]
    assert vi["trust"] == "Độ tin cậy: bên bán 80%, bên mua 70%"


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
    with translation.override("vi"):
        assert format_quantity(qty, dim) == vi
    with translation.override("en"):
        assert format_quantity(qty, dim) == en


def test_an_officers_note_is_worded_when_read_and_older_written_items_kept():
    note = {"factor": "officer", "value": 1.0, "weight": 0.0, "detail": "Gặp tại hội nghị"}
    with translation.override("en"):
        assert word(note)["detail"] == "Introduced by a trade-promotion officer. Gặp tại hội nghị"
    with translation.override("vi"):
        assert word(note)["detail"] == "Cán bộ xúc tiến thương mại giới thiệu. Gặp tại hội nghị"
    older = {**note, "detail": "Cán bộ giới thiệu.", "detail_en": "An officer introduced it."}
    with translation.override("en"):
        assert word(older)["detail"] == "An officer introduced it."


def test_a_finding_that_cannot_be_worded_leaves_the_detail_empty():
    assert word({"factor": "price", "value": 0.5, "weight": 0.1, "case": "", "args": {}}) == {
        "factor": "price",
        "value": 0.5,
        "weight": 0.1,
        "detail": "",
    }
