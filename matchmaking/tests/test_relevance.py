"""Sharper relevance through the database: a table of demands and the supplies that must rank
first (the demand's words, folded and with synonyms, against the supply's product, category
and title; producers above resellers when the demand asks for producers)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, member_of
from catalog.models import ProductCategory, Unit
from listings import services as listing_services
from matchmaking.explanations import explain_page
from matchmaking.models import Match
from matchmaking.services import matching
from matchmaking.services.relevance import asks_for_producers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def market(actors, reference):
    """Coffee (robusta, arabica) and fruit (durian, avocado, mango) supplies. The misfits are
    nearer to the buyer in HCMC, so without the buyer's words they would rank first."""
    arabica = ProductCategory.objects.create(
        slug="arabica", name="Cà phê Arabica", name_en="Arabica coffee", parent=reference.coffee
    )
    fruit = ProductCategory.objects.create(
        slug="fruit", name="Trái cây", name_en="Fruit", parent=reference.agri
    )
    durian = ProductCategory.objects.create(
        slug="durian-fruit", name="Sầu riêng", name_en="Durian", parent=fruit
    )
    avocado = ProductCategory.objects.create(
        slug="avocado", name="Bơ", name_en="Avocado", parent=fruit
    )
    mango = ProductCategory.objects.create(slug="mango", name="Xoài", name_en="Mango", parent=fruit)
    trader_org = OrganizationFactory(
        name="Công ty Thương mại Tây Nguyên",
        kind=Organization.Kind.DISTRIBUTOR,
        province=reference.daklak,
    )
    trader = member_of(trader_org)
    s = {}

    def supply(key, title, category, province, org=None, user=None):
        s[key] = _listing(
            org or actors.supplier_org, user or actors.supplier, "supply", title, category, province
        )

    supply("robusta", "Cà phê nhân xô Ea Tu", reference.robusta, reference.daklak)
    supply("arabica", "Cà phê Cầu Đất", arabica, reference.hcmc)
    supply("robusta_resold", "Cà phê nhân xô Ea Tu", reference.robusta, reference.daklak,
           trader_org, trader)  # fmt: skip
    supply("durian", "Sầu riêng Ri6", durian, reference.daklak)
    supply("avocado", "Bơ 034", avocado, reference.daklak)
    supply("mango", "Xoài cát Hòa Lộc", mango, reference.hcmc)
    return {"supplies": s, "fruit": fruit, "coffee": reference.coffee}


def _listing(org, user, side, title, category, province, description="", days=60, **fields):
    today = timezone.localdate()
    values = {
        "quantity": Decimal("20") if side == "supply" else Decimal("2"),
        "price_min": 40_000_000,
        "price_max": 45_000_000,
        **fields,
    }
    return listing_services.listing_create(
        organization=org,
        side=side,
        by_user=user,
        title=title,
        description=description,
        category=category,
        unit=Unit.objects.get(code="tonne"),
        province=province,
        available_from=today,
        available_until=today + datetime.timedelta(days=days),
        status="open",
        certifications=[],
        **values,
    )


# (demand title, description, category key, supplies that must come first, then the rest in
# any order but below every one of them)
TABLE = [
    ("Robusta only", "", "coffee", [{"robusta", "robusta_resold"}], {"arabica"}),
    ("Cần mua cà phê vối", "", "coffee", [{"robusta", "robusta_resold"}], {"arabica"}),
    ("sầu riêng và bơ", "", "fruit", [{"durian", "avocado"}], {"mango"}),
    ("Durian and avocado", "", "fruit", [{"durian", "avocado"}], {"mango"}),
    (
        "Cà phê Robusta",
        "Mua trực tiếp từ nhà sản xuất/HTX, không qua trung gian",
        "coffee",
        [{"robusta"}, {"robusta_resold"}],
        {"arabica"},
    ),
    ("Robusta coffee, producer only", "", "coffee", [{"robusta"}, {"robusta_resold"}], {"arabica"}),
]


