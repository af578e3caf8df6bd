"""Pools: the one door for forming, storing and answering pooled proposals.

A pool is proposed to a demand that no single supply covers (``engine.pools``). The buyer
accepts or declines the whole pool; each member's organization accepts or declines its own
share. Once the buyer and every member have accepted the pool is ``connected`` and contacts
open buyer ↔ each member (``selectors.contacts_open``). A member's decline drops it: a
replacement from another organization is looked for (every hard rule, free capacity) and, if
found, joins with the missing share, and the buyer confirms the new line-up; otherwise the pool
is ``withdrawn``. A buyer's decline ends pooling for that demand.

Capacity: the shares of active pools (proposed or connected, members not declined) hold part of
their supply like single proposals do (:func:`held_by_pools`); matching subtracts them, and pool
formation only uses what single proposals to other demands leave free.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import organization_ids_of
from core.errors import DomainError
from listings.models import Listing
from matchmaking import engine
from matchmaking.engine import records
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.pools import (
    PoolConfig,
    Pools,
    form_pools,
    pool_candidates,
    subset_result,
)
from matchmaking.models import Match, MatchRun, Notification, Pool, PoolMember
from matchmaking.services import deals, notifications, review

S = Pool.Status
MS = PoolMember.Status
SIDES = (Match.Side.SUPPLY, Match.Side.DEMAND)


class PoolStateError(DomainError):
    """The pool is not in a state that allows this (HTTP 409)."""

    status_code = 409
    code = "illegal_transition"


def pools_enabled() -> bool:
    return bool(settings.MATCHING.get("POOLS", True))


def pool_config() -> PoolConfig:
    return PoolConfig(max_members=int(settings.MATCHING.get("POOL_MAX_MEMBERS", 5)))


# --- capacity ----------------------------------------------------------------------------------


def _held_rows():
    return PoolMember.objects.filter(pool__status__in=Pool.ACTIVE_STATUSES).exclude(
        status=MS.DECLINED
    )


def held_by_pools(*, supply_ids=None, category_ids=None) -> dict[int, float]:
    """Base quantity each supply has promised to active pools."""
    rows = _held_rows()
    if supply_ids is not None:
        rows = rows.filter(supply_id__in=list(supply_ids))
    if category_ids is not None:
        rows = rows.filter(supply__category_id__in=list(category_ids))
    sums = rows.values("supply_id").annotate(q=Sum("suggested_quantity"))
    return {row["supply_id"]: float(row["q"]) for row in sums}


def held_by_matches(supply_ids, *, except_demand: int | None = None) -> dict[int, float]:
    """Base quantity each supply holds in active single matches (a signed contract's, …)."""
    held: dict[int, float] = defaultdict(float)
    rows = Match.objects.filter(status__in=Match.ACTIVE_STATUSES, supply_id__in=list(supply_ids))
    if except_demand is not None:
        rows = rows.exclude(demand_id=except_demand)
    for supply_id, qty in rows.annotate(h=deals.held_quantity()).values_list("supply_id", "h"):
        held[supply_id] += float(qty)
    return held


def _free(supplies: records.ListingTable, rows: np.ndarray, *, except_demand=None) -> np.ndarray:
    """Free quantity of the supplies at ``rows``, aligned with ``supplies`` (0 elsewhere)."""
    free = np.zeros(len(supplies))
    if len(rows) == 0:
        return free
    ids = supplies.id[rows].tolist()
    matches = held_by_matches(ids, except_demand=except_demand)
    pooled = held_by_pools(supply_ids=ids)
    busy = np.array([matches.get(i, 0.0) + pooled.get(i, 0.0) for i in ids])
    free[rows] = np.maximum(supplies.qty[rows] - busy, 0.0)
    return free


def excluded_pairs(demand_ids=None) -> np.ndarray:
    """(supply, demand) keys a pool must not propose again: members that declined."""
    rows = PoolMember.objects.filter(status=MS.DECLINED)
    if demand_ids is not None:
        rows = rows.filter(pool__demand_id__in=list(demand_ids))
    return records.declined_keys(np.array(list(rows.values_list("supply_id", "pool__demand_id"))))


def poolable_demands(demand_ids) -> set[int]:
    """Of these demands, those that may get a new pool: none active, none the buyer declined."""
    taken = set(
        Pool.objects.filter(demand_id__in=list(demand_ids))
        .filter(status__in=[*Pool.ACTIVE_STATUSES, S.DECLINED])
        .values_list("demand_id", flat=True)
    )
    return set(demand_ids) - taken


# --- storing -----------------------------------------------------------------------------------


def store_pools(
    *, run: MatchRun | None, pools: Pools, supplies, demands, announce: bool = True
) -> list[Pool]:
    """Create the formed pools in bulk (a full run forms thousands); demands that got an
    active pool meanwhile are skipped. Each buyer and member hears of its new pool."""
    if not len(pools):
        return []
    demand_ids = demands.id[pools.demand_idx].tolist()
    allowed = poolable_demands(demand_ids)
    todo = [p for p, d in enumerate(demand_ids) if d in allowed]
    objs = [
        Pool(
            demand_id=demand_ids[p],
            covered_quantity=_dec(pools.covered[p]),
            coverage=round(float(min(pools.coverage[p], 1.0)), 4),
            score=round(float(pools.score[p]), 4),
            factors=[round(float(v), 4) for v in pools.factors[p]],
            figures={
                "members": int(pools.offsets[p + 1] - pools.offsets[p]),
                "spread_km": round(float(pools.spread_km[p]), 1),
                "buyer_km": round(float(pools.buyer_km[p]), 1),
            },
            engine_version=engine.ENGINE_VERSION,
            last_run=run,
        )
        for p in todo
    ]
    created = Pool.objects.bulk_create(objs, batch_size=1000)
    members = []
    for pool, p in zip(created, todo, strict=True):
        span = pools.members(p)
        for s, q, sc, f in zip(
            pools.supply_idx[span].tolist(),
            pools.qty[span].tolist(),
            pools.member_score[span].tolist(),
            pools.member_factors[span].tolist(),
            strict=True,
        ):
            members.append(
                PoolMember(
                    pool=pool,
                    supply_id=int(supplies.id[s]),
                    organization_id=int(supplies.org[s]),
                    suggested_quantity=_dec(q),
                    score=round(float(sc), 4),
                    factors=[round(float(v), 4) for v in f],
                )
            )
    PoolMember.objects.bulk_create(members, batch_size=2000)
    if announce and created:
        _announce_new(created, members, demands, pools, todo)
    return created


def _announce_new(created, members, demands, pools: Pools, todo) -> None:
    """One notification per member of the buyer and of each supplier, in bulk."""
    orgs_of: dict[int, list[int]] = defaultdict(list)
    for pool, p in zip(created, todo, strict=True):
        orgs_of[pool.pk].append(int(demands.org[pools.demand_idx[p]]))
    for m in members:
        orgs_of[m.pool_id].append(m.organization_id)
    all_orgs = {o for orgs in orgs_of.values() for o in orgs}
    users: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in Membership.objects.filter(
        organization_id__in=all_orgs, user__is_active=True
    ).values_list("organization_id", "user_id"):
        users[org_id].append(user_id)
    titles = dict(
        Listing.objects.filter(pk__in=[p.demand_id for p in created]).values_list("pk", "title")
    )
    rows = []
    for pool in created:
        params = {
            "what": "proposed",
            "demand": titles.get(pool.demand_id, ""),
            "coverage": round(pool.coverage * 100),
            "org": "",
            "pool": pool.pk,
        }
        for org_id in dict.fromkeys(orgs_of[pool.pk]):
            rows.extend(
                Notification(
                    user_id=u, organization_id=org_id, kind=Notification.Kind.POOL, params=params
                )
                for u in users[org_id]
            )
    Notification.objects.bulk_create(rows, batch_size=2000)


def _dec(value: float) -> Decimal:
    return Decimal(str(round(float(value), 3)))


# --- the single-listing path -------------------------------------------------------------------


def pool_for_demand(*, listing: Listing, run: MatchRun, result, supplies_all, demands, ref):
    """A saved demand that no single proposal covers gets a pool (if the market allows).

    ``result`` is the demand's single proposals (not stored yet; ``demands`` is the demand's
    one-row table); the ones from supplies that join the pool are dropped from it, since the
    pool takes that capacity for the same buyer. Returns ``(result, pool or None)``.
    """
    if not pools_enabled() or listing.is_supply or listing.status != Listing.Status.OPEN:
        return result, None
    if listing.pk not in poolable_demands([listing.pk]):
        return result, None
    want = float(demands.qty[0])
    if want <= 0 or (len(result) and float(result.suggested_qty.max()) >= want * (1 - 1e-9)):
        return result, None
    rows, score = pool_candidates(demands, 0, supplies_all, ref.context)
    excluded = excluded_pairs([listing.pk])
    if len(rows) and len(excluded):
        keys = records.pair_keys(supplies_all.id[rows], np.full(len(rows), listing.pk))
        ok = ~np.isin(keys, excluded)
        rows, score = rows[ok], score[ok]
    if len(rows) < 2:
        return result, None
    free = _free(supplies_all, rows, except_demand=listing.pk)
    pools = form_pools(
        supplies_all,
        demands,
        ref.context,
        np.zeros(len(rows), dtype=np.int64),
        rows,
        score,
        free,
        pool_config(),
    )
    if not len(pools):
        return result, None
    stored = store_pools(run=run, pools=pools, supplies=supplies_all, demands=demands)
    if not stored:
        return result, None
    pool = stored[0]
    members = set(supplies_all.id[pools.supply_idx].tolist())
    _withdraw_singles(listing.pk, sorted(members))
    keep = ~np.isin(result.supply_id, list(members))
    return subset_result(result, keep), pool


def pools_for_supply(*, listing: Listing, run: MatchRun, result, demands, supplies_all, ref):
    """A saved supply may complete pools: for the (few) demands it was just proposed to
    without covering them, and that no single match covers, a pool is formed if the market
    now allows one. Its own single offer to a demand it joins a pool for is dropped from
    ``result`` (not stored yet). Returns ``(result, pools created)``."""
    if not pools_enabled() or not listing.is_supply or not len(result):
        return result, []
    positions = {int(v): i for i, v in enumerate(supplies_all.id)}
    own = positions.get(listing.pk)
    if own is None:  # the worker's market has not seen it yet: the next full run will
        return result, []
    partial = result.suggested_qty < demands.qty[result.demand_idx] * (1 - 1e-9)
    order = np.flatnonzero(partial)[np.argsort(-result.score[partial], kind="stable")]
    created: list[Pool] = []
    keep = np.ones(len(result), dtype=bool)
    for i in order[:3].tolist():
        d_row = int(result.demand_idx[i])
        demand_id = int(demands.id[d_row])
        if demand_id not in poolable_demands([demand_id]) or _covered_by_a_match(demand_id):
            continue
        demand = demands.take(np.array([d_row]))
        rows, score = pool_candidates(demand, 0, supplies_all, ref.context)
        excluded = excluded_pairs([demand_id])
        if len(rows) and len(excluded):
            keys = records.pair_keys(supplies_all.id[rows], np.full(len(rows), demand_id))
            ok = ~np.isin(keys, excluded)
            rows, score = rows[ok], score[ok]
        if len(rows) < 2 or own not in rows.tolist():
            continue
        free = _free(supplies_all, rows, except_demand=demand_id)
        # This supply's new single offers to other demands (not stored yet) hold capacity too.
        others = keep & (result.demand_idx != d_row)
        free[own] = max(free[own] - float(result.suggested_qty[others].sum()), 0.0)
        formed = form_pools(
            supplies_all,
            demand,
            ref.context,
            np.zeros(len(rows), dtype=np.int64),
            rows,
            score,
            free,
            pool_config(),
        )
        if not len(formed):
            continue
        stored = store_pools(run=run, pools=formed, supplies=supplies_all, demands=demand)
        if not stored:
            continue
        created.extend(stored)
        members = supplies_all.id[formed.supply_idx].tolist()
        _withdraw_singles(demand_id, members)
        if listing.pk in members:
            keep[i] = False
    return subset_result(result, keep), created


def _covered_by_a_match(demand_id: int) -> bool:
    """An active single match already offers the demand's whole quantity."""
    demand = Listing.objects.filter(pk=demand_id).values_list("quantity_base", flat=True).first()
    if demand is None:
        return True
    return Match.objects.filter(
        demand_id=demand_id,
        status__in=Match.ACTIVE_STATUSES,
        suggested_quantity__gte=demand * Decimal("0.999999"),
    ).exists()


# --- the full re-match -------------------------------------------------------------------------


def chunk_inputs(category_ids, supplies, demands) -> tuple[np.ndarray, np.ndarray, dict]:
    """What a full re-match chunk passes to ``match_full_with_pools``: the demands that may get
    a pool (a mask), the excluded pairs, and the pool shares to hold (by supply id)."""
    ids = demands.id.tolist()
    allowed = poolable_demands(ids)
    mask = np.array([i in allowed for i in ids], dtype=bool)
    return mask, excluded_pairs(ids), held_by_pools(category_ids=category_ids)


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


# --- answers -----------------------------------------------------------------------------------


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


@transaction.atomic
def pool_accept(*, pool: Pool, by_user, side: str | None = None, supply: int | None = None) -> Pool:
    """The buyer or one member accepts; connected once the buyer and every member did."""
    pool = _locked(pool)
    member, _officer = acting_for(pool, by_user, side=side, supply=supply)
    if pool.status != S.PROPOSED:
        raise PoolStateError(
            _("A pool that is “%(status)s” can no longer be accepted.")
            % {"status": pool.get_status_display()}
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
    pool = _locked(pool)
    member, _officer = acting_for(pool, by_user, side=side, supply=supply)
    if pool.status != S.PROPOSED:
        raise PoolStateError(
            _("A pool that is “%(status)s” can no longer be declined.")
            % {"status": pool.get_status_display()}
        )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in Match.DeclineReason.values:
        errors["reason"] = [
            _("Choose a reason: %(choices)s.") % {"choices": ", ".join(Match.DeclineReason.values)}
        ]
    if len(note) > 1000:
        errors["note"] = [_("Keep the note under 1000 characters.")]
    if errors:
        raise ValidationError(errors)
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
    # The line-up changed: the buyer confirms it again.
    pool.demand_accepted_at = None
    _refresh_totals(pool)
    _notify_all(pool, "reformed", org=member.organization.name)
    notifications.send_digests_on_commit()
    return pool


@transaction.atomic
def pool_withdraw(*, pool: Pool, note: str = "") -> Pool:
    """A pool that no longer holds together is withdrawn (idempotent)."""
    pool = _locked(pool)
    if pool.status != S.PROPOSED:
        return pool
    pool.status, pool.closed_note = S.WITHDRAWN, note[:200]
    pool.save(update_fields=["status", "closed_note", "updated_at"])
    _notify_all(pool, "withdrawn")
    return pool


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
    free = _free(supplies, rows, except_demand=pool.demand_id)
    found = form_pools(
        supplies,
        demand,
        ref.context,
        np.zeros(len(rows), dtype=np.int64),
        rows,
        score,
        free,
        PoolConfig(
            max_members=slots, min_members=1, candidates=cfg.candidates, tolerance=cfg.tolerance
        ),
        want=np.array([missing]),
    )
    if not len(found):
        return []
    span = found.members(0)
    new = [
        PoolMember(
            pool=pool,
            supply_id=int(supplies.id[s]),
            organization_id=int(supplies.org[s]),
            suggested_quantity=_dec(q),
            score=round(float(sc), 4),
            factors=[round(float(v), 4) for v in f],
        )
        for s, q, sc, f in zip(
            found.supply_idx[span].tolist(),
            found.qty[span].tolist(),
            found.member_score[span].tolist(),
            found.member_factors[span],
            strict=True,
        )
    ]
    joined = PoolMember.objects.bulk_create(new)
    _withdraw_singles(pool.demand_id, [m.supply_id for m in joined])
    return joined


def _withdraw_singles(demand_id: int, supply_ids: list[int]) -> None:
    """Pending engine offers of these supplies to the demand: the pool holds them now."""
    for match in Match.objects.filter(
        demand_id=demand_id,
        supply_id__in=supply_ids,
        status__in=Match.PENDING_STATUSES,
        origin=Match.Origin.ENGINE,
    ):
        review.match_withdraw(match=match, reason="joined a pool for this demand")


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
