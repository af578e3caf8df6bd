"""Reading matches words the reasons from what the run stored (factor values and facts): no
engine table is built, the market a worker keeps is not touched, nothing is written, and the
queries do not grow with the market."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from listings.models import Listing
from matchmaking import engine
from matchmaking.explanations import word
from matchmaking.models import Match
from matchmaking.services import market as market_service
from matchmaking.services.explain import explain_matches, run_weights, stored_values
from matchmaking.services.facts import FACT_KEYS
from matchmaking.services.market import build_table
from matchmaking.services.reference import load_reference
from matchmaking.tests.factories import (
    MatchFactory,
    buyer_orgs,
    demand_listing,
    supply_listing,
)
from matchmaking.tests.test_read_path import MAX_QUERIES, _writes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_read_computed(settings):
    """These tests count what computing a read costs; a repeated read served from the read
    cache is tested in ``test_read_cache.py``."""
    settings.READ_CACHE_SECONDS = 0


@contextlib.contextmanager
def engine_forbidden(monkeypatch):
    """Building an engine table or using the worker's market fails the test."""

    def refuse(*args, **kwargs):
        pytest.fail("a read built an engine table or touched the market")

    with monkeypatch.context() as patch:
        patch.setattr(market_service, "build_table", refuse)
        patch.setattr(market_service.MarketCache, "get", refuse)
        patch.setattr(engine, "explain", refuse)
        market_service.clear_caches()
        yield
    assert market_service._market == {}  # no market was created in this process


def build(actors, reference, mine: int, others: int, prefix: str = "Chợ") -> list[Match]:
    """``mine`` proposals of the supplier's supply; ``others`` more listings and proposals
    between other organizations (the rest of the market, invisible to the supplier)."""
    supply = supply_listing(actors, reference)
    orgs = buyer_orgs(mine, reference)
    matches = [
        MatchFactory(
            supply=supply,
            demand=demand_listing(actors, reference, organization=org, title=f"Cần mua {i}"),
        )
        for i, org in enumerate(orgs)
    ]
    for i, org in enumerate(buyer_orgs(others, reference, prefix=prefix)):
        other_supply = supply_listing(actors, reference, organization=org, title=f"Cà phê {i}")
        other_demand = demand_listing(actors, reference, organization=org, title=f"Cần {i}")
        MatchFactory(supply=other_supply, demand=other_demand)
    return matches


READS = {
    "api_list": lambda m: "/api/v1/matches/?page_size=30",
    "api_detail": lambda m: f"/api/v1/matches/{m.pk}/",
    "inbox": lambda m: reverse("matchmaking:inbox"),
    "detail": lambda m: reverse("matchmaking:detail", args=[m.pk]),
}


def _get(kind, api, client, actors, match, django_assert_max_num_queries):
    url = READS[kind](match)
    http = api.as_user(actors.supplier) if kind.startswith("api") else client
    with django_assert_max_num_queries(MAX_QUERIES[kind]) as queries:
        response = http.get(url)
    assert response.status_code == 200, response.content[:300]
    return response, queries.captured_queries


@pytest.mark.parametrize("kind", list(READS))
def test_reads_build_no_engine_table_and_cost_the_same_in_a_bigger_market(
    kind, api, client, actors, reference, django_assert_max_num_queries, monkeypatch
):
    """The same queries, none of them building the engine's tables, for a small and a bigger
    market around the same page."""
    matches = build(actors, reference, mine=4, others=1)
    client.force_login(actors.supplier)
    _get(kind, api, client, actors, matches[0], django_assert_max_num_queries)  # warm caches
    counts = []
    for grow in (0, 25):
        if grow:  # the market grows; the supplier's page does not
            before = Listing.objects.count()
            build(actors, reference, mine=0, others=grow, prefix="Đại lý")
            assert Listing.objects.count() == before + 2 * grow + 1
        with engine_forbidden(monkeypatch):
            response, queries = _get(
                kind, api, client, actors, matches[0], django_assert_max_num_queries
            )
        counts.append(len(queries))
        assert _writes(queries) == []
        body = response.content.decode()
        # The distance reason is worded from the stored facts (Đắk Lắk → Hồ Chí Minh).
        assert " km (" in body and "Hồ Chí Minh" in body, body[:500]
    assert counts[0] == counts[1], counts


