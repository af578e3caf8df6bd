"""Hard filters of the matching engine, each on its own; no database."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaking.benchmarks.catalogue import build_catalogue
from matchmaking.benchmarks.geography import province_index
from matchmaking.benchmarks.market import build_context, cert_bit, synthetic_market
from matchmaking.engine import (
    FILTERS,
    ListingTable,
    failed_filters,
    hard_filter_mask,
    match_full,
    match_one,
)
from matchmaking.engine.full import candidates
from matchmaking.engine.records import MASS, VOLUME, declined_keys
from matchmaking.engine.text import listing_text, signature

CAT = build_catalogue()
TODAY = 740_000


def context(**config):
    ctx = build_context(CAT, today=TODAY)
    if config:
        ctx.config = dataclasses.replace(ctx.config, **config)
    return ctx


def supply(**over) -> dict:
    row = {
        "id": 1,
        "org": 10,
        "category": CAT.index("Robusta coffee"),
        "product": -1,
        "province": province_index("Đắk Lắk"),
        "dimension": MASS,
        "qty": 20_000.0,
        "min_order": 1_000.0,
        "price_min": 40_000.0,
        "price_max": 45_000.0,
        "start": TODAY - 10,
        "end": TODAY + 100,
        "certs": cert_bit("vietgap") | cert_bit("haccp"),
        "ocop": 4,
        "trust": 0.8,
        "name_sig": signature(listing_text("Cà phê Robusta Đắk Lắk", "Robusta coffee")),
        "open": True,
    }
    row.update(over)
    return row


def demand(**over) -> dict:
    row = {
        "id": 2,
        "org": 20,
        "category": CAT.index("Green coffee"),
        "product": -1,
        "province": province_index("Hồ Chí Minh"),
        "dimension": MASS,
        "qty": 20_000.0,
        "min_order": 5_000.0,
        "price_min": 42_000.0,
        "price_max": 48_000.0,
        "start": TODAY,
        "end": TODAY + 60,
        "certs": cert_bit("vietgap"),
        "ocop": 3,
        "trust": 0.7,
        "name_sig": signature(listing_text("Thu mua cà phê nhân", "Green coffee")),
        "open": True,
    }
    row.update(over)
    return row


def pair(s_over=None, d_over=None, **config):
    ctx = context(**config)
    supplies = ListingTable.from_records([supply(**(s_over or {}))])
    demands = ListingTable.from_records([demand(**(d_over or {}))])
    return supplies, demands, ctx


def proposed(supplies, demands, ctx, promised=None) -> bool:
    """Whether each entry point proposes the single pair; they must agree."""
    full = match_full(supplies, demands, ctx, already_promised=promised)
    one_d = match_one(demands, "demand", supplies, ctx, already_promised=promised)
    one_s = match_one(
        supplies, "supply", demands, ctx, already_promised=None if promised is None else promised
    )
    got = {len(full) == 1, len(one_d) == 1, len(one_s) == 1}
    assert len(got) == 1, "match_full and match_one disagree"
    return got.pop()


def test_the_base_pair_passes_every_filter_and_is_proposed():
    supplies, demands, ctx = pair()
    assert failed_filters(supplies, demands, 0, 0, ctx) == []
    assert proposed(supplies, demands, ctx)


@pytest.mark.parametrize(
    ("s_over", "d_over", "failed"),
    [
        ({"open": False}, {}, "open"),
        ({}, {"open": False}, "open"),
        ({"org": 20}, {}, "organization"),
        (
            {"category": CAT.index("Arabica coffee")},
            {"category": CAT.index("Robusta coffee")},
            "product",
        ),
        # One way only: a generic coffee supply does not answer a demand for robusta.
        (
            {"category": CAT.index("Green coffee")},
            {"category": CAT.index("Robusta coffee")},
            "product",
        ),
        ({"category": CAT.index("Durian")}, {}, "product"),
        ({"dimension": VOLUME}, {}, "dimension"),
        ({"start": TODAY + 61, "end": TODAY + 200}, {}, "window"),
        ({}, {"certs": cert_bit("organic")}, "certifications"),
        ({}, {"certs": cert_bit("vietgap") | cert_bit("globalgap")}, "certifications"),
        ({"ocop": 0}, {}, "ocop"),
        ({}, {"ocop": 5}, "ocop"),
        ({"min_order": 25_000.0}, {}, "supply_min_order"),
        ({"qty": 4_000.0}, {}, "demand_min_order"),
    ],
)
def test_each_filter_alone_blocks_the_pair(s_over, d_over, failed):
    supplies, demands, ctx = pair(s_over, d_over)
    assert failed_filters(supplies, demands, 0, 0, ctx) == [failed]
    assert not proposed(supplies, demands, ctx)


def test_a_window_overlap_that_ended_before_today_blocks_the_pair():
    # Both windows overlap, but only in the past; the open-listing check would also drop the
    # listings, so test the filter itself.
    supplies, demands, ctx = pair(
        {"start": TODAY - 100, "end": TODAY - 5}, {"start": TODAY - 50, "end": TODAY + 30}
    )
    assert failed_filters(supplies, demands, 0, 0, ctx) == ["window"]
    assert not proposed(supplies, demands, ctx)


def test_demand_category_accepts_supplies_from_its_whole_subtree():
    for category in ("Coffee", "Green coffee", "Robusta coffee"):
        supplies, demands, ctx = pair({}, {"category": CAT.index(category)})
        assert proposed(supplies, demands, ctx), category


def test_same_product_is_compatible_even_outside_the_category_subtree():
    # The supplier filed the product under the broad family, the buyer under the kind.
    s_over = {"category": CAT.index("Coffee"), "product": 77}
    supplies, demands, ctx = pair(s_over, {"category": CAT.index("Robusta coffee"), "product": 77})
    assert failed_filters(supplies, demands, 0, 0, ctx) == []
    assert proposed(supplies, demands, ctx)
    supplies, demands, ctx = pair(s_over, {"category": CAT.index("Robusta coffee"), "product": 78})
    assert failed_filters(supplies, demands, 0, 0, ctx) == ["product"]


def test_no_ocop_requirement_accepts_a_supply_without_stars():
    supplies, demands, ctx = pair({"ocop": 0}, {"ocop": 0})
    assert proposed(supplies, demands, ctx)


def test_capacity_already_promised_counts_against_the_buyers_minimum_lot():
    supplies, demands, ctx = pair()
    promised = np.array([16_000.0])  # 4 t left, the buyer takes lots of 5 t
    assert failed_filters(supplies, demands, 0, 0, ctx, capacity=supplies.qty - promised) == [
        "demand_min_order"
    ]
    assert not proposed(supplies, demands, ctx, promised)
    assert proposed(supplies, demands, ctx, np.array([10_000.0]))


def test_declined_pairs_are_never_proposed_again():
    supplies, demands, ctx = pair()
    ctx.declined = declined_keys([(1, 2)])
    assert failed_filters(supplies, demands, 0, 0, ctx) == ["declined"]
    assert not proposed(supplies, demands, ctx)


def test_context_accepts_declined_pairs_as_a_set_of_tuples():
    supplies, demands, ctx = pair()
    ctx = dataclasses.replace(ctx, declined={(1, 2), (5, 6)})
    assert failed_filters(supplies, demands, 0, 0, ctx) == ["declined"]


def test_filter_names_are_stable():
    assert FILTERS == (
        "open", "organization", "product", "dimension", "window", "certifications", "ocop",
        "quantity", "supply_min_order", "demand_min_order", "declined",
    )  # fmt: skip


@pytest.mark.parametrize("seed", [3, 4])
def test_block_kernel_keeps_exactly_the_pairs_the_reference_filters_pass(seed):
    supplies, demands, ctx = synthetic_market(250, 300, seed=seed, declined_share=0.05)
    keys = ctx.declined
    # Also decline some pairs that would otherwise match, so the kernel's patching is tested.
    ctx.declined = np.union1d(keys, (supplies.id[:40].astype(np.int64) << 32) | demands.id[:40])
    # Keep everything: no score floor, no per-listing pruning.
    ctx.config = dataclasses.replace(
        ctx.config, min_score=0.0, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    S, D, d_pos, s_pos, _score, _ = candidates(supplies, demands, ctx, supplies.qty.copy())
    got = set(zip(S.rows[s_pos].tolist(), D.rows[d_pos].tolist(), strict=True))
    s_all, d_all = np.meshgrid(np.arange(len(supplies)), np.arange(len(demands)), indexing="ij")
    ok = hard_filter_mask(supplies, demands, s_all.ravel(), d_all.ravel(), ctx)
    want = set(zip(s_all.ravel()[ok].tolist(), d_all.ravel()[ok].tolist(), strict=True))
    assert want, "the market should have some matchable pairs"
    assert got == want


def test_block_kernel_finds_same_product_pairs_across_categories():
    supplies, demands, ctx = synthetic_market(300, 300, seed=6)
    # Some suppliers file a product under its family, outside the buyers' kind subtree.
    rng = np.random.default_rng(0)
    moved = (supplies.product >= 0) & (rng.random(len(supplies)) < 0.5)
    supplies.category[moved] = ctx.tree.parent[ctx.tree.parent[supplies.category[moved]]]
    ctx.config = dataclasses.replace(
        ctx.config, min_score=0.0, candidates_per_demand=10**6, candidates_per_supply=10**6
    )
    S, D, d_pos, s_pos, _score, _stats = candidates(supplies, demands, ctx, supplies.qty.copy())
    got = set(zip(S.rows[s_pos].tolist(), D.rows[d_pos].tolist(), strict=True))
    s_all, d_all = np.meshgrid(np.arange(len(supplies)), np.arange(len(demands)), indexing="ij")
    ok = hard_filter_mask(supplies, demands, s_all.ravel(), d_all.ravel(), ctx)
    want = set(zip(s_all.ravel()[ok].tolist(), d_all.ravel()[ok].tolist(), strict=True))
    across = {
        (s, d) for s, d in want if not ctx.tree.is_within(supplies.category[s], demands.category[d])
    }
    assert across, "the market should have same-product pairs across categories"
    assert got == want
