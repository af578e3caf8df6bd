"""The review state machine: who may move a match where, and what each move records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory, member_of
from listings.models import Listing
from matchmaking.models import Match, MatchTransition, Notification
from matchmaking.services import review
from matchmaking.services.notifications import render
from matchmaking.services.review import MatchStateError
from matchmaking.tests.factories import (
    _fast_password_hasher,  # noqa: F401 - autouse fixture
    demand_listing,
    supply_and_demand_match,
    supply_listing,
)

S = Match.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (Vietnamese, the default, is translated in core/locale/)."""
    with translation.override("en"):
        yield


@pytest.fixture
def match(actors, reference):
    return supply_and_demand_match(actors, reference)


def kinds_for(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_supplier_accepts_first_then_buyer_connects(match, actors):
    match = review.match_accept(match=match, by_user=actors.supplier)
    assert match.status == S.ACCEPTED_BY_SUPPLY
    assert match.supply_accepted_at is not None and match.demand_accepted_at is None
    assert kinds_for(actors.buyer) == ["other_accepted"]
    assert kinds_for(actors.supplier) == []

    match = review.match_accept(match=match, by_user=actors.buyer)
    assert match.status == S.CONNECTED
    assert match.connected_at is not None
    assert kinds_for(actors.supplier) == ["connected"]
    assert kinds_for(actors.buyer) == ["connected", "other_accepted"]

    trail = list(match.transitions.values_list("from_status", "to_status", "side", "by_user"))
    assert trail == [
        (S.PROPOSED, S.ACCEPTED_BY_SUPPLY, "supply", actors.supplier.pk),
        (S.ACCEPTED_BY_SUPPLY, S.CONNECTED, "demand", actors.buyer.pk),
    ]
    assert not match.transitions.filter(as_officer=True).exists()


def test_buyer_accepts_first(match, actors):
    match = review.match_accept(match=match, by_user=actors.buyer)
    assert match.status == S.ACCEPTED_BY_DEMAND
    assert "Công ty Phân phối Sài Gòn" in render(Notification.objects.get(user=actors.supplier))
    match = review.match_accept(match=match, by_user=actors.supplier)
    assert match.status == S.CONNECTED


def test_the_same_side_cannot_accept_twice(match, actors):
    review.match_accept(match=match, by_user=actors.supplier)
    colleague = member_of(actors.supplier_org)
    with pytest.raises(MatchStateError, match="already accepted"):
        review.match_accept(match=match, by_user=colleague)
    assert MatchTransition.objects.filter(match=match).count() == 1


def test_accept_after_decline_is_refused(match, actors):
    review.match_decline(match=match, by_user=actors.buyer, reason="price")
    with pytest.raises(MatchStateError) as exc:
        review.match_accept(match=match, by_user=actors.supplier)
    assert exc.value.status_code == 409
    assert "Declined" in exc.value.message


def test_decline_after_connected_is_refused(match, actors):
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    with pytest.raises(MatchStateError, match="can no longer be declined"):
        review.match_decline(match=match, by_user=actors.buyer, reason="price")
    match.refresh_from_db()
    assert match.status == S.CONNECTED


def test_decline_records_reason_note_and_side_and_tells_the_other_side(match, actors):
    match = review.match_decline(
        match=match, by_user=actors.buyer, reason="timing", note="  Cần giao trước Tết  "
    )
    assert (match.status, match.decline_reason, match.decline_note, match.declined_by_side) == (
        S.DECLINED,
        "timing",
        "Cần giao trước Tết",
        "demand",
    )
    transition = match.transitions.get()
    assert (transition.reason, transition.note, transition.side) == (
        "timing",
        "Cần giao trước Tết",
        "demand",
    )
    note = Notification.objects.get(user=actors.supplier)
    assert note.kind == "declined"
    assert "thời gian" in render(note, "vi") and "timing" in render(note, "en")


def test_a_side_may_change_its_mind_before_connection(match, actors):
    review.match_accept(match=match, by_user=actors.supplier)
    match = review.match_decline(match=match, by_user=actors.supplier, reason="quantity")
    assert match.status == S.DECLINED and match.declined_by_side == "supply"


def test_decline_needs_a_known_reason(match, actors):
    with pytest.raises(ValidationError) as exc:
        review.match_decline(match=match, by_user=actors.buyer, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        review.match_decline(match=match, by_user=actors.buyer, reason="price", note="x" * 1001)
    assert "note" in exc.value.message_dict
    match.refresh_from_db()
    assert match.status == S.PROPOSED and not match.transitions.exists()


def test_outsiders_and_anonymous_cannot_answer(match, actors):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        review.match_accept(match=match, by_user=actors.outsider)
    with pytest.raises(PermissionDenied):
        review.match_decline(match=match, by_user=AnonymousUser(), reason="price")


def test_a_member_cannot_answer_for_the_other_side(match, actors):
    with pytest.raises(PermissionDenied):
        review.match_accept(match=match, by_user=actors.supplier, side="demand")


def test_officer_acts_for_a_named_side_and_is_recorded(match, actors):
    with pytest.raises(ValidationError) as exc:
        review.match_accept(match=match, by_user=actors.officer)
    assert "side" in exc.value.message_dict
    match = review.match_accept(match=match, by_user=actors.officer, side="demand")
    assert match.status == S.ACCEPTED_BY_DEMAND
    transition = match.transitions.get()
    assert (transition.by_user, transition.side, transition.as_officer) == (
        actors.officer,
        "demand",
        True,
    )


def test_member_of_both_organizations_names_the_side(match, actors):
    both = UserFactory()
    member_of(actors.supplier_org, both)
    member_of(actors.buyer_org, both)
    with pytest.raises(ValidationError):
        review.match_accept(match=match, by_user=both)
    match = review.match_accept(match=match, by_user=both, side="demand")
    assert match.status == S.ACCEPTED_BY_DEMAND
    assert match.transitions.get().as_officer is False


def test_a_hidden_match_cannot_be_answered(match, actors):
    review.match_hide(match=match, by_user=actors.officer)
    with pytest.raises(MatchStateError):
        review.match_accept(match=match, by_user=actors.supplier)
    with pytest.raises(MatchStateError):
        review.match_decline(match=match, by_user=actors.supplier, reason="price")


def test_withdraw_keeps_the_row_and_is_idempotent(match, actors):
    match = review.match_withdraw(match=match, reason="supply closed")
    assert match.status == S.WITHDRAWN
    assert match.transitions.get().note == "supply closed"
    assert kinds_for(actors.supplier) == ["withdrawn"]
    again = review.match_withdraw(match=match)
    assert again.status == S.WITHDRAWN and match.transitions.count() == 1


def test_withdraw_leaves_connected_matches_alone(match, actors):
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    assert review.match_withdraw(match=match).status == S.CONNECTED


# --- expiry and reminders ---------------------------------------------------------------------


def test_expiry_after_the_deadline(match, actors):
    now = timezone.now()
    assert review.expire_and_remind(now=now) == {"expired": 0, "reminded": 0}
    later = match.respond_by + datetime.timedelta(minutes=1)
    result = review.expire_and_remind(now=later)
    assert result["expired"] == 1
    match.refresh_from_db()
    assert match.status == S.EXPIRED
    transition = match.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by_user) == (
        S.PROPOSED,
        S.EXPIRED,
        None,
    )
    assert kinds_for(actors.supplier) == ["expired"]
    # A second run finds nothing more to do.
    assert review.expire_and_remind(now=later)["expired"] == 0


def test_reminder_halfway_only_to_the_side_that_has_not_answered(match, actors):
    review.match_accept(match=match, by_user=actors.buyer)
    Notification.objects.all().delete()
    halfway = match.respond_by - datetime.timedelta(days=6)
    assert review.expire_and_remind(now=match.respond_by - datetime.timedelta(days=8)) == {
        "expired": 0,
        "reminded": 0,
    }
    assert review.expire_and_remind(now=halfway) == {"expired": 0, "reminded": 1}
    assert kinds_for(actors.supplier) == ["expiring"]
    assert kinds_for(actors.buyer) == []
    match.refresh_from_db()
    assert match.reminded_at == halfway
    # Reminded once only.
    assert review.expire_and_remind(now=halfway + datetime.timedelta(hours=1))["reminded"] == 0


def test_a_match_saved_without_deadline_expires_from_its_creation(match):
    Match.objects.filter(pk=match.pk).update(respond_by=None)
    created = Match.objects.get(pk=match.pk).created_at
    assert review.expire_and_remind(now=created + datetime.timedelta(days=13))["expired"] == 0
    assert review.expire_and_remind(now=created + datetime.timedelta(days=15))["expired"] == 1


def test_hidden_matches_expire_without_telling_anyone(match, actors):
    review.match_hide(match=match, by_user=actors.officer)
    review.expire_and_remind(now=match.respond_by + datetime.timedelta(seconds=1))
    match.refresh_from_db()
    assert match.status == S.EXPIRED
    assert not Notification.objects.exists()


def test_expiry_and_reminder_task_with_a_deadline_in_the_past(actors, reference):
    from matchmaking import tasks

    overdue = supply_and_demand_match(
        actors, reference, respond_by=timezone.now() - datetime.timedelta(hours=1)
    )
    soon = supply_and_demand_match(
        actors,
        reference,
        demand=demand_listing(actors, reference, title="Cần mua thêm"),
        respond_by=timezone.now() + datetime.timedelta(days=2),
    )
    result = tasks.expire_and_remind.delay().get()
    assert result == {"expired": 1, "reminded": 1}
    overdue.refresh_from_db()
    soon.refresh_from_db()
    assert overdue.status == S.EXPIRED
    assert soon.status == S.PROPOSED and soon.reminded_at is not None


# --- officers ---------------------------------------------------------------------------------


def test_officer_reopens_an_expired_match(match, actors):
    review.expire_and_remind(now=match.respond_by + datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        review.match_reopen(match=match, by_user=actors.supplier)
    now = timezone.now()
    match = review.match_reopen(match=match, by_user=actors.officer, now=now)
    assert match.status == S.PROPOSED
    assert match.respond_by == now + datetime.timedelta(days=14)
    assert match.transitions.last().as_officer
    assert "new_proposals" in kinds_for(actors.buyer)
    with pytest.raises(MatchStateError):
        review.match_reopen(match=match, by_user=actors.officer)


def test_officer_hides_and_shows_a_match(match, actors):
    with pytest.raises(PermissionDenied):
        review.match_hide(match=match, by_user=actors.buyer)
    review.match_hide(match=match, by_user=actors.officer)
    assert not Match.objects.visible_to(actors.supplier).exists()
    assert Match.objects.visible_to(actors.officer).filter(pk=match.pk).exists()
    review.match_hide(match=match, by_user=actors.officer, hidden=False)
    assert Match.objects.visible_to(actors.supplier).filter(pk=match.pk).exists()
    assert list(match.transitions.values_list("note", flat=True)) == ["hidden", "shown again"]


def test_officer_introduces_two_listings(actors, reference):
    supply = supply_listing(actors, reference)
    demand = demand_listing(actors, reference)
    with pytest.raises(PermissionDenied):
        review.match_introduce(supply=supply, demand=demand, by_user=actors.supplier)
    match = review.match_introduce(
        supply=supply, demand=demand, by_user=actors.officer, note="Gặp tại hội nghị"
    )
    assert (match.status, match.origin, match.introduced_by) == (
        S.PROPOSED,
        Match.Origin.OFFICER,
        actors.officer,
    )
    assert match.suggested_quantity == Decimal("15000.000")  # 15 tonnes wanted, in kg
    assert match.explanation[0]["factor"] == "officer"
    assert "Gặp tại hội nghị" in match.explanation[0]["detail"]
    assert match.respond_by is not None
    assert match.transitions.get().as_officer
    assert kinds_for(actors.supplier) == ["new_proposals"]
    assert kinds_for(actors.buyer) == ["new_proposals"]
    with pytest.raises(MatchStateError, match="already matched"):
        review.match_introduce(supply=supply, demand=demand, by_user=actors.officer)


def test_introduce_refuses_declined_pairs_and_wrong_listings(match, actors, reference):
    review.match_decline(match=match, by_user=actors.buyer, reason="price")
    with pytest.raises(MatchStateError, match="declined"):
        review.match_introduce(supply=match.supply, demand=match.demand, by_user=actors.officer)
    with pytest.raises(ValidationError) as exc:
        review.match_introduce(supply=match.demand, demand=match.supply, by_user=actors.officer)
    assert set(exc.value.message_dict) == {"supply", "demand"}
    own_demand = demand_listing(actors, reference, organization=actors.supplier_org)
    with pytest.raises(ValidationError) as exc:
        review.match_introduce(supply=match.supply, demand=own_demand, by_user=actors.officer)
    assert "same organization" in exc.value.message_dict["demand"][0]


def test_introduce_reproposes_an_expired_pair(match, actors):
    review.expire_and_remind(now=match.respond_by + datetime.timedelta(seconds=1))
    again = review.match_introduce(supply=match.supply, demand=match.demand, by_user=actors.officer)
    assert again.pk == match.pk
    assert (again.status, again.origin) == (S.PROPOSED, Match.Origin.OFFICER)


def test_decline_summary_for_the_listing_owner(actors, reference):
    supply = supply_listing(actors, reference)
    reasons = ["price", "price", "timing"]
    for i, reason in enumerate(reasons):
        demand = demand_listing(actors, reference, title=f"Cần mua {i}")
        m = supply_and_demand_match(actors, reference, supply=supply, demand=demand)
        review.match_decline(match=m, by_user=actors.buyer, reason=reason, note=f"ghi chú {i}")
    pending = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference)
    )
    summary = review.decline_summary(supply)
    assert summary["total"] == 4
    assert summary["pending"] == 1
    assert summary["declined_by_other_side"] == 3
    assert [(r["reason"], r["count"]) for r in summary["reasons"]] == [
        ("price", 2),
        ("timing", 1),
    ]
    assert len(summary["notes"]) == 3
    assert pending.status == S.PROPOSED
    assert Listing.objects.get(pk=supply.pk).side == "supply"
