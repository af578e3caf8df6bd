"""Officer introductions (``matchmaking/services/introductions.py`` and the admin's form):
the hard rules a pair fails are named and need an explicit override with a reason; the match
carries its computed score and factors; the supply's remaining capacity is respected."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import OFFICERS_GROUP
from matchmaking.engine.records import FACTORS
from matchmaking.models import Match, MatchTransition
from matchmaking.services import introductions
from matchmaking.tests.factories import (
    MatchFactory,
    buyer_orgs,
    demand_listing,
    supply_listing,
)

pytestmark = pytest.mark.django_db
S = Match.Status


@pytest.fixture
def uncertified(actors, reference):
    return supply_listing(actors, reference)  # 20 t of robusta, no certification


@pytest.fixture
def wants_organic(actors, reference):
    return demand_listing(actors, reference, certifications=[reference.organic])


def test_a_pair_failing_a_rule_is_refused_without_an_override(actors, uncertified, wants_organic):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        introductions.introduce(supply=uncertified, demand=wants_organic, by_user=actors.officer)

    assert "Hữu cơ" in " ".join(refused.value.message_dict["override"])
    assert not Match.objects.filter(supply=uncertified, demand=wants_organic).exists()


def test_an_override_needs_a_reason(actors, uncertified, wants_organic):
    with pytest.raises(ValidationError) as refused:
        introductions.introduce(
            supply=uncertified, demand=wants_organic, by_user=actors.officer, override=True
        )

    assert list(refused.value.message_dict) == ["override_reason"]


def test_an_override_with_a_reason_introduces_with_score_factors_and_the_reason(
    actors, uncertified, wants_organic
):
    match = introductions.introduce(
        supply=uncertified,
        demand=wants_organic,
        by_user=actors.officer,
        override=True,
        override_reason="Chứng nhận hữu cơ đang được cấp",
    )

    assert (match.origin, match.status) == (Match.Origin.OFFICER, S.PROPOSED)
    assert 0.3 < match.score <= 1 and len(match.factors) == len(FACTORS)
    overridden = match.explanation[-1]
    assert "Organic" in overridden["detail_en"] and "đang được cấp" in overridden["detail"]
    note = MatchTransition.objects.get(match=match).note
    assert "override" in note and "Chứng nhận hữu cơ đang được cấp" in note


def test_a_pair_passing_every_rule_needs_no_override_and_is_scored(actors, reference):
    supply = supply_listing(actors, reference)
    demand = demand_listing(actors, reference)

    match = introductions.introduce(supply=supply, demand=demand, by_user=actors.officer)

    assert match.score > 0.5
    assert len(match.factors) == len(FACTORS)


def test_the_suggested_quantity_is_what_the_supply_has_not_yet_promised(actors, reference):
    supply = supply_listing(actors, reference)  # 20 t
    first, second = (
        demand_listing(actors, reference, organization=org, quantity=Decimal("20"))
        for org in buyer_orgs(2, reference)
    )
    MatchFactory(supply=supply, demand=first, status=S.CONNECTED, suggested_quantity=10_000)

    match = introductions.introduce(supply=supply, demand=second, by_user=actors.officer)

    assert match.suggested_quantity == Decimal("10000.000")  # not 20 t


def test_a_quantity_above_the_free_capacity_is_refused(actors, reference):
    supply = supply_listing(actors, reference)
    first, second = (
        demand_listing(actors, reference, organization=org, quantity=Decimal("20"))
        for org in buyer_orgs(2, reference)
    )
    MatchFactory(supply=supply, demand=first, status=S.CONNECTED, suggested_quantity=10_000)

    with pytest.raises(ValidationError) as refused:
        introductions.introduce(
            supply=supply,
            demand=second,
            by_user=actors.officer,
            suggested_quantity=Decimal("15000"),
        )

    assert "10" in refused.value.message_dict["suggested_quantity"][0]


def test_a_supply_fully_promised_cannot_be_introduced(actors, reference):
    supply = supply_listing(actors, reference)
    first, second = (
        demand_listing(actors, reference, organization=org, quantity=Decimal("20"))
        for org in buyer_orgs(2, reference)
    )
    MatchFactory(supply=supply, demand=first, status=S.CONNECTED, suggested_quantity=20_000)

    with pytest.raises(ValidationError) as refused:
        introductions.introduce(supply=supply, demand=second, by_user=actors.officer)

    assert "suggested_quantity" in refused.value.message_dict


def test_the_assessment_names_every_failing_rule(actors, reference, uncertified):
    demand = demand_listing(actors, reference, certifications=[reference.organic], min_ocop_stars=5)

    assessment = introductions.assess(supply=uncertified, demand=demand)

    assert sorted(assessment.rule_names) == ["certification", "ocop_stars"]


# --- the admin's form -------------------------------------------------------------------------


@pytest.fixture
def officer(actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="matchmaking", codename__regex=r"^(view|change)_"
        )
    )
    return actors.officer


def test_the_admin_names_the_failing_rule_then_takes_an_override(
    officer, uncertified, wants_organic
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:matchmaking_match_introduce")
    data = {"supply": uncertified.pk, "demand": wants_organic.pk}

    first = client.post(url, data)

    html = first.content.decode()
    assert first.status_code == 200
    assert "Requires Organic, which this supply does not hold." in html
    assert 'name="override"' in html
    done = client.post(url, {**data, "override": "on", "override_reason": "Giấy chứng nhận sắp có"})
    assert done.status_code == 302
    match = Match.objects.get(supply=uncertified, demand=wants_organic)
    assert match.score > 0


def test_both_sides_see_the_score_and_the_override_not_zero(actors, uncertified, wants_organic):
    match = introductions.introduce(
        supply=uncertified,
        demand=wants_organic,
        by_user=actors.officer,
        override=True,
        override_reason="Sắp có chứng nhận",
        note="Hội nghị kết nối",
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(actors.buyer, backend="django.contrib.auth.backends.ModelBackend")

    html = client.get(f"/matches/{match.pk}/").content.decode()

    assert f"{round(match.score * 100)}<small>%</small>" in html
    assert "0<small>%</small>" not in html
    assert "Introduced by a trade-promotion officer. Hội nghị kết nối" in html
    assert "The officer overrode: Requires Organic" in html
    assert "Product fit" in html  # the factors, as for any proposal
