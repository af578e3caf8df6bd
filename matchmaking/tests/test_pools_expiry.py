"""Pools expire like matches: unanswered by the review deadline, a proposed pool is withdrawn
as expired (audited on the pool, both sides told), swept by beat, and its demand may be pooled
again by the next full re-match."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from matchmaking import tasks
from matchmaking.models import MatchRun, Notification, Pool
from matchmaking.services import pool_review, rematch
from matchmaking.services import pools as pool_service
from matchmaking.services.transitions import review_days
from matchmaking.tests.factories_pools import pool_demand, pool_supply

pytestmark = pytest.mark.django_db(transaction=True)


def _pooled(actors, reference, coops) -> tuple[Pool, list]:
    supplies = [pool_supply(c, reference) for c in coops[:3]]
    pool = Pool.objects.get(demand=pool_demand(actors, reference))
    return pool, supplies


def _told(pool: Pool, what: str) -> set[int]:
    return set(
        Notification.objects.filter(
            kind=Notification.Kind.POOL, params__what=what, params__pool=pool.pk
        ).values_list("organization_id", flat=True)
    )


def test_a_pool_gets_the_review_deadline_of_a_match(actors, reference, coops):
    before = timezone.now()
    pool, _supplies = _pooled(actors, reference, coops)
    period = datetime.timedelta(days=review_days())
    assert before + period <= pool.respond_by <= timezone.now() + period
    # Nothing happens before the deadline, even with the buyer's answer in.
    pool_review.pool_accept(pool=pool, by_user=actors.buyer)
    assert pool_review.expire_pools(now=pool.respond_by - datetime.timedelta(minutes=1)) == 0
    pool.refresh_from_db()
    assert pool.status == Pool.Status.PROPOSED


def test_the_sweep_withdraws_an_unanswered_pool_and_the_demand_is_pooled_again(
    actors, reference, coops
):
    pool, supplies = _pooled(actors, reference, coops)
    members = {m.organization_id for m in pool.current_members()}
    # One member answered; the others did not, and the deadline is past (time travel).
    pool_review.pool_accept(pool=pool, by_user=coops[0].user)
    Pool.objects.filter(pk=pool.pk).update(respond_by=timezone.now() - datetime.timedelta(hours=1))

    assert tasks.expire_pools.delay().get() == 1
    pool.refresh_from_db()
    assert pool.status == Pool.Status.WITHDRAWN  # no new status: the API contract's four
    assert pool.closed_note.startswith("expired")
    assert _told(pool, "expired") == {actors.buyer_org.pk, *members}
    assert not pool_service.held_by_pools(supply_ids=[s.pk for s in supplies])
    assert tasks.expire_pools.delay().get() == 0  # idempotent

    run = rematch.start_full_rematch()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    again = Pool.objects.get(demand=pool.demand, status=Pool.Status.PROPOSED)
    assert again.pk != pool.pk and again.respond_by > timezone.now()
    assert {m.supply_id for m in again.current_members()} <= {s.pk for s in supplies}
    assert again.coverage == pytest.approx(1.0)


def test_pools_without_a_stored_deadline_expire_after_the_review_period(actors, reference, coops):
    pool, _supplies = _pooled(actors, reference, coops)
    Pool.objects.filter(pk=pool.pk).update(respond_by=None)
    created = Pool.objects.get(pk=pool.pk).created_at
    days = datetime.timedelta(days=review_days())
    assert pool_review.expire_pools(now=created + days - datetime.timedelta(hours=1)) == 0
    assert pool_review.expire_pools(now=created + days + datetime.timedelta(hours=1)) == 1
    assert Pool.objects.get(pk=pool.pk).status == Pool.Status.WITHDRAWN


def test_a_reformed_line_up_gets_a_new_deadline_and_connected_pools_never_expire(
    api, actors, reference, coops
):
    pool, _supplies = _pooled(actors, reference, coops)
    pool_supply(coops[3], reference)  # a replacement, posted after the pool was formed
    first_due = pool.respond_by
    Pool.objects.filter(pk=pool.pk).update(respond_by=timezone.now() + datetime.timedelta(days=1))
    pool_review.pool_decline(pool=pool, by_user=coops[1].user, reason="quantity")
    pool.refresh_from_db()
    assert pool.status == Pool.Status.PROPOSED and pool.respond_by >= first_due
    assert pool_review.expire_pools(now=timezone.now() + datetime.timedelta(days=2)) == 0

    pool_review.pool_accept(pool=pool, by_user=actors.buyer)
    for member in pool.current_members():
        coop = next(c for c in coops if c.org.pk == member.organization_id)
        pool_review.pool_accept(pool=pool, by_user=coop.user)
    pool.refresh_from_db()
    assert pool.status == Pool.Status.CONNECTED
    assert pool_review.expire_pools(now=pool.respond_by + datetime.timedelta(days=1)) == 0
    assert Pool.objects.get(pk=pool.pk).status == Pool.Status.CONNECTED
