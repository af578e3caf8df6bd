"""Hard filters of the matching engine, each on its own; no database."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matchmaking.benchmarks.market import cert_bit
from matchmaking.engine import (
    FILTERS,
    failed_filters,
    match_full,
    match_one,
)
from matchmaking.engine.records import VOLUME, declined_keys
from matchmaking.tests.factories import CAT, TODAY
from matchmaking.tests.factories import engine_pair as pair


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
