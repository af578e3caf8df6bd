"""A supply's free capacity counts signed contracts: matching never promises what is sold."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Unit
from matchmaking.models import Deal, Match
from matchmaking.services import deals, rematch, review
from matchmaking.tests.test_matching_service import _demand, _supply

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(match, actors):
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    return Deal.objects.get(match=match)


def test_a_signed_contract_holds_its_quantity_and_a_lost_deal_none(actors, reference):
    supply = _supply(actors, reference)  # 20 tấn
    first = _demand(actors, reference)  # 5000 kg
    deal = _connect(Match.objects.get(demand=first), actors)
    deals.deal_advance(
        deal=deal,
        by_user=actors.buyer,
        stage="contract_signed",
        contract_quantity="18",
        contract_unit=Unit.objects.get(code="tonne"),
        contract_value_vnd=1,
        signed_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    # 18 t sold of 20 t: a second buyer is offered the 2 t left, not its 5000 kg.
    second = _demand(actors, reference, title="Cần mua cà phê cho quán")
    assert Match.objects.get(supply=supply, demand=second).suggested_quantity == Decimal("2000.000")
    run = rematch.start_full_rematch(requested_by=actors.officer)
    assert run is not None
    assert Match.objects.get(supply=supply, demand=second).suggested_quantity == Decimal("2000.000")

    deals.deal_advance(deal=deal, by_user=actors.buyer, stage="lost", lost_reason="quality")
    third = _demand(actors, reference, title="Cần mua cà phê cho chuỗi")
    assert Match.objects.get(supply=supply, demand=third).suggested_quantity == Decimal("5000.000")
