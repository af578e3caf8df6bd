"""Score factors of the matching engine; no database."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matchmaking.benchmarks.geography import province_index
from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import FACTORS, ListingTable, match_full, match_one, pair_factors
from matchmaking.engine.factors import (
    distance_factor,
    price_factor,
    quantity_factor,
    time_factor,
    trust_score,
)
from matchmaking.engine.text import listing_text, signature
from matchmaking.tests.factories import CAT, TODAY, engine_pair
from matchmaking.tests.factories import demand_record as demand
from matchmaking.tests.factories import engine_context as context
from matchmaking.tests.factories import supply_record as supply

# Base quantities as the caller converts them: tấn = 1000 kg, tạ = 100 kg, yến = 10 kg.
KG_PER = {"tấn": 1000.0, "tạ": 100.0, "yến": 10.0, "kg": 1.0}


def factors_of(s_over=None, d_over=None, **config) -> dict[str, float]:
    supplies, demands, ctx = engine_pair(s_over, d_over, **config)
    row = pair_factors(supplies, demands, np.array([0]), np.array([0]), ctx)[0]
    return dict(zip(FACTORS, row.tolist(), strict=True))


def sig(*texts: str):
    return signature(listing_text(*texts))


# --- product -------------------------------------------------------------------------------


def test_product_fit_ranks_same_product_over_same_category_over_subcategory():
    robusta = CAT.index("Robusta coffee")
    same_product = factors_of({"product": 7}, {"category": robusta, "product": 7})["product"]
    same_category = factors_of({}, {"category": robusta})["product"]
    subcategory = factors_of({}, {"category": CAT.index("Green coffee")})["product"]
    assert same_product > same_category > subcategory


def test_product_fit_structural_part_with_text_share_zero():
    robusta = CAT.index("Robusta coffee")
    f = factors_of({"product": 7}, {"category": robusta, "product": 7}, text_share=0.0)
    assert f["product"] == pytest.approx(1.0)
    assert factors_of({}, {"category": robusta}, text_share=0.0)["product"] == pytest.approx(0.85)
    green = CAT.index("Green coffee")
    assert factors_of({}, {"category": green}, text_share=0.0)["product"] == pytest.approx(0.7)


@pytest.mark.parametrize(
    "buyer_title",
    ["Cần mua cà phê Robusta", "can mua ca phe robusta", "Robusta coffee wanted", "Cà phê vối"],
)
def test_names_in_vietnamese_unaccented_or_english_score_alike(buyer_title):
    robusta = CAT.index("Robusta coffee")
    s_sig = sig("Cà phê Robusta", "Cà phê Robusta", "Robusta coffee")
    d_over = {"category": robusta, "name_sig": sig(buyer_title)}
    named = factors_of({"name_sig": s_sig}, d_over)["product"]
    unrelated = factors_of({"name_sig": s_sig}, {**d_over, "name_sig": sig("Tôm sú")})["product"]
    assert named >= 0.85 * 0.8 + 0.2 * 0.6
    assert named > unrelated


# --- quantity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("supply_qty", "supply_unit", "demand_qty", "demand_unit", "expected"),
    [
        (20, "tấn", 20_000, "kg", 1.0),
        (200, "tạ", 20, "tấn", 1.0),
        (1000, "yến", 20, "tấn", 0.5),
        (5, "tấn", 200, "tạ", 0.25),
        (30, "tấn", 20, "tấn", 1.0),
        (750, "kg", 75, "yến", 1.0),
    ],
)
def test_quantity_fit_is_coverage_after_unit_conversion(
    supply_qty, supply_unit, demand_qty, demand_unit, expected
):
    s_kg = supply_qty * KG_PER[supply_unit]
    d_kg = demand_qty * KG_PER[demand_unit]
    got = factors_of({"qty": s_kg, "min_order": 0.0}, {"qty": d_kg, "min_order": 0.0})
    assert got["quantity"] == pytest.approx(expected)


def test_quantity_fit_is_monotone_in_coverage_and_bounded():
    s = np.array([0.0, 1.0, 5.0, 10.0, 20.0, 1e6])
    values = quantity_factor(s, 10.0)
    assert np.all(np.diff(values) >= 0)
    assert values[0] == 0.0
    assert values[-1] == 1.0


def test_quantity_fit_uses_the_capacity_left_after_other_proposals():
    supplies = ListingTable.from_records([supply()])
    demands = ListingTable.from_records([demand()])
    ctx = context()
    result = match_one(demands, "demand", supplies, ctx, already_promised=np.array([15_000.0]))
    assert result.factors[0][FACTORS.index("quantity")] == pytest.approx(0.25)
    assert result.suggested_qty[0] == pytest.approx(5_000.0)


# --- price ---------------------------------------------------------------------------------


def test_price_fit_is_one_when_ranges_meet_or_a_price_is_missing():
    assert price_factor(45_000, 48_000) == 1.0
    assert price_factor(48_000, 48_000) == 1.0
    assert price_factor(30_000, 48_000) == 1.0  # cheaper than the buyer expects: still a deal
    assert price_factor(np.nan, 48_000) == 1.0
    assert price_factor(45_000, np.nan) == 1.0


def test_price_fit_falls_with_the_gap_and_is_zero_beyond_half():
    gaps = np.array([0.0, 0.1, 0.25, 0.4, 0.5, 0.8])
    values = price_factor(100.0 * (1 + gaps), 100.0)
    assert values.tolist() == pytest.approx([1.0, 0.8, 0.5, 0.2, 0.0, 0.0])


def test_price_fit_reads_the_lowest_ask_and_the_highest_offer():
    f = factors_of(
        {"price_min": 50_000.0, "price_max": 60_000.0},
        {"price_min": 30_000.0, "price_max": 50_000.0},
    )
    assert f["price"] == 1.0
    f = factors_of({"price_min": np.nan, "price_max": 55_000.0}, {"price_max": 50_000.0})
    assert f["price"] == pytest.approx(0.8)


# --- distance and programme ----------------------------------------------------------------


def test_distance_fit_is_one_in_the_same_province_and_never_zero():
    assert distance_factor(0.0) == 1.0
    assert distance_factor(1500.0) == pytest.approx(0.2)
    assert distance_factor(3000.0) > 0


def test_distance_fit_decreases_with_distance_from_the_buyer():
    ctx = context()
    buyer = province_index("Hồ Chí Minh")
    order = ["Hồ Chí Minh", "Đồng Nai", "Lâm Đồng", "Đắk Lắk", "Đà Nẵng", "Hà Nội", "Lai Châu"]
    km = [ctx.distance_km[province_index(p), buyer] for p in order]
    assert km == sorted(km)
    values = [
        factors_of({"province": province_index(p)}, {"province": buyer})["distance"] for p in order
    ]
    assert values[0] == 1.0
    assert all(a > b for a, b in itertools.pairwise(values))
    assert 250 < ctx.distance_km[province_index("Đắk Lắk"), buyer] < 350
    assert 1100 < ctx.distance_km[province_index("Hà Nội"), buyer] < 1250


def test_programme_bonus_needs_both_provinces_in_a_common_programme():
    hcmc = province_index("Hồ Chí Minh")
    assert (
        factors_of({"province": province_index("Đắk Lắk")}, {"province": hcmc})["programme"] == 1.0
    )
    assert (
        factors_of({"province": province_index("Khánh Hòa")}, {"province": hcmc})["programme"]
        == 0.0
    )


def test_programme_bonus_lifts_the_score_of_an_otherwise_equal_pair():
    ctx = context(weights={"programme": 0.5, "product": 0.5}, min_score=0.0)
    hcmc = province_index("Hồ Chí Minh")
    supplies = ListingTable.from_records(
        [
            supply(id=1, province=province_index("Đắk Lắk")),  # HCMC – Central Highlands
            supply(id=3, province=province_index("Khánh Hòa")),  # no programme with HCMC
        ]
    )
    demands = ListingTable.from_records([demand(province=hcmc)])
    result = match_one(demands, "demand", supplies, ctx)
    assert result.supply_id.tolist() == [1, 3]
    assert result.score[0] - result.score[1] == pytest.approx(0.5, abs=1e-3)


# --- time and trust ------------------------------------------------------------------------


def test_time_fit_is_the_share_of_the_demands_remaining_window():
    today = 100
    assert time_factor(90, 200, 100, 159, today) == 1.0
    assert time_factor(130, 200, 100, 159, today) == pytest.approx(0.5)
    # Days before today do not count for either side.
    assert time_factor(50, 129, 50, 159, today) == pytest.approx(0.5)
    assert time_factor(160, 200, 100, 159, today) == 0.0


def test_trust_score_rewards_verification_ocop_and_accepted_history():
    newcomer = trust_score(False, 0, 0, 0)
    assert newcomer == pytest.approx(0.35)
    assert trust_score(True, 0, 0, 0) == pytest.approx(0.70)
    assert trust_score(True, 5, 10, 0) == pytest.approx(0.975)
    assert trust_score(True, 4, 0, 0) > trust_score(True, 3, 0, 0) > trust_score(True, 0, 0, 0)
    assert trust_score(False, 0, 10, 0) > newcomer > trust_score(False, 0, 0, 10)
    for args in [(True, 5, 1000, 0), (False, 0, 0, 1000), (True, 7, -3, -1)]:
        assert 0.0 <= trust_score(*args) <= 1.0


def test_trust_factor_is_the_mean_of_both_sides():
    assert factors_of({"trust": 0.9}, {"trust": 0.5})["trust"] == pytest.approx(0.7)


# --- the whole score -----------------------------------------------------------------------


def test_score_is_the_weighted_sum_and_weights_are_normalised():
    ctx = context(weights={f: 2.0 for f in FACTORS})
    supplies = ListingTable.from_records([supply()])
    demands = ListingTable.from_records([demand()])
    result = match_full(supplies, demands, ctx)
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.score[0] == pytest.approx(result.factors[0].mean(), abs=1e-6)


def test_pairs_below_min_score_are_dropped():
    supplies = ListingTable.from_records([supply()])
    demands = ListingTable.from_records([demand()])
    score = match_full(supplies, demands, context())
    assert len(score) == 1
    high = context(min_score=float(score.score[0]) + 0.01)
    assert len(match_full(supplies, demands, high)) == 0
    assert len(match_one(demands, "demand", supplies, high)) == 0


def test_every_factor_is_in_unit_interval_on_a_market():
    supplies, demands, ctx = synthetic_market(400, 400, seed=5)
    result = match_full(supplies, demands, ctx)
    assert len(result) > 0
    assert (result.factors >= 0).all()
    assert (result.factors <= 1).all()
    assert (result.score >= ctx.config.min_score - 1e-6).all()
    assert (result.score <= 1 + 1e-6).all()


def test_same_titles_in_three_spellings_share_a_signature():
    titles = ["Cà phê Robusta", "ca phe robusta", "Robusta coffee"]
    assert len({sig(t) for t in titles}) == 1
    s_over = {"name_sig": sig("Sầu riêng Ri6")}
    assert factors_of(s_over, {"category": CAT.index("Robusta coffee")})["product"] < 0.85
    assert TODAY > 0