@pytest.mark.parametrize(("title", "description", "category", "first", "below"), TABLE)
def test_demands_rank_the_supplies_their_words_ask_for_first(
    actors, reference, market, title, description, category, first, below
):
    demand = _listing(
        actors.buyer_org,
        actors.buyer,
        "demand",
        title,
        market[category],
        reference.hcmc,
        description,
    )
    matching.match_listing(listing_id=demand.pk)
    ids = {v.pk: k for k, v in market["supplies"].items()}
    ranked = [
        (ids[m.supply_id], m.score) for m in Match.objects.filter(demand=demand).order_by("-score")
    ]
    names = [name for name, _ in ranked]
    position = 0
    for group in first:
        got = set(names[position : position + len(group)])
        assert got == group, (title, ranked)
        position += len(group)
    assert below <= set(names[position:]), (title, ranked)


def test_without_words_beyond_the_category_the_nearer_supply_still_wins(actors, reference, market):
    demand = _listing(actors.buyer_org, actors.buyer, "demand", "Cần mua cà phê", reference.coffee,
                      reference.hcmc)  # fmt: skip
    matching.match_listing(listing_id=demand.pk)
    best = Match.objects.filter(demand=demand).order_by("-score").first()
    assert best.supply_id == market["supplies"]["arabica"].pk


def test_the_reasons_say_what_the_buyer_asked_for(actors, reference, market):
    demand = _listing(actors.buyer_org, actors.buyer, "demand", "Robusta only", reference.coffee,
                      reference.hcmc)  # fmt: skip
    matching.match_listing(listing_id=demand.pk)
    arabica = Match.objects.get(demand=demand, supply=market["supplies"]["arabica"])
    robusta = Match.objects.get(demand=demand, supply=market["supplies"]["robusta"])
    with translation.override("en"):
        page = explain_page([arabica, robusta])
    product = {pk: next(i for i in items if i["factor"] == "product") for pk, items in page.items()}
    assert "asked for robusta and this offer names none of it" in product[arabica.pk]["detail"]
    assert "Names what the buyer asked for: robusta" in product[robusta.pk]["detail"]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Mua trực tiếp từ nhà sản xuất", True),
        ("mua truc tiep tu HTX", True),
        ("Producer only, no traders", True),
        ("Cần mua cà phê nhân", False),
        ("Hàng xuất khẩu", False),
    ],
)
def test_how_a_demand_asks_for_producers(text, asks):
    assert asks_for_producers(text) is asks


# Strict intent: a strong misfit against a weak fit, through both paths. The fit is far, dear,
# small and short-lived; the misfit is in the buyer's city, at its price, for as long and as
# much as it wants, so that even × 0.6 it scores above the fit: only the rule orders them.
STRICT = [
    ("Robusta only", "coffee", "weak_robusta", "strong_arabica"),
    ("sầu riêng và bơ", "fruit", "weak_durian", "strong_mango"),
]


@pytest.fixture
def contest(actors, reference, market):
    def supply(title, category, province, *, weak):
        # weak: 6 t for 12 days at a third above the buyer's price; strong: all it wants
        return _listing(
            actors.supplier_org, actors.supplier, "supply", title, category, province,
            days=12 if weak else 90, quantity=Decimal("6") if weak else Decimal("50"),
            price_min=60_000_000 if weak else 38_000_000,
            price_max=62_000_000 if weak else 40_000_000,
        )  # fmt: skip

    fruit = market["fruit"]
    arabica = ProductCategory.objects.get(slug="arabica")
    return {
        "weak_robusta": supply("Cà phê nhân Robusta", reference.robusta, reference.daklak,
                               weak=True),
        "strong_arabica": supply("Cà phê Arabica Cầu Đất", arabica, reference.hcmc, weak=False),
        "weak_durian": supply("Sầu riêng Monthong", fruit.children.get(slug="durian-fruit"),
                              reference.daklak, weak=True),
        "strong_mango": supply("Xoài cát chu", fruit.children.get(slug="mango"), reference.hcmc,
                               weak=False),
    }  # fmt: skip