def test_the_stored_findings_are_the_engines(actors, reference):
    """What a read puts together from the stored facts is what the engine says of the pair
    from its tables (checked here with the real engine, outside the read)."""
    match = build(actors, reference, mine=1, others=0)[0]
    _same_as_engine(match)


def test_the_stored_relevance_findings_are_the_engines(actors, reference):
    """A demand whose words ask for a product and for producers: what it asked, whether the
    supply fits and the reseller multiplier come from the stored facts as the engine says."""
    supply = supply_listing(actors, reference, title="Cà phê nhân xô Ea Tu")
    org = buyer_orgs(1, reference)[0]
    demand = demand_listing(
        actors,
        reference,
        organization=org,
        category=reference.coffee,
        title="Cần mua cà phê Robusta trực tiếp từ hợp tác xã",
    )
    match = MatchFactory(supply=supply, demand=demand)
    expected = _same_as_engine(match)
    product = next(i for i in expected if i["factor"] == "product")
    assert product["args"]["intent"]["asked"]  # the test exercises the intent finding


def _same_as_engine(match):
    assert len(match.facts) == len(FACT_KEYS)
    match = (
        Match.objects.select_related(
            "last_run",
            "supply__category",
            "supply__province",
            "supply__product",
            "demand__category",
            "demand__province",
            "demand__product",
        )
    ).get(pk=match.pk)
    with engine_forbidden(pytest.MonkeyPatch()):
        stored = explain_matches([match])[match.pk]

    ref = load_reference()
    supplies = _table(Listing.objects.filter(pk=match.supply_id), ref, "supply")
    demands = _table(Listing.objects.filter(pk=match.demand_id), ref, "demand")
    proposal = engine.records.Proposal(
        supply_idx=0,
        demand_idx=0,
        score=match.score,
        factors=stored_values(match),
        weights=run_weights(match),
        suggested_qty=float(match.suggested_quantity),
    )
    expected = engine.explain(proposal, supplies, demands, ref.context)
    assert [i["factor"] for i in stored] == [i["factor"] for i in expected]
    for got, want in zip(stored, expected, strict=True):
        assert got["case"] == want["case"], (got, want)
        for key, value in want["args"].items():
            if isinstance(value, float):
                assert got["args"][key] == pytest.approx(value, rel=1e-3, abs=1e-3), key
            else:
                assert got["args"][key] == value, (key, got, want)
        with translation.override("en"):
            assert word(got)["detail"] == word(want)["detail"]
    return expected


def _table(queryset, ref, side):
    return build_table(queryset, ref, side=side, keep_signatures=False)


def test_rows_without_facts_show_values_without_sentences(actors, reference):
    match = build(actors, reference, mine=1, others=0)[0]
    Match.objects.filter(pk=match.pk).update(facts=[])
    match.refresh_from_db()
    with engine_forbidden(pytest.MonkeyPatch()):
        items = explain_matches([match])[match.pk]
    assert [i["factor"] for i in items] == list(engine.records.FACTORS)
    assert {i["case"] for i in items} == {""}
    assert items[3]["value"] == 0.4  # the stored distance value


def test_a_run_stores_the_facts_with_the_factors(actors, reference):
    """The upsert writes the facts next to the factor values (here: the listing task)."""
    from matchmaking.services.matching import match_listing
    from matchmaking.tests.factories import matchable_demand, matchable_supply

    supply = matchable_supply(actors, reference)
    demand = matchable_demand(actors, reference)
    Match.objects.all().delete()
    match_listing(listing_id=demand.pk)
    match = Match.objects.get(supply=supply, demand=demand)
    facts = dict(zip(FACT_KEYS, match.facts, strict=True))
    assert facts["need"] == pytest.approx(float(demand.quantity_base))
    assert facts["km"] == 0.0 or facts["km"] > 0
    assert 0 < facts["supplier_trust"] <= 1 and 0 < facts["buyer_trust"] <= 1
    assert facts["days"] >= 1
    assert np.isfinite(match.facts).all()
