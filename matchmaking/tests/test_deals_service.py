"""The deal pipeline: a deal per connected match, its legal moves, contract, deliveries, audit."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.models import Unit
from matchmaking.models import Deal, DealEvent, Match
from matchmaking.services import deals, review
from matchmaking.services.deals import DealStageError
from matchmaking.tests.factories import (
    supply_and_demand_match,
)

ST = Deal.Stage
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def sign(deal, user, **overrides):
    fields = {
        "stage": ST.CONTRACT_SIGNED,
        "contract_quantity": "10",
        "contract_unit": Unit.objects.get(code="tonne"),
        "contract_value_vnd": 950_000_000,
        "signed_on": timezone.localdate() - datetime.timedelta(days=3),
    }
    fields.update(overrides)
    return deals.deal_advance(deal=deal, by_user=user, **fields)


def test_connecting_a_match_opens_its_deal_once(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.supplier)
    assert not Deal.objects.filter(match=match).exists()
    review.match_accept(match=match, by_user=actors.buyer)
    deal = Deal.objects.get(match=match)
    assert deal.stage == ST.CONNECTED
    trail = list(deal.events.values_list("from_stage", "to_stage", "by_user", "side"))
    assert trail == [("", ST.CONNECTED, actors.buyer.pk, "demand")]
    assert deals.open_deal(match) == deal
    assert deal.events.count() == 1


def test_whole_life_to_completed_with_audit(deal, actors):
    deals.deal_advance(deal=deal, by_user=actors.buyer, stage=ST.NEGOTIATING, note="Giá 95k")
    deal = sign(deal, actors.supplier)
    assert (deal.contract_quantity, deal.contract_unit.code) == (Decimal("10.000"), "tonne")
    tonne, kg = Unit.objects.get(code="tonne"), Unit.objects.get(code="kg")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    deals.deal_deliver(
        deal=deal,
        by_user=actors.supplier,
        quantity="4000",
        unit=kg,
        delivered_on=yesterday,
        value_vnd=380_000_000,
    )
    deal.refresh_from_db()
    assert deal.stage == ST.DELIVERING
    assert deal.delivered_quantity == Decimal("4.000")
    deals.deal_deliver(
        deal=deal,
        by_user=actors.officer,
        side="supply",
        quantity="6",
        unit=tonne,
        delivered_on=yesterday,
        value_vnd=570_000_000,
    )
    deal.refresh_from_db()
    assert deal.stage == ST.COMPLETED
    assert deal.delivered_value_vnd == 950_000_000
    trail = list(deal.events.values_list("from_stage", "to_stage", "by_user", "as_officer", "side"))
    assert trail == [
        ("", ST.CONNECTED, actors.buyer.pk, False, "demand"),
        (ST.CONNECTED, ST.NEGOTIATING, actors.buyer.pk, False, "demand"),
        (ST.NEGOTIATING, ST.CONTRACT_SIGNED, actors.supplier.pk, False, "supply"),
        (ST.CONTRACT_SIGNED, ST.DELIVERING, actors.supplier.pk, False, "supply"),
        (ST.DELIVERING, ST.COMPLETED, actors.officer.pk, True, "supply"),
    ]
    with pytest.raises(DealStageError):
        deals.deal_advance(deal=deal, by_user=actors.buyer, stage=ST.LOST, lost_reason="price")


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ST.CONNECTED, ST.COMPLETED),
        (ST.CONNECTED, ST.DELIVERING),
        (ST.NEGOTIATING, ST.CONNECTED),
        (ST.LOST, ST.NEGOTIATING),
        (ST.COMPLETED, ST.LOST),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(deal, actors, start, target):
    Deal.objects.filter(pk=deal.pk).update(stage=start)
    deal.refresh_from_db()
    with pytest.raises(DealStageError) as caught:
        deals.deal_advance(deal=deal, by_user=actors.buyer, stage=target, lost_reason="price")
    assert caught.value.status_code == 409
    deal.refresh_from_db()
    assert deal.stage == start
    assert deal.events.count() == 1


def test_lost_needs_a_known_reason(deal, actors):
    with pytest.raises(ValidationError) as caught:
        deals.deal_advance(deal=deal, by_user=actors.buyer, stage=ST.LOST, lost_reason="bored")
    assert "lost_reason" in caught.value.message_dict
    deal = deals.deal_advance(
        deal=deal, by_user=actors.buyer, stage=ST.LOST, lost_reason="scale", note="Quá nhỏ"
    )
    assert (deal.stage, deal.lost_reason, deal.lost_note) == (ST.LOST, "scale", "Quá nhỏ")


def test_contract_fields_are_checked(deal, actors):
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        sign(
            deal,
            actors.buyer,
            contract_quantity="-3",
            contract_value_vnd=-1,
            signed_on=future,
            contract_unit=Unit.objects.get(code="l"),
        )
    assert set(caught.value.message_dict) == {
        "contract_quantity",
        "contract_value_vnd",
        "signed_on",
        "contract_unit",
    }
    deal.refresh_from_db()
    assert deal.stage == ST.CONNECTED and deal.contract_quantity is None


def test_quantities_the_columns_could_not_hold_are_refused(deal, actors):
    # 10¹² and more: the delivered sum (up to 5 % over, in any unit of the kind) must still fit.
    with pytest.raises(ValidationError) as caught:
        sign(deal, actors.buyer, contract_quantity="1000000000000")
    assert list(caught.value.message_dict) == ["contract_quantity"]


def test_bad_deliveries_are_refused(deal, actors):
    kg = Unit.objects.get(code="kg")
    today = timezone.localdate()
    with pytest.raises(DealStageError):
        deals.deal_deliver(
            deal=deal,
            by_user=actors.supplier,
            quantity="1",
            unit=kg,
            delivered_on=today,
            value_vnd=1,
        )
    deal = sign(deal, actors.supplier)
    cases = [
        ({"quantity": "-5"}, "quantity"),
        ({"quantity": "10600"}, "quantity"),  # over 10 t by more than 5 %
        ({"delivered_on": today + datetime.timedelta(days=1)}, "delivered_on"),
        ({"delivered_on": today - datetime.timedelta(days=30)}, "delivered_on"),  # before signing
        ({"unit": Unit.objects.get(code="piece")}, "unit"),
    ]
    for override, field in cases:
        fields = {"quantity": "100", "unit": kg, "delivered_on": today, "value_vnd": 9_500_000}
        fields.update(override)
        with pytest.raises(ValidationError) as caught:
            deals.deal_deliver(deal=deal, by_user=actors.supplier, **fields)
        assert field in caught.value.message_dict, override
    deal.refresh_from_db()
    assert deal.deliveries.count() == 0 and deal.stage == ST.CONTRACT_SIGNED
    # Within the tolerance: 10.4 t against 10 t completes the deal.
    deals.deal_deliver(
        deal=deal,
        by_user=actors.supplier,
        quantity="10400",
        unit=kg,
        delivered_on=today,
        value_vnd=1,
    )
    deal.refresh_from_db()
    assert deal.stage == ST.COMPLETED


def test_only_the_two_sides_and_officers_update(deal, actors):
    with pytest.raises(PermissionDenied):
        deals.deal_advance(deal=deal, by_user=actors.outsider, stage=ST.NEGOTIATING)
    with pytest.raises(PermissionDenied):
        deals.deal_advance(deal=deal, by_user=actors.supplier, side="demand", stage=ST.NEGOTIATING)
    deal = deals.deal_advance(deal=deal, by_user=actors.officer, stage=ST.NEGOTIATING)
    last = deal.events.last()
    assert (last.by_user, last.as_officer) == (actors.officer, True)
    assert list(Deal.objects.visible_to(actors.outsider)) == []
    assert list(Deal.objects.visible_to(actors.supplier)) == [deal]
    assert list(Deal.objects.visible_to(actors.officer)) == [deal]


def test_the_data_migration_backfills_connected_matches(actors, reference):
    match = supply_and_demand_match(actors, reference, status=Match.Status.CONNECTED)
    other = supply_and_demand_match(
        actors,
        reference,
        status=Match.Status.PROPOSED,
    )
    migration = importlib.import_module("matchmaking.migrations.0009_deals_for_connected_matches")
    migration.create_deals(django_apps, None)
    migration.create_deals(django_apps, None)
    assert list(Deal.objects.values_list("match", flat=True)) == [match.pk]
    assert not Deal.objects.filter(match=other).exists()
    assert DealEvent.objects.filter(deal__match=match, note="backfilled").count() == 1
