"""Pools: forming and storing pooled proposals, and the capacity their shares hold.

A pool is proposed to a demand that no single supply covers (``engine.pools``): on a saved
demand or supply (:func:`pool_for_demand`, :func:`pools_for_supply`) and in the full re-match
(:func:`chunk_inputs`, :func:`store_pools`). Every answer and every change of a pool's status
(accept, decline, a member's replacement, withdrawal, expiry) lives in ``pool_review``.

Capacity: the shares of active pools (proposed or connected, members not declined) hold part of
their supply like single proposals do (:func:`held_by_pools`); matching subtracts them, and pool
formation only uses what single proposals to other demands leave free.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import Sum

from accounts.models import Membership
from core.queries import id_set
from listings.models import Listing
from matchmaking import engine
from matchmaking.engine import records
from matchmaking.engine.pools import (
    _EPS,
    PoolConfig,
    Pools,
    candidate_order,
    form_pools,
    pool_candidates,
    subset_result,
)
from matchmaking.models import Match, MatchRun, Notification, Pool, PoolMember
from matchmaking.services import deals, review
from matchmaking.services.transitions import review_deadline

S = Pool.Status
MS = PoolMember.Status


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
    rows = _pools_holding(supply_ids=supply_ids, category_ids=category_ids)
    return {supply_id: float(h) for supply_id, h in rows.values_list("supply_id", "h")}


def _pools_holding(*, supply_ids=None, category_ids=None):
    """Base quantity each supply holds in active pools, as ``(supply_id, h)`` rows (for given
    supplies, from ``pool_member_held_cover_idx`` and the pools' keys)."""
    rows = _held_rows()
    if supply_ids is not None:
        rows = rows.filter(supply_id__in=id_set(supply_ids))
    if category_ids is not None:
        rows = rows.filter(supply__category_id__in=list(category_ids))
    return rows.values("supply_id").annotate(h=Sum("suggested_quantity")).order_by()


def _matches_holding(supply_ids, except_demand: int | None):
    """Base quantity each supply holds in active single matches (a signed contract's, …),
    as ``(supply_id, h)`` rows."""
    rows = Match.objects.filter(status__in=Match.ACTIVE_STATUSES, supply_id__in=id_set(supply_ids))
    if except_demand is not None:
        rows = rows.exclude(demand_id=except_demand)
    # Summed by PostgreSQL: a demand's pool candidates are thousands of supplies, and a row
    # per match (with its converters) cost the single-listing path up to 20 ms.
    return rows.values("supply_id").annotate(h=Sum(deals.held_quantity())).order_by()


def free_quantity(
    supplies: records.ListingTable, rows: np.ndarray, *, except_demand=None
) -> np.ndarray:
    """Free quantity of the supplies at ``rows``, aligned with ``supplies`` (0 elsewhere):
    their quantity less what active single matches (:func:`_matches_holding`) and active
    pools (:func:`held_by_pools`) hold, both read in one statement."""
    free = np.zeros(len(supplies))
    if len(rows) == 0:
        return free
    ids = supplies.id[rows].tolist()
    held: dict[int, float] = defaultdict(float)
    both = _matches_holding(ids, except_demand).values_list("supply_id", "h")
    for supply_id, qty in both.union(
        _pools_holding(supply_ids=ids).values_list("supply_id", "h"), all=True
    ):
        held[supply_id] += float(qty)
    busy = np.array([held.get(i, 0.0) for i in ids])
    free[rows] = np.maximum(supplies.qty[rows] - busy, 0.0)
    return free


# The first batch of candidates whose capacity is read, in multiples of those a pool considers.
FIRST_BATCH = 16


def free_of_best(
    supplies: records.ListingTable,
    demand: records.ListingTable,
    ref,
    rows: np.ndarray,
    score: np.ndarray,
    *,
    except_demand: int,
    config: PoolConfig | None = None,
    held_back: dict[int, float] | None = None,
    read=None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates ``form_one`` can use for the one-row ``demand``, best first, and the
    free quantity of each (aligned with ``supplies``).

    A pool considers only the demand's best ``config.candidates`` candidates that have some
    capacity left. A demand in a big category has thousands of candidates (8,564 for one at
    100k x 100k), and reading the capacity of every one took the single-listing path up to
    55 ms. So it is read best first, in growing batches, until that many have some (or none
    are left): ``form_one`` given these rows forms the same pool as given all of them. The
    first batch is ``FIRST_BATCH`` times that many: in a market whose capacity the proposals
    have mostly taken, the 16th free candidate came at positions 97 to 769 (median 165, 45
    demands at 100k x 100k), so a first batch of 64 was never enough and cost a statement.
    ``held_back`` (supply row -> quantity) is taken off a row's free quantity as it is read;
    ``read(rows)`` gives the free quantity of those rows (default: :func:`free_quantity`).
    """
    cfg = config or pool_config()
    if read is None:

        def read(part):
            return free_quantity(supplies, part, except_demand=except_demand)[part]

    order, _off = candidate_order(
        supplies, demand, rows, np.zeros(len(rows), dtype=np.int64), score, ref.context.config
    )
    rows, score = rows[order], score[order]
    free = np.zeros(len(supplies))
    done, found, batch = 0, 0, FIRST_BATCH * cfg.candidates
    while done < len(rows) and found < cfg.candidates:
        part = rows[done : done + batch]
        free[part] = read(part)
        for row, qty in (held_back or {}).items():
            if row in part:
                free[row] = max(free[row] - qty, 0.0)
        found += int((free[part] > _EPS).sum())
        done += len(part)
        batch *= 4
    return rows[:done], score[:done], free


def excluded_pairs(demand_ids=None) -> np.ndarray:
    """(supply, demand) keys a pool must not propose again: members that declined."""
    rows = PoolMember.objects.filter(status=MS.DECLINED)
    if demand_ids is not None:
        rows = rows.filter(pool__demand_id__in=id_set(demand_ids))
    return records.declined_keys(np.array(list(rows.values_list("supply_id", "pool__demand_id"))))


def poolable_demands(demand_ids) -> set[int]:
    """Of these demands, those that may get a new pool: none active, none the buyer declined."""
    taken = set(
        Pool.objects.filter(demand_id__in=id_set(demand_ids))
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
    due = review_deadline()
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
            respond_by=due,
        )
        for p in todo
    ]
    created = Pool.objects.bulk_create(objs, batch_size=1000)
    members = [
        m
        for pool, p in zip(created, todo, strict=True)
        for m in member_rows(pool, pools, p, supplies)
    ]
    PoolMember.objects.bulk_create(members, batch_size=2000)
    if announce and created:
        _announce_new(created, members, demands, pools, todo)
    return created


def member_rows(pool: Pool, pools: Pools, p: int, supplies) -> list[PoolMember]:
    """The (unsaved) member rows of formed pool ``p``, attached to the stored ``pool``."""
    span = pools.members(p)
    return [
        PoolMember(
            pool=pool,
            supply_id=int(supplies.id[s]),
            organization_id=int(supplies.org[s]),
            suggested_quantity=_dec(q),
            score=round(float(sc), 4),
            factors=[round(float(v), 4) for v in f],
        )
        for s, q, sc, f in zip(
            pools.supply_idx[span].tolist(),
            pools.qty[span].tolist(),
            pools.member_score[span].tolist(),
            pools.member_factors[span].tolist(),
            strict=True,
        )
    ]


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
    rows, score = _candidates(demands, listing.pk, supplies_all, ref)
    if len(rows) < 2:
        return result, None
    rows, score, free = free_of_best(
        supplies_all, demands, ref, rows, score, except_demand=listing.pk
    )
    pools = form_one(supplies_all, demands, ref, rows, score, free)
    if not len(pools):
        return result, None
    stored = store_pools(run=run, pools=pools, supplies=supplies_all, demands=demands)
    if not stored:
        return result, None
    pool = stored[0]
    members = set(supplies_all.id[pools.supply_idx].tolist())
    withdraw_singles(listing.pk, sorted(members))
    keep = ~np.isin(result.supply_id, list(members))
    return subset_result(result, keep), pool


def pools_for_supply(*, listing: Listing, run: MatchRun, result, demands, supplies_all, ref):
    """A saved supply may complete pools: for the (few) demands it was just proposed to
    without covering them, and that no single match covers, a pool is formed if the market
    now allows one. Its own single offer to a demand it joins a pool for is dropped from
    ``result`` (not stored yet). Returns ``(result, pools created)``."""
    if not pools_enabled() or not listing.is_supply or not len(result):
        return result, []
    # One comparison over the column, not a dict of 100k positions (40 ms per saved supply).
    found = np.flatnonzero(supplies_all.id == listing.pk)
    if not len(found):  # the worker's market has not seen it yet: the next full run will
        return result, []
    own = int(found[0])
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
        rows, score = _candidates(demand, demand_id, supplies_all, ref)
        if len(rows) < 2 or not (rows == own).any():
            continue
        # This supply's new single offers to other demands (not stored yet) hold capacity too.
        others = keep & (result.demand_idx != d_row)
        rows, score, free = free_of_best(
            supplies_all,
            demand,
            ref,
            rows,
            score,
            except_demand=demand_id,
            held_back={own: float(result.suggested_qty[others].sum())},
        )
        formed = form_one(supplies_all, demand, ref, rows, score, free)
        if not len(formed):
            continue
        stored = store_pools(run=run, pools=formed, supplies=supplies_all, demands=demand)
        if not stored:
            continue
        created.extend(stored)
        members = supplies_all.id[formed.supply_idx].tolist()
        withdraw_singles(demand_id, members)
        if listing.pk in members:
            keep[i] = False
    return subset_result(result, keep), created


def _candidates(demand, demand_id: int, supplies, ref) -> tuple[np.ndarray, np.ndarray]:
    """Supply rows that may pool for the one-row ``demand`` (every hard rule), less those that
    declined to pool for it, and their pair scores."""
    rows, score = pool_candidates(demand, 0, supplies, ref.context)
    excluded = excluded_pairs([demand_id])
    if len(rows) and len(excluded):
        keys = records.pair_keys(supplies.id[rows], np.full(len(rows), demand_id))
        ok = ~np.isin(keys, excluded)
        rows, score = rows[ok], score[ok]
    return rows, score


def form_one(supplies, demand, ref, rows, score, free, config=None, want=None) -> Pools:
    """A pool for the one-row ``demand`` from the candidate ``rows`` (``free`` aligned with
    ``supplies``): the saved listing's paths and a member's replacement."""
    return form_pools(
        supplies,
        demand,
        ref.context,
        np.zeros(len(rows), dtype=np.int64),
        rows,
        score,
        free,
        config or pool_config(),
        want=want,
    )


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


def chunk_inputs(category_ids, supplies, demands) -> dict:
    """What a full re-match chunk passes to ``match_full_with_pools``: the demands that may get
    a new pool (a mask), the excluded pairs, the active pools' shares each supply holds
    (aligned with ``supplies``) and those members' pair keys."""
    ids = demands.id.tolist()
    allowed = poolable_demands(ids)
    rows = _held_rows().filter(supply__category_id__in=list(category_ids))
    pairs = np.array(list(rows.values_list("supply_id", "pool__demand_id")), dtype=np.int64)
    held = held_by_pools(category_ids=category_ids)
    return {
        "pool_demands": np.array([i in allowed for i in ids], dtype=bool),
        "excluded_pairs": excluded_pairs(ids),
        "held": np.array([held.get(int(i), 0.0) for i in supplies.id.tolist()]),
        "held_pairs": records.pair_keys(pairs[:, 0], pairs[:, 1]) if len(pairs) else pairs,
    }


def withdraw_singles(demand_id: int, supply_ids: list[int]) -> None:
    """Pending engine offers of these supplies to the demand: the pool holds them now."""
    for match in Match.objects.filter(
        demand_id=demand_id,
        supply_id__in=supply_ids,
        status__in=Match.PENDING_STATUSES,
        origin=Match.Origin.ENGINE,
    ):
        review.match_withdraw(match=match, reason="joined a pool for this demand")
