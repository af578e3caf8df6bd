"""Pools: every answer and every change of a pool's status.

The buyer accepts or declines the whole pool; each member's organization accepts or declines
its own share. Once the buyer and every member have accepted the pool is ``connected`` and
contacts open buyer ↔ each member (``selectors.contacts_open``). A member's decline drops it: a
replacement from another organization is looked for (every hard rule, free capacity) and, if
found, joins with the missing share, and the buyer confirms the new line-up; otherwise the pool
is ``withdrawn``. A buyer's decline ends pooling for that demand. A pool nobody finished
answering by its review deadline is withdrawn as expired (:func:`expire_pools`), and the full
re-match withdraws those that no longer qualify. Every step notifies the buyer and the members.
Forming pools and the capacity they hold live in ``pools``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import organization_ids_of
from core.errors import DomainError
from listings.models import Listing
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.pools import PoolConfig, pool_candidates
from matchmaking.models import Match, MatchRun, Pool, PoolMember
from matchmaking.services import notifications
from matchmaking.services.pools import (
    form_one,
    free_of_best,
    member_rows,
    pool_config,
    withdraw_singles,
)
from matchmaking.services.transitions import (
    clean_decline,
    due_expression,
    due_of,
    review_deadline,
)

S = Pool.Status
MS = PoolMember.Status


class PoolStateError(DomainError):
    """The pool is not in a state that allows this (HTTP 409)."""

    status_code = 409
    code = "illegal_transition"


def _locked(pool: Pool) -> Pool:
    return (
        Pool.objects.select_for_update(of=("self",))
        .select_related("demand__organization", "demand__unit")
        .get(pk=pool.pk)
    )


def acting_for(
    pool: Pool, user, *, side: str | None = None, supply: int | None = None
) -> tuple[PoolMember | None, bool]:
    """Whom the user answers for: (None = the buyer, or the member), and whether an officer
    acts for them. Members answer only for their own share; officers name the side (and the
    supply, for a member)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to answer a pool."))
    mine = organization_ids_of(user)
    members = pool.current_members()
    by_supply = {m.supply_id: m for m in members}
    buyer = pool.demand.organization_id in mine
    own = [m for m in members if m.organization_id in mine]
    officer = bool(getattr(user, "is_officer", False))
    if not (buyer or own or officer):
        raise PermissionDenied(_("Only the buyer, a member or an officer may answer a pool."))
    if supply is not None:
        if supply not in by_supply:
            raise ValidationError({"supply": [_("This supply is not a member of the pool.")]})
        member = by_supply[supply]
        if member.organization_id in mine:
            return member, False
        if officer:
            return member, True
        raise PermissionDenied(_("You can only answer for your own share of this pool."))
    if side == Match.Side.DEMAND:
        if buyer:
            return None, False
        if officer:
            return None, True
        raise PermissionDenied(_("Only the buyer may answer for the demand."))
    if side == Match.Side.SUPPLY and len(own) == 1:
        return own[0], False
    if side is None and buyer and not own:
        return None, False
    if side is None and len(own) == 1 and not buyer:
        return own[0], False
    if officer and not (buyer or own):
        raise ValidationError(
            {"side": [_("As an officer, say whom you act for: the demand, or a supply.")]}
        )
    raise ValidationError(
        {
            "supply": [
                _("You take part in this pool more than once: say which share you answer for.")
            ]
        }
    )


def _answering(pool: Pool, by_user, side, supply, refusal: str) -> tuple[Pool, PoolMember | None]:
    """The pool locked and whom the user answers for; ``refusal`` (with ``%(status)s``) when
    the pool is past answering."""
    pool = _locked(pool)
    member, _officer = acting_for(pool, by_user, side=side, supply=supply)
    if pool.status != S.PROPOSED:
        raise PoolStateError(refusal % {"status": pool.get_status_display()})
    return pool, member


