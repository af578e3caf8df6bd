"""The full re-match and the sweep keep "last matched" in matchmaking (ListingMatchState)."""

import datetime

import pytest
from django.utils import timezone

from listings.models import Listing
from matchmaking.models import ListingMatchState, Match, MatchRun
from matchmaking.services import match_state, matching, rematch
from matchmaking.tests.factories import demand_listing, supply_listing

pytestmark = pytest.mark.django_db


def _run_inline() -> MatchRun:
    run = MatchRun.objects.create(kind=MatchRun.Kind.FULL)
    for chunk in rematch.plan_full_rematch(run_id=run.pk):
        rematch.run_chunk(run_id=run.pk, category_ids=chunk)
    rematch.finish_full_rematch(run_id=run.pk)
    return run


def test_a_full_run_marks_what_it_covered_and_the_sweep_then_finds_nothing(actors, reference):
    supply, demand = supply_listing(actors, reference), demand_listing(actors, reference)
    past = timezone.now() - datetime.timedelta(minutes=5)
    Listing.objects.filter(pk__in=[supply.pk, demand.pk]).update(updated_at=past)
    assert set(match_state.unmatched_listings().values_list("pk", flat=True)) == {
        supply.pk,
        demand.pk,
    }

    _run_inline()

    assert Match.objects.filter(supply=supply, demand=demand).exists()
    assert set(ListingMatchState.objects.values_list("listing_id", flat=True)) == {
        supply.pk,
        demand.pk,
    }
    assert not match_state.unmatched_listings().exists()
    assert rematch.sweep_unmatched(older_than_seconds=0) == 0


def test_a_listing_changed_after_it_was_matched_is_swept_again(actors, reference):
    supply = supply_listing(actors, reference)
    matching.match_listing(listing_id=supply.pk)
    state = ListingMatchState.objects.get(listing=supply)
    assert not match_state.unmatched_listings().exists()

    Listing.objects.filter(pk=supply.pk).update(
        updated_at=state.matched_at + datetime.timedelta(seconds=1)
    )
    assert list(match_state.unmatched_listings().values_list("pk", flat=True)) == [supply.pk]
    # Marking again (as the task does) is an upsert: still one row, newer time.
    match_state.mark_matched([supply.pk])
    assert ListingMatchState.objects.filter(listing=supply).count() == 1
    assert ListingMatchState.objects.get(listing=supply).matched_at > state.matched_at


def test_a_closed_listing_is_never_swept(actors, reference):
    supply = supply_listing(actors, reference, status=Listing.Status.CLOSED)
    assert supply.pk not in match_state.unmatched_listings().values_list("pk", flat=True)
