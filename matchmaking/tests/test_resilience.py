"""Matching survives a broker outage and a worker dying in the middle of a full re-match."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import ProductCategory, Unit
from config.celery import app as celery_app
from core.actors import SYSTEM
from listings import services as listing_services
from listings.models import Listing
from listings.tests.factories import required_demand_payload
from matchmaking.models import ListingMatchState, Match, MatchRun
from matchmaking.services import rematch
from matchmaking.tests.celery_utils import broker
from matchmaking.tests.factories import matchable_demand as _demand
from matchmaking.tests.factories import matchable_supply as _supply

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    with broker(CLOSED_PORT):
        yield


def test_posting_works_while_the_broker_is_down_and_is_matched_once_it_is_back(
    actors, reference, api
):
    _supply(actors, reference)  # matched normally (eager)
    with broker(CLOSED_PORT):
        demand = _demand(actors, reference)  # enqueueing fails: the listing is still saved
    assert not ListingMatchState.objects.filter(listing=demand).exists()
    assert not Match.objects.exists()

    # Broker back: the periodic sweep finds the listing that was never matched.
    assert rematch.sweep_unmatched(older_than_seconds=0) >= 1
    match = Match.objects.get()
    assert match.demand_id == demand.pk
    assert ListingMatchState.objects.get(listing=demand).matched_at is not None


def test_the_api_answers_201_while_the_broker_is_down(actors, reference, api, broker_down):
    response = api.as_user(actors.buyer).post(
        "/api/v1/listings/", required_demand_payload(actors.buyer_org), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Listing.objects.filter(pk=response.json()["id"]).exists()


def _second_family(actors, reference):
    """A second root category, so the full re-match has two chunks."""
    seafood = ProductCategory.objects.create(slug="seafood", name="Thủy sản", name_en="Seafood")
    shrimp = ProductCategory.objects.create(
        slug="shrimp", name="Tôm", name_en="Shrimp", parent=seafood
    )
    today = timezone.localdate()
    common = dict(
        by_user=SYSTEM,  # the platform's own writes (no deprecated by_user=None)
        unit=Unit.objects.get(code="tonne"),
        available_from=today,
        available_until=today + datetime.timedelta(days=40),
        status=Listing.Status.OPEN,
    )
    listing_services.listing_create(
        organization=actors.outsider_org,
        side=Listing.Side.SUPPLY,
        title="Tôm sú Cà Mau",
        category=shrimp,
        quantity=Decimal("8"),
        province=reference.lamdong,
        **common,
    )
    listing_services.listing_create(
        organization=actors.buyer_org,
        side=Listing.Side.DEMAND,
        title="Mua tôm sú",
        category=seafood,
        quantity=Decimal("2"),
        province=reference.hcmc,
        **common,
    )


def test_a_rerun_after_a_worker_died_mid_run_leaves_no_duplicate_and_loses_nothing(
    actors, reference
):
    _supply(actors, reference)
    _demand(actors, reference)
    _second_family(actors, reference)
    clean = set(Match.objects.values_list("supply_id", "demand_id"))
    assert len(clean) == 2

    # A full run whose worker dies after its first chunk: the run never finishes.
    Match.objects.all().delete()
    run = MatchRun.objects.create(kind=MatchRun.Kind.FULL)
    chunks = rematch.plan_full_rematch(run_id=run.pk)
    assert len(chunks) == 2
    rematch.run_chunk(run_id=run.pk, category_ids=chunks[0])
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING
    # The chunk's message is redelivered (acks_late) and the run is also started again.
    rematch.run_chunk(run_id=run.pk, category_ids=chunks[0])
    again = rematch.start_full_rematch()
    again.refresh_from_db()
    assert again.status == MatchRun.Status.DONE

    pairs = list(Match.objects.values_list("supply_id", "demand_id"))
    assert len(pairs) == len(set(pairs))  # no duplicate
    assert set(pairs) == clean  # nothing lost
    assert celery_app.conf.task_acks_late and celery_app.conf.task_reject_on_worker_lost
