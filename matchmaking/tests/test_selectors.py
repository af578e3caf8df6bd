"""Reads: what each actor may see, and the inbox tabs from each side's point of view."""

import pytest

from matchmaking import selectors
from matchmaking.models import Match
from matchmaking.services import review
from matchmaking.tests.factories import supply_and_demand_match

pytestmark = pytest.mark.django_db


def test_who_sees_a_match(actors, reference):
    match = supply_and_demand_match(actors, reference)
    seen = {
        name: selectors.visible_matches(getattr(actors, name)).filter(pk=match.pk).exists()
        for name in ("supplier", "buyer", "outsider", "officer")
    }
    assert seen == {"supplier": True, "buyer": True, "outsider": False, "officer": True}
    Match.objects.filter(pk=match.pk).update(hidden=True)
    assert not selectors.visible_matches(actors.supplier).exists()
    assert selectors.visible_matches(actors.officer).exists()


def test_an_accepted_match_waits_on_one_side_and_is_to_answer_on_the_other(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.supplier)

    def counts(user):
        _, _, org_ids = selectors.inbox_scope(user)
        return selectors.tab_counts(selectors.visible_matches(user), org_ids)

    assert counts(actors.supplier) == {
        "proposed": 0, "waiting": 1, "connected": 0, "declined": 0, "closed": 0,
    }  # fmt: skip
    assert counts(actors.buyer)["proposed"] == 1 and counts(actors.buyer)["waiting"] == 0
    # An officer without an organization sees everything, from no side.
    assert selectors.inbox_scope(actors.officer)[2] is None
    assert counts(actors.officer)["waiting"] == 1


def test_inbox_scope_only_picks_the_users_own_organizations(actors):
    mine, selected, org_ids = selectors.inbox_scope(actors.supplier, str(actors.buyer_org.pk))
    assert mine == [actors.supplier_org] and selected is None
    assert org_ids == [actors.supplier_org.pk]
    _, picked, ids = selectors.inbox_scope(actors.officer, str(actors.buyer_org.pk))
    assert picked == actors.buyer_org and ids == [actors.buyer_org.pk]


def test_decline_summary_counts_the_other_sides_reasons(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_decline(match=match, by_user=actors.buyer, reason="price", note="Giá cao")
    summary = selectors.decline_summary(match.supply)
    assert summary["declined_by_other_side"] == 1 and summary["declined_by_us"] == 0
    assert summary["reasons"][0]["reason"] == "price" and summary["notes"] == ["Giá cao"]
    assert review.decline_summary is selectors.decline_summary  # still importable from review
