"""Near misses (``matchmaking/services/near_misses.py``, ``matchmaking/engine/near_misses.py``,
``GET /api/v1/listings/{id}/near-misses/``): the counter-listings one or two changes would
match, with each blocking rule in words, counted per rule on the listing page and the inbox."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Unit
from listings.tests.factories import make_listing

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(listing_id) -> str:
    return f"/api/v1/listings/{listing_id}/near-misses/"


@pytest.fixture
def supply(reference, actors):
    """20 t of robusta, VietGAP, 4 OCOP stars, from today for 60 days."""
    return make_listing(
        organization=actors.supplier_org,
        reference=reference,
        certifications=[reference.vietgap],
        ocop_stars=4,
    )


def demand(reference, actors, **overrides):
    return make_listing(
        organization=actors.buyer_org,
        reference=reference,
        side="demand",
        title=overrides.pop("title", "Thu mua cà phê Robusta"),
        quantity=overrides.pop("quantity", Decimal("5")),
        **overrides,
    )


def blocked(api, user, listing, headers=EN):
    response = api.as_user(user).get(url(listing.pk), **headers)
    assert response.status_code == 200, response.content
    return {row["listing"]["id"]: row["blocked_by"] for row in response.json()}


def test_a_missing_certification_blocks(api, reference, actors, supply):
    wants_organic = demand(reference, actors, certifications=[reference.organic])

    rows = blocked(api, actors.supplier, supply)

    assert [b["rule"] for b in rows[wants_organic.pk]] == ["certification"]
    assert "Organic" in rows[wants_organic.pk][0]["detail"]


def test_too_few_ocop_stars_block(api, reference, actors, supply):
    wants_five = demand(reference, actors, min_ocop_stars=5)

    rows = blocked(api, actors.supplier, supply)

    assert rows[wants_five.pk] == [
        {"rule": "ocop_stars", "detail": "Wants OCOP 5★ or more; this supply has 4★."}
    ]


def test_windows_that_do_not_overlap_block(api, reference, actors, supply):
    later = supply.available_until + datetime.timedelta(days=10)
    too_late = demand(
        reference, actors, available_from=later, available_until=later + datetime.timedelta(30)
    )

    rows = blocked(api, actors.supplier, supply)

    assert [b["rule"] for b in rows[too_late.pk]] == ["window"]
    assert "starts on" in rows[too_late.pk][0]["detail"]


def test_a_related_category_blocks_but_an_unrelated_one_is_no_near_miss(api, reference, actors):
    generic_coffee = make_listing(
        organization=actors.supplier_org, reference=reference, category=reference.coffee
    )
    wants_robusta = demand(reference, actors)
    wants_durian = demand(reference, actors, category=reference.durian, title="Sầu riêng")

    rows = blocked(api, actors.supplier, generic_coffee)

    assert [b["rule"] for b in rows[wants_robusta.pk]] == ["category"]
    assert wants_durian.pk not in rows


def test_another_kind_of_unit_blocks(api, reference, actors, supply):
    in_litres = demand(reference, actors, unit=Unit.objects.get(code="l"), quantity=Decimal(500))

    rows = blocked(api, actors.supplier, supply)

    assert [b["rule"] for b in rows[in_litres.pk]] == ["unit_dimension"]


def test_a_minimum_order_blocks(api, reference, actors):
    big_lots = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        min_order_quantity=Decimal("10"),
    )
    small_buyer = demand(reference, actors, quantity=Decimal("5"))

    rows = blocked(api, actors.supplier, big_lots)

    assert rows[small_buyer.pk] == [
        {
            "rule": "min_order",
            "detail": "The supplier sells at least 10 tonne; the buyer needs 5 tonne.",
        }
    ]


def test_two_rules_are_both_named_and_three_make_no_near_miss(api, reference, actors, supply):
    two = demand(reference, actors, certifications=[reference.organic], min_ocop_stars=5)
    later = supply.available_until + datetime.timedelta(days=10)
    three = demand(
        reference,
        actors,
        certifications=[reference.organic],
        min_ocop_stars=5,
        available_from=later,
        available_until=later + datetime.timedelta(days=30),
    )

    rows = blocked(api, actors.supplier, supply)

    assert sorted(b["rule"] for b in rows[two.pk]) == ["certification", "ocop_stars"]
    assert three.pk not in rows


def test_a_proposed_match_is_no_near_miss_and_one_rule_comes_before_two(
    api, reference, actors, supply
):
    matching = demand(reference, actors)
    two = demand(reference, actors, certifications=[reference.organic], min_ocop_stars=5)
    one = demand(reference, actors, min_ocop_stars=5)

    response = api.as_user(actors.supplier).get(url(supply.pk))

    ids = [row["listing"]["id"] for row in response.json()]
    assert matching.pk not in ids
    assert ids == [one.pk, two.pk]
    first = response.json()[0]["listing"]
    assert first["organization"]["name"] == actors.buyer_org.name
    assert first["province"] == actors.buyer_org.province.code


def test_a_demand_sees_the_supplies_that_lack_what_it_requires(api, reference, actors, supply):
    wants_organic = demand(reference, actors, certifications=[reference.organic])

    rows = blocked(api, actors.buyer, wants_organic, headers={"HTTP_ACCEPT_LANGUAGE": "vi"})

    assert rows[supply.pk] == [
        {"rule": "certification", "detail": "Không có Hữu cơ, chứng nhận mà tin cầu này yêu cầu."}
    ]


def test_only_members_and_officers_see_near_misses(api, client, reference, actors, supply):
    assert api.as_user(actors.outsider).get(url(supply.pk)).status_code == 403
    assert api.as_user(actors.officer).get(url(supply.pk)).status_code == 200
    api.force_authenticate(user=None)
    assert api.get(url(supply.pk)).status_code == 401


@pytest.mark.parametrize("bad", ["14471147176409321472", "0", "abc", "999999"])
def test_unknown_or_out_of_range_ids_are_404(api, reference, actors, bad):
    assert api.as_user(actors.supplier).get(url(bad)).status_code == 404


def test_a_draft_of_another_organization_is_404(api, reference, actors):
    draft = make_listing(organization=actors.buyer_org, reference=reference, status="draft")

    assert api.as_user(actors.supplier).get(url(draft.pk)).status_code == 404


# --- pages ------------------------------------------------------------------------------------


def test_the_listing_page_counts_near_misses_per_rule_with_what_to_change(
    client, reference, actors, supply
):
    for _n in range(3):
        demand(reference, actors, certifications=[reference.organic])
    demand(reference, actors, min_ocop_stars=5)
    client.force_login(actors.supplier)

    html = client.get(reverse("listings:detail", args=[supply.pk]), **EN).content.decode()

    assert 'data-testid="near-misses"' in html
    assert "3 buyers need Organic" in html
    assert "1 buyer wants OCOP 5★" in html
    edit = reverse("listings:edit", args=[supply.pk])
    assert f'href="{edit}#id_certifications">Add a certification</a>' in html


def test_the_inbox_explains_why_there_are_no_proposals(client, reference, actors, supply):
    demand(reference, actors, certifications=[reference.organic])
    client.force_login(actors.supplier)

    html = client.get(reverse("matchmaking:inbox"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert 'data-testid="near-miss-hint"' in html
    assert "1 bên mua cần Hữu cơ" in html


def test_others_do_not_see_a_listings_near_misses_on_its_page(client, reference, actors, supply):
    demand(reference, actors, certifications=[reference.organic])
    client.force_login(actors.outsider)

    html = client.get(reverse("listings:detail", args=[supply.pk]), **EN).content.decode()

    assert 'data-testid="near-misses"' not in html


def test_the_window_rule_reads_from_today(reference, actors, supply):
    from matchmaking.services.near_misses import near_misses

    past_start = timezone.localdate() - datetime.timedelta(days=40)
    ended = demand(
        reference,
        actors,
        available_from=past_start,
        available_until=timezone.localdate() + datetime.timedelta(days=70),
    )

    assert ended.pk not in [b.listing.pk for b in near_misses(supply)]  # it overlaps: a match
