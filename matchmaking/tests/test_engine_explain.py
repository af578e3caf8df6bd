"""Explanations of proposed matches as the engine states them: codes and numbers, no words.

The wording in Vietnamese and English is tested in ``test_explanations.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from matchmaking.engine import FACTORS, ListingTable, explain, match_one
from matchmaking.engine.synthetic import province_index, synthetic_market
from matchmaking.tests.test_engine_filters import CAT, context, demand, supply


def explained(s_over=None, d_over=None, **config):
    ctx = context(**config)
    supplies = ListingTable.from_records([supply(**(s_over or {}))])
    demands = ListingTable.from_records([demand(**(d_over or {}))])
    result = match_one(demands, "demand", supplies, ctx)
    assert len(result) == 1
    return {e["factor"]: e for e in explain(result.row(0), supplies, demands, ctx)}


def test_every_factor_is_explained_with_a_case_and_its_numbers():
    supplies, demands, ctx = synthetic_market(300, 300, seed=2)
    from matchmaking.engine import match_full

    result = match_full(supplies, demands, ctx)
    assert len(result) > 20
    for i in range(0, len(result), max(1, len(result) // 20)):
        entries = explain(result.row(i), supplies, demands, ctx)
        assert [e["factor"] for e in entries] == list(FACTORS)
        assert sum(e["weight"] for e in entries) == pytest.approx(1.0, abs=1e-3)
        for e in entries:
            assert 0.0 <= e["value"] <= 1.0
            assert e["case"] and isinstance(e["args"], dict)
            assert not any(k.startswith("detail") for k in e)  # no words in the engine
        score = sum(e["value"] * e["weight"] for e in entries)
        assert score == pytest.approx(float(result.score[i]), abs=2e-3)
        json.dumps(entries)  # plain JSON


def test_same_province_names_it_in_both_languages():
    daklak = province_index("Đắk Lắk")
    e = explained({"province": daklak}, {"province": daklak})["distance"]
    assert (e["case"], e["args"]) == (
        "same",
        {"name": "Đắk Lắk", "name_en": "Dak Lak", "city": False},
    )
    assert e["value"] == 1.0
    hcmc = province_index("Hồ Chí Minh")
    assert explained({"province": hcmc}, {"province": hcmc})["distance"]["args"]["city"]


def test_distance_names_both_provinces():
    e = explained()["distance"]
    assert e["case"] == "apart" and 250 < e["args"]["km"] < 350
    assert (e["args"]["origin"], e["args"]["destination_en"]) == ("Đắk Lắk", "Ho Chi Minh City")
    assert 0.0 < e["value"] < 1.0


def test_programme_is_named():
    e = explained()["programme"]
    assert e["case"] == "shared" and e["args"]["name"] == "TP.HCM – Tây Nguyên"
    assert "HCMC – Central Highlands" in e["args"]["name_en"]
    none = explained({"province": province_index("Khánh Hòa")})["programme"]
    assert (none["value"], none["case"]) == (0.0, "none")


def test_quantity_in_base_units():
    e = explained()["quantity"]
    assert e["case"] == "full" and e["args"]["need"] == 20_000.0
    part = explained({"qty": 8_000.0}, {"min_order": 0.0})["quantity"]
    assert part["case"] == "partial" and part["args"]["cover"] == pytest.approx(0.4)
    assert part["args"]["suggested"] == 8_000.0


def test_product_and_price_cases():
    robusta = CAT.index("Robusta coffee")
    same = explained({}, {"category": robusta})["product"]
    assert same["case"] == "same_category" and same["args"]["name_en"] == "Robusta coffee"
    sub = explained()["product"]
    assert sub["case"] == "subcategory" and sub["args"]["parent_en"] == "Green coffee"
    price = explained()["price"]
    assert (price["case"], price["args"]["low"], price["args"]["high"]) == (
        "within",
        40_000.0,
        48_000.0,
    )
    dear = explained({"price_min": 52_800.0, "price_max": 60_000.0}, min_score=0.0)["price"]
    assert dear["case"] == "above" and dear["args"]["gap"] == 10
    none = explained({"price_min": np.nan, "price_max": np.nan})["price"]
    assert (none["value"], none["case"]) == (1.0, "unknown")


def test_time_and_trust_numbers():
    e = explained()
    assert e["time"]["args"]["days"] == 61 and e["time"]["args"]["share"] == 1.0
    assert e["trust"]["args"] == {"supplier": pytest.approx(0.8), "buyer": pytest.approx(0.7)}
    assert e["trust"]["value"] == pytest.approx(0.75)