def _strict_demand(actors, reference, market, title, category):
    return _listing(actors.buyer_org, actors.buyer, "demand", title, market[category],
                    reference.hcmc, quantity=Decimal("40"))  # fmt: skip


def _run(path: str, demand) -> None:
    from matchmaking.services import rematch

    if path == "single listing":
        matching.match_listing(listing_id=demand.pk)
    else:
        Match.objects.all().delete()
        rematch.start_full_rematch()


@pytest.mark.parametrize("path", ["single listing", "full re-match"])
@pytest.mark.parametrize(("title", "category", "fit", "misfit"), STRICT)
def test_a_fitting_supply_ranks_above_a_stronger_misfit(
    actors, reference, market, contest, path, title, category, fit, misfit
):
    demand = _strict_demand(actors, reference, market, title, category)
    _run(path, demand)
    ids = {v.pk: k for k, v in {**market["supplies"], **contest}.items()}
    listed = list(Match.objects.filter(demand=demand))  # the model's ranking, as pages list them
    names = [ids[m.supply_id] for m in listed]
    score = {ids[m.supply_id]: m.score for m in listed}
    assert score[misfit] > score[fit], score  # by score alone the misfit would come first
    assert names.index(fit) < names.index(misfit), names
    off = [m.off_intent for m in listed]
    assert off == sorted(off), names  # every fitting proposal before every misfit
    assert any(off) and all(0 < m.score <= 1 for m in listed)  # the score keeps its meaning


@pytest.mark.parametrize("path", ["single listing", "full re-match"])
@pytest.mark.parametrize(("title", "category", "fit", "misfit"), STRICT)
def test_one_slot_goes_to_the_fitting_supply(
    actors, reference, market, contest, settings, path, title, category, fit, misfit
):
    # One proposal per demand, and no pool to fill the rest (pools: ``test_engine_pools``).
    settings.MATCHING = {**settings.MATCHING, "MAX_PER_DEMAND": 1, "POOLS": False}
    demand = _strict_demand(actors, reference, market, title, category)
    _run(path, demand)
    proposed = Match.objects.filter(demand=demand)
    assert proposed.count() == 1
    assert proposed.get().off_intent is False
    assert proposed.get().supply_id != contest[misfit].pk


def test_a_new_fitting_supply_displaces_an_unanswered_misfit_on_a_full_demand(
    actors, reference, settings
):
    settings.MATCHING = {**settings.MATCHING, "MAX_PER_DEMAND": 1, "POOLS": False}
    arabica = ProductCategory.objects.create(
        slug="arabica", name="Cà phê Arabica", name_en="Arabica coffee", parent=reference.coffee
    )
    strong = _listing(actors.supplier_org, actors.supplier, "supply", "Cà phê Arabica Cầu Đất",
                      arabica, reference.hcmc)  # fmt: skip
    demand = _listing(actors.buyer_org, actors.buyer, "demand", "Robusta only", reference.coffee,
                      reference.hcmc)  # fmt: skip
    matching.match_listing(listing_id=demand.pk)
    first = Match.objects.get(demand=demand)
    assert (first.supply_id, first.off_intent) == (strong.pk, True)  # the only one on offer
    weak = _listing(actors.outsider_org, actors.outsider, "supply", "Cà phê vối Lâm Đồng",
                    reference.robusta, reference.lamdong, days=12, price_min=50_000_000,
                    price_max=52_000_000)  # fmt: skip
    matching.match_listing(listing_id=weak.pk)
    pending = Match.objects.filter(demand=demand, status__in=Match.PENDING_STATUSES)
    assert [(m.supply_id, m.off_intent) for m in pending] == [(weak.pk, False)]
    first.refresh_from_db()
    assert first.status == Match.Status.WITHDRAWN  # audited, both sides told
    assert first.transitions.filter(to_status=Match.Status.WITHDRAWN).exists()