@transaction.atomic
def pool_accept(*, pool: Pool, by_user, side: str | None = None, supply: int | None = None) -> Pool:
    """The buyer or one member accepts; connected once the buyer and every member did."""
    pool, member = _answering(
        pool, by_user, side, supply, _("A pool that is “%(status)s” can no longer be accepted.")
    )
    now = timezone.now()
    if member is None:
        if pool.demand_accepted_at is not None:
            raise PoolStateError(_("The buyer has already accepted; waiting for the members."))
        pool.demand_accepted_at = now
        pool.save(update_fields=["demand_accepted_at", "updated_at"])
        who = pool.demand.organization.name
    else:
        if member.status == MS.ACCEPTED:
            raise PoolStateError(_("This share has already been accepted."))
        member.status, member.accepted_at = MS.ACCEPTED, now
        member.save(update_fields=["status", "accepted_at", "updated_at"])
        who = member.organization.name
    members = pool.current_members()
    if pool.demand_accepted_at and all(m.status == MS.ACCEPTED for m in members):
        pool.status, pool.connected_at = S.CONNECTED, now
        pool.save(update_fields=["status", "connected_at", "updated_at"])
        _notify_all(pool, "connected")
    else:
        _notify_all(pool, "accepted", org=who, skip=member.organization_id if member else None)
    notifications.send_digests_on_commit()
    return pool


@transaction.atomic
def pool_decline(
    *,
    pool: Pool,
    by_user,
    reason: str,
    note: str = "",
    side: str | None = None,
    supply: int | None = None,
) -> Pool:
    """The buyer declines the pool (no more pools for that demand), or a member its share
    (it is dropped; a replacement joins, or the pool is withdrawn)."""
    pool, member = _answering(
        pool, by_user, side, supply, _("A pool that is “%(status)s” can no longer be declined.")
    )
    note = clean_decline(reason=reason, note=note)
    if member is None:
        pool.status, pool.decline_reason, pool.decline_note = S.DECLINED, reason, note
        pool.save(update_fields=["status", "decline_reason", "decline_note", "updated_at"])
        _notify_all(pool, "declined", org=pool.demand.organization.name)
        return pool
    member.status, member.decline_reason, member.decline_note = MS.DECLINED, reason, note
    member.save(update_fields=["status", "decline_reason", "decline_note", "updated_at"])
    joined = _replace(pool, member)
    if not joined:
        return pool_withdraw(pool=pool, note="a member declined; no replacement")
    # The line-up changed: the buyer confirms it again, and everyone has a new review period.
    pool.demand_accepted_at = None
    pool.respond_by = review_deadline()
    _refresh_totals(pool)
    _notify_all(pool, "reformed", org=member.organization.name)
    notifications.send_digests_on_commit()
    return pool


@transaction.atomic
def pool_withdraw(*, pool: Pool, note: str = "", what: str = "withdrawn") -> Pool:
    """A pool that no longer holds together is withdrawn (idempotent); ``note`` says why
    (kept on the pool), ``what`` is the step the buyer and the members are told of."""
    pool = _locked(pool)
    if pool.status != S.PROPOSED:
        return pool
    pool.status, pool.closed_note = S.WITHDRAWN, note[:200]
    pool.save(update_fields=["status", "closed_note", "updated_at"])
    _notify_all(pool, what)
    return pool


# --- expiry --------------------------------------------------------------------------------------

EXPIRED_NOTE = "expired: no answer before the deadline"


@transaction.atomic
def pool_expire(*, pool: Pool, now: datetime.datetime | None = None) -> Pool:
    """The buyer or a member did not answer in time: the pool is withdrawn as expired (there
    is no ``expired`` status in the API contract) and its demand may be pooled again by the
    next full re-match. Idempotent; does nothing before the deadline (re-checked under the
    row lock: a re-formed line-up has a new one)."""
    now = now or timezone.now()
    locked = _locked(pool)
    if locked.status != S.PROPOSED or due_of(locked) >= now:
        return locked
    return pool_withdraw(pool=locked, note=EXPIRED_NOTE, what="expired")


