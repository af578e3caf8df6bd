"""Storing proposals: every change of a stored pair's status goes through the review service."""

import pytest

from matchmaking.models import Match, MatchRun, MatchTransition, Notification
from matchmaking.services import matching, proposals, review
from matchmaking.tests.factories import demand_listing, supply_listing

S = Match.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(actors, reference):
    supply, demand = supply_listing(actors, reference), demand_listing(actors, reference)
    matching.match_listing(listing_id=demand.pk)
    return Match.objects.get(supply=supply, demand=demand)


def test_a_withdrawn_pair_that_qualifies_again_is_proposed_again_and_audited(pair, actors):
    """Unified rule: re-proposing was raw SQL without a transition; now review does it."""
    review.match_accept(match=pair, by_user=actors.supplier)
    review.match_withdraw(match=pair, reason="the listing was paused")

    result = matching.match_listing(listing_id=pair.demand_id)

    pair.refresh_from_db()
    assert pair.status == S.PROPOSED
    assert result["updated"] == 1 and result["created"] == 0  # counted as before
    # Both sides answer afresh: the supplier's earlier acceptance does not carry over.
    assert pair.supply_accepted_at is None and pair.demand_accepted_at is None
    trail = list(pair.transitions.order_by("at", "pk").values_list("from_status", "to_status"))
    assert trail == [
        (S.PROPOSED, S.ACCEPTED_BY_SUPPLY),
        (S.ACCEPTED_BY_SUPPLY, S.WITHDRAWN),
        (S.WITHDRAWN, S.PROPOSED),
    ]
    assert pair.transitions.last().note.startswith("qualifies again")


def test_re_matching_a_pending_pair_changes_no_status_and_writes_no_transition(pair):
    matching.match_listing(listing_id=pair.demand_id)
    pair.refresh_from_db()
    assert pair.status == S.PROPOSED
    assert not MatchTransition.objects.filter(match=pair).exists()


def test_a_declined_pair_is_neither_updated_nor_reproposed(pair, actors):
    review.match_decline(match=pair, by_user=actors.buyer, reason="price")
    score_before = pair.score
    Match.objects.filter(pk=pair.pk).update(score=0.01)
    matching.match_listing(listing_id=pair.demand_id)
    pair.refresh_from_db()
    assert (pair.status, pair.score) == (S.DECLINED, 0.01) and score_before != 0.01


def test_repropose_leaves_a_match_that_is_no_longer_withdrawn_alone(pair):
    run = MatchRun.objects.create(kind=MatchRun.Kind.LISTING)
    assert review.match_repropose(proposals={pair.pk: (0.9, [1.0] * 7, 10.0)}, run=run) == []
    pair.refresh_from_db()
    assert pair.status == S.PROPOSED and pair.score != 0.9


def test_withdrawing_through_the_store_is_audited_and_told_to_both_sides(pair):
    run = MatchRun.objects.create(kind=MatchRun.Kind.LISTING)
    Notification.objects.all().delete()
    assert proposals.withdraw_pair(supply_id=pair.supply_id, demand_id=pair.demand_id, run=run)
    pair.refresh_from_db()
    assert pair.status == S.WITHDRAWN
    assert pair.transitions.get().to_status == S.WITHDRAWN
    assert set(Notification.objects.values_list("kind", flat=True)) == {"withdrawn"}
    # Idempotent: nothing pending is left to withdraw.
    assert not proposals.withdraw_pair(supply_id=pair.supply_id, demand_id=pair.demand_id, run=run)
