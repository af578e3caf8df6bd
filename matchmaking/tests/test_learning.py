"""Learning from declines through the database: a decline with a reason reweighs what that
organization is offered next, the reasons say so, the organization sees it and an officer
resets it (service, API, page, admin)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import OrganizationFactory, member_of
from matchmaking.engine.records import DEFAULT_WEIGHTS, FACTORS
from matchmaking.explanations import explain_page
from matchmaking.models import DeclineLearning, Match
from matchmaking.services import learning, review
from matchmaking.tests.factories import matchable_demand, matchable_supply

pytestmark = pytest.mark.django_db(transaction=True)

PRICE_BASE = DEFAULT_WEIGHTS["price"] / sum(DEFAULT_WEIGHTS.values())


def _price_item(match):
    with translation.override("en"):
        items = explain_page([match])[match.pk]
    return next(i for i in items if i["factor"] == "price")


@pytest.fixture
def declined_on_price(actors, reference):
    """The buyer declined the supplier's coffee on price once."""
    supply = matchable_supply(actors, reference)
    matchable_demand(actors, reference, title="Cà phê nhân lô 1")
    first = Match.objects.get()
    review.match_decline(match=first, by_user=actors.buyer, reason="price")
    return supply


def test_a_price_decline_raises_price_weight_in_the_buyers_next_proposals(
    actors, reference, declined_on_price
):
    second = matchable_demand(actors, reference, title="Cà phê nhân lô 2")
    match = Match.objects.get(demand=second)
    assert match.status == Match.Status.PROPOSED
    item = _price_item(match)
    # ×1.25 on price, renormalised: 0.1875 / 1.0375.
    assert item["weight"] == pytest.approx(0.15 * 1.25 / 1.0375, abs=1e-4)
    assert item["weight"] > PRICE_BASE
    assert "the buyer declined 1 offer on price" in item["detail"]
    # The stored score is the learned weighting of the stored factors.
    weights = {f: w for f, w in zip(FACTORS, _all_weights(match), strict=True)}
    expected = sum(v * weights[f] for f, v in zip(FACTORS, match.factors, strict=True))
    assert match.score == pytest.approx(expected, abs=2e-4)
    with translation.override("vi"):
        detail = next(i for i in explain_page([match])[match.pk] if i["factor"] == "price")
    assert "người mua đã từ chối 1 đề xuất vì giá" in detail["detail"]


def _all_weights(match):
    with translation.override("en"):
        return [i["weight"] for i in explain_page([match])[match.pk]]


def test_another_buyer_keeps_the_configured_weights(actors, reference, declined_on_price):
    other_org = OrganizationFactory(name="Chuỗi khác", kind="retailer", province=reference.hcmc)
    other = member_of(other_org)
    from listings import services as listing_services
    from matchmaking.tests.factories import Listing  # noqa: F401 - model import for clarity

    demand = matchable_demand(actors, reference, title="Cà phê nhân chuỗi khác")
    listing_services.listing_update(listing=demand, by_user=actors.buyer, status="closed")
    listing = listing_services.listing_create(
        organization=other_org,
        side="demand",
        by_user=other,
        title="Cà phê nhân",
        category=reference.coffee,
        quantity=demand.quantity,
        unit=demand.unit,
        province=reference.hcmc,
        available_from=demand.available_from,
        available_until=demand.available_until,
        price_min=demand.price_min,
        price_max=demand.price_max,
        status="open",
        certifications=[reference.vietgap],
    )
    match = Match.objects.get(demand=listing)
    assert _price_item(match)["weight"] == pytest.approx(PRICE_BASE, abs=1e-4)
    assert "declined" not in _price_item(match)["detail"]


def test_the_full_rematch_applies_what_was_learned(actors, reference, declined_on_price):
    from matchmaking.services import rematch

    second = matchable_demand(actors, reference, title="Cà phê nhân lô 2")
    Match.objects.filter(demand=second).delete()
    rematch.start_full_rematch()
    match = Match.objects.get(demand=second)
    assert _price_item(match)["weight"] > PRICE_BASE


def test_the_organization_sees_the_lesson_and_an_officer_resets_it(
    actors, reference, declined_on_price
):
    summary = learning.learning_summary(organization=actors.buyer_org, user=actors.buyer)
    assert summary["declines"]["price"] == 1 and summary["active"]
    price = next(w for w in summary["weights"] if w["factor"] == "price")
    assert price["multiplier"] == 1.25
    with pytest.raises(PermissionDenied):
        learning.learning_summary(organization=actors.buyer_org, user=actors.outsider)
    with pytest.raises(PermissionDenied):
        learning.learning_reset(organization=actors.buyer_org, by_user=actors.buyer)
    after = learning.learning_reset(organization=actors.buyer_org, by_user=actors.officer)
    assert after["declines"]["price"] == 0 and not after["active"]
    row = DeclineLearning.objects.get(organization=actors.buyer_org)
    assert row.reset_by == actors.officer and row.reset_at is not None
    # The declines themselves are kept.
    assert Match.objects.filter(status=Match.Status.DECLINED, decline_reason="price").count() == 1
    # And the next proposal is weighed as configured again.
    third = matchable_demand(actors, reference, title="Cà phê nhân lô 3")
    assert _price_item(Match.objects.get(demand=third))["weight"] == pytest.approx(
        PRICE_BASE, abs=1e-4
    )


def test_the_learning_api(api, actors, reference, declined_on_price):
    url = f"/api/v1/organizations/{actors.buyer_org.pk}/learning/"
    body = api.as_user(actors.buyer).get(url).json()
    assert body["declines"]["price"] == 1 and body["active"] is True
    assert {w["factor"] for w in body["weights"]} == set(FACTORS)
    assert api.as_user(actors.outsider).get(url).status_code == 403
    assert api.as_user(actors.buyer).post(url + "reset/").status_code == 403
    assert (
        api.as_user(actors.buyer).get("/api/v1/organizations/999999/learning/").status_code == 404
    )
    reset = api.as_user(actors.officer).post(url + "reset/")
    assert reset.status_code == 200 and reset.json()["declines"]["price"] == 0
    assert reset.json()["since"] is not None


def test_the_inbox_and_the_learning_page_show_the_lesson(
    client, actors, reference, declined_on_price
):
    client.force_login(actors.buyer)
    page = client.get(reverse("matchmaking:inbox"), HTTP_ACCEPT_LANGUAGE="vi")
    html = page.content.decode()
    assert 'data-testid="learning"' in html
    assert "Bạn đã từ chối 1 đề xuất vì giá" in html
    url = reverse("matchmaking:learning", args=[actors.buyer_org.pk])
    assert client.post(url).status_code == 403  # members read it, officers reset it
    client.force_login(actors.officer)
    assert client.post(url).status_code == 302
    assert not learning.summary_of(actors.buyer_org)["active"]


def test_the_admin_lists_and_resets(client, actors, reference, declined_on_price):
    actors.officer.is_staff = actors.officer.is_superuser = True
    actors.officer.save()
    client.force_login(actors.officer)
    url = reverse("admin:matchmaking_declinelearning_changelist")
    with translation.override("en"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert actors.buyer_org.name in html and "×1.25" in html
    row = DeclineLearning.objects.get(organization=actors.buyer_org)
    client.post(url, {"action": "reset_learning", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.reset_at is not None