def expire_pools(*, now: datetime.datetime | None = None) -> int:
    """Withdraw every proposed pool past its deadline (the beat's sweep; safe to run twice,
    or in two workers at once). Returns how many expired."""
    now = now or timezone.now()
    overdue = (
        Pool.objects.filter(status=S.PROPOSED)
        .annotate(due=due_expression())
        .filter(due__lt=now)
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in list(overdue):
        expired += pool_expire(pool=Pool(pk=pk), now=now).closed_note == EXPIRED_NOTE
    if expired:
        notifications.send_digests_on_commit()
    return expired


def _replace(pool: Pool, declined: PoolMember) -> list[PoolMember]:
    """Members from other organizations that fill the declined share (every hard rule, free
    quantity); none when the market has none."""
    from matchmaking.services.market import build_table, declined_pairs, market_cache
    from matchmaking.services.reference import load_reference

    ref = load_reference(declined=declined_pairs(Match.objects.filter(demand_id=pool.demand_id)))
    supplies, _demands = market_cache().get(ref)
    demand = build_table(Listing.objects.filter(pk=pool.demand_id), ref, side=Listing.Side.DEMAND)
    if not len(demand) or not len(supplies):
        return []
    members = pool.current_members()
    cfg = pool_config()
    slots = cfg.max_members - len(members)
    missing = float(declined.suggested_quantity)
    if slots < 1 or missing <= 0:
        return []
    rows, score = pool_candidates(demand, 0, supplies, ref.context)
    taken_orgs = {m.organization_id for m in members} | {pool.demand.organization_id}
    excluded = set(
        PoolMember.objects.filter(pool__demand_id=pool.demand_id).values_list(
            "supply_id", flat=True
        )
    )
    ok = np.array(
        [
            int(supplies.org[r]) not in taken_orgs and int(supplies.id[r]) not in excluded
            for r in rows.tolist()
        ],
        dtype=bool,
    )
    rows, score = rows[ok] if len(rows) else rows, score[ok] if len(rows) else score
    if not len(rows):
        return []
    # A pending single offer of a candidate to this same buyer gives way if it joins.
    config = PoolConfig(
        max_members=slots, min_members=1, candidates=cfg.candidates, tolerance=cfg.tolerance
    )
    rows, score, free = free_of_best(
        supplies, demand, ref, rows, score, except_demand=pool.demand_id, config=config
    )
    found = form_one(supplies, demand, ref, rows, score, free, config, want=np.array([missing]))
    if not len(found):
        return []
    new = member_rows(pool, found, 0, supplies)
    joined = PoolMember.objects.bulk_create(new)
    withdraw_singles(pool.demand_id, [m.supply_id for m in joined])
    return joined


def withdraw_unqualified(*, run: MatchRun, category_ids, supplies, demands, ref) -> int:
    """Proposed pools in this chunk whose demand closed or a member no longer passes every
    hard rule are withdrawn (a new pool may be formed by the next run)."""
    pools = list(
        Pool.objects.filter(status=S.PROPOSED, demand__category_id__in=list(category_ids))
        .select_related("demand")
        .prefetch_related("members")
    )
    if not pools:
        return 0
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    gone = 0
    for pool in pools:
        members = pool.current_members()
        ok = pool.demand_id in d_pos and all(m.supply_id in s_pos for m in members)
        if ok and members:
            s_idx = np.array([s_pos[m.supply_id] for m in members], dtype=np.intp)
            d_idx = np.full(len(members), d_pos[pool.demand_id], dtype=np.intp)
            ok = bool(hard_filter_mask(supplies, demands, s_idx, d_idx, ref.context).all())
        if not ok:
            pool_withdraw(pool=pool, note=f"no longer qualifies (run {run.pk})")
            gone += 1
    return gone


def _refresh_totals(pool: Pool) -> None:
    """Covered quantity, coverage and score after the line-up changed."""
    members = pool.current_members()
    covered = sum((m.suggested_quantity for m in members), Decimal(0))
    want = pool.demand.quantity_base or Decimal(1)
    pool.covered_quantity = covered
    pool.coverage = round(min(float(covered / want), 1.0), 4)
    if covered > 0:
        pool.score = round(
            sum(float(m.score) * float(m.suggested_quantity) for m in members) / float(covered), 4
        )
    pool.figures = {**(pool.figures or {}), "members": len(members)}
    pool.save()


# --- notices -----------------------------------------------------------------------------------


def _notify_all(pool: Pool, what: str, *, org: str = "", skip: int | None = None) -> None:
    """The buyer and every current member hear of a step of the pool."""
    params = {
        "what": what,
        "demand": pool.demand.title,
        "coverage": round(float(pool.coverage) * 100),
        "org": org,
        "pool": pool.pk,
    }
    orgs = [pool.demand.organization_id, *(m.organization_id for m in pool.current_members())]
    for org_id in dict.fromkeys(orgs):
        if org_id != skip:
            notifications.notify_organization(
                organization_id=org_id, kind=notifications.Kind.POOL, params=params
            )
