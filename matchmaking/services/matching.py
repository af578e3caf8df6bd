"""Matching one listing: the task that runs each time a listing is saved.

It scores the listing against the open counter-listings the worker keeps in memory
(``market``), keeps the best within the supply's remaining capacity and the proposal slots
left on both sides, stores them (``proposals``) and withdraws its pending proposals that no
longer qualify. A full re-match of everything is in ``rematch``.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from listings.models import Listing
from matchmaking import engine
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.relevance import misfit
from matchmaking.models import Match, MatchRun
from matchmaking.services import deals, learning, market, notifications, pools, reference

# Some names are kept importable from here for code written before the split; each has one
# home (market, reference, rematch) and is re-exported, not copied.
from matchmaking.services.market import (  # noqa: F401
    build_table,
    declined_pairs,
    market_cache,
    open_listings,
    organization_history,
    warm_up,
)
from matchmaking.services.match_state import mark_matched
from matchmaking.services.proposals import PENDING, StoreCounts, store_result, withdraw_pair
from matchmaking.services.reference import Reference, load_reference, matching_config  # noqa: F401
from matchmaking.services.rematch import (  # noqa: F401
    finish_full_rematch,
    plan_full_rematch,
    run_chunk,
    start_full_rematch,
    sweep_unmatched,
)


def clear_caches() -> None:
    """Forget every matching memo of this process: reference data, histories, the market."""
    reference.clear_caches()
    market.clear_caches()


def match_listing(*, listing_id: int) -> dict:
    """Propose matches for one listing; withdraw its pending ones that no longer qualify."""
    started = time.perf_counter()
    listing = (
        Listing.objects.select_related("unit", "category", "organization")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        return {"listing": listing_id, "skipped": "deleted"}
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.LISTING,
        listing=listing,
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now(),
        weights=settings.MATCHING["WEIGHTS"],
        engine_version=engine.ENGINE_VERSION,
    )
    try:
        with transaction.atomic():
            counts = _match_listing(listing, run)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    mark_matched([listing.pk])
    return {
        "listing": listing_id,
        "run": run.pk,
        "created": counts.created,
        "updated": counts.updated,
        "withdrawn": counts.withdrawn,
        "seconds": round(time.perf_counter() - started, 4),
    }


def _match_listing(listing: Listing, run: MatchRun) -> StoreCounts:
    own_side = listing.side
    counter_side = Listing.Side.DEMAND if listing.is_supply else Listing.Side.SUPPLY
    pending = list(
        Match.objects.for_listing(listing.pk)
        .filter(status__in=PENDING, origin=Match.Origin.ENGINE)
        .values_list("supply_id", "demand_id")
    )
    if listing.status != Listing.Status.OPEN or listing.hidden:
        withdrawn = sum(withdraw_pair(supply_id=s, demand_id=d, run=run) for s, d in pending)
        _finish_run(run, withdrawn=withdrawn, listings=1)
        return StoreCounts(withdrawn=withdrawn, new_ids=[])

    t0 = time.perf_counter()
    own_filter = {"supply_id": listing.pk} if listing.is_supply else {"demand_id": listing.pk}
    ref = load_reference(
        declined=declined_pairs(Match.objects.filter(**own_filter)),
        learned=learning.learned_weights(),
    )
    cache = market_cache()
    supplies_all, demands_all = cache.get(ref)
    counter = supplies_all if counter_side == Listing.Side.SUPPLY else demands_all
    # The listing itself was just re-read by the cache (saved since its last look).
    own = cache.row(own_side, listing.pk)
    if own is None:
        own = build_table(Listing.objects.filter(pk=listing.pk), ref, side=own_side)
    load_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    result = engine.match_one(own, own_side, counter, ref.context)
    engine_seconds = time.perf_counter() - t1
    chosen = result.demand_idx if listing.is_supply else result.supply_idx
    candidate_rows = np.unique(chosen)
    # Capacity and proposal slots already taken elsewhere, for the few candidates only;
    # if any is taken, decide again on just those candidates with it accounted for.
    t2 = time.perf_counter()
    counter_ids = counter.id[candidate_rows].tolist()
    busy = _busy(listing, counter_ids)
    displaced: set[tuple[int, int]] = set()
    if busy["any"]:
        counter = counter.take(candidate_rows)
        t3 = time.perf_counter()
        if listing.is_supply:
            used = np.array([busy["demand_slots"].get(int(i), 0) for i in counter.id])
            result = engine.match_one(
                own,
                own_side,
                counter,
                ref.context,
                already_promised=busy["promised"].get(listing.pk, 0.0),
                supply_slots_used=busy["supply_slots"].get(listing.pk, 0),
                demand_slots_used=_slots_for(own, counter, used, busy, ref),
            )
            displaced = _displaced(result, counter, used, busy, ref)
        else:
            result = engine.match_one(
                own,
                own_side,
                counter,
                ref.context,
                already_promised=np.array([busy["promised"].get(int(i), 0.0) for i in counter.id]),
                supply_slots_used=np.array(
                    [busy["supply_slots"].get(int(i), 0) for i in counter.id]
                ),
                demand_slots_used=busy["demand_slots"].get(listing.pk, 0),
            )
        engine_seconds += time.perf_counter() - t3
    supplies, demands = (own, counter) if listing.is_supply else (counter, own)

    # Pending pairs of this listing that no longer pass the hard filters are withdrawn.
    proposed = set(
        zip(
            supplies.id[result.supply_idx].tolist(),
            demands.id[result.demand_idx].tolist(),
            strict=True,
        )
    )
    withdraw = set()
    check_s, check_d = (own, demands_all) if listing.is_supply else (supplies_all, own)
    todo = [(s, d) for s, d in pending if (s, d) not in proposed]
    for s, d in todo:
        # A comparison over the column per pair: a dict of 100k positions cost 40 ms.
        s_row, d_row = np.flatnonzero(check_s.id == s), np.flatnonzero(check_d.id == d)
        if not len(s_row) or not len(d_row):
            withdraw.add((s, d))
            continue
        ok = hard_filter_mask(check_s, check_d, s_row[:1], d_row[:1], ref.context)
        if not bool(ok[0]):
            withdraw.add((s, d))

    withdraw |= displaced
    # Pools (a demand no single supply covers); member supplies leave its single proposals.
    result, _pool = pools.pool_for_demand(
        listing=listing, run=run, result=result, supplies_all=supplies_all, demands=demands, ref=ref
    )
    result, _joined = pools.pools_for_supply(
        listing=listing, run=run, result=result, demands=demands, supplies_all=supplies_all, ref=ref
    )
    counts = store_result(
        run=run,
        result=result,
        supplies=supplies,
        demands=demands,
        withdraw_keys=withdraw,
        ref=ref,
    )
    notifications.announce_new_proposals(counts.new_ids or [])
    db_seconds = time.perf_counter() - t2 + load_seconds
    _finish_run(
        run,
        created=counts.created,
        updated=counts.updated,
        withdrawn=counts.withdrawn,
        listings=1 + len(counter),
        pairs=int(result.stats.get("pairs_scored", 0)),
        engine_seconds=engine_seconds,
        db_seconds=db_seconds,
    )
    return counts


def _busy(listing: Listing, counter_ids: list[int]) -> dict:
    """Capacity promised and proposal slots used by other active proposals."""
    if listing.is_supply:
        supply_ids, demand_ids = [listing.pk], counter_ids
    else:
        supply_ids, demand_ids = counter_ids, [listing.pk]
    # Unordered: the model's ranking order sorts on columns only the table holds.
    active = Match.objects.filter(status__in=Match.ACTIVE_STATUSES).order_by()
    promised: dict[int, float] = defaultdict(float)
    supply_slots: dict[int, int] = defaultdict(int)
    demand_slots: dict[int, int] = defaultdict(int)
    # Two queries, each on its own index, rather than one OR the planner may scan for.
    for supply_id, demand_id, qty in held_by_match(supply_ids):
        if demand_id not in demand_ids:
            promised[supply_id] += float(qty)
            supply_slots[supply_id] += 1
    for supply_id, demand_id in active.filter(demand_id__in=demand_ids).values_list(
        "supply_id", "demand_id"
    ):
        if supply_id not in supply_ids:
            demand_slots[demand_id] += 1
    # Proposals that strict intent may displace: a misfit of the demand's words, not answered.
    misfits: dict[int, list[tuple[float, int]]] = defaultdict(list)
    if listing.is_supply:
        offside = active.filter(
            demand_id__in=demand_ids,
            off_intent=True,
            status=Match.Status.PROPOSED,
            origin=Match.Origin.ENGINE,
        ).exclude(supply_id__in=supply_ids)
        for supply_id, demand_id, score in offside.values_list("supply_id", "demand_id", "score"):
            misfits[demand_id].append((score, supply_id))
    # Shares promised to active pools hold capacity too.
    for supply_id, qty in pools.held_by_pools(supply_ids=supply_ids).items():
        promised[supply_id] += qty
    return {
        "any": bool(promised or demand_slots),
        "promised": promised,
        "supply_slots": supply_slots,
        "demand_slots": demand_slots,
        "misfits": misfits,
    }


def held_by_match(supply_ids: list[int]):
    """``(supply_id, demand_id, held)`` of the supplies' active matches, from
    ``match_held_cover_idx`` alone (unordered: the model's ranking order needs the table)."""
    rows = Match.objects.filter(status__in=Match.ACTIVE_STATUSES, supply_id__in=supply_ids)
    rows = rows.annotate(held=deals.held_quantity()).order_by()
    return rows.values_list("supply_id", "demand_id", "held")


def _slots_for(own, demands, used: np.ndarray, busy: dict, ref: Reference) -> np.ndarray:
    """Slots a new supply finds used on each demand: a supply that fits the demand's words
    does not count the demand's unanswered misfits, which it displaces (strict intent)."""
    offer = np.broadcast_to(own.offer[0], demands.intent.shape)
    fits = ~misfit(demands.intent, offer, ref.context.config)
    spare = np.array([len(busy["misfits"].get(int(i), ())) for i in demands.id])
    return np.where(fits, np.maximum(used - spare, 0), used)


def _displaced(result, demands, used: np.ndarray, busy: dict, ref: Reference) -> set:
    """The lowest unanswered misfits a new fitting proposal pushes out of a full demand."""
    limit = ref.context.config.max_per_demand
    out = set()
    for row in result.demand_idx.tolist():
        over = int(used[row]) + 1 - limit
        worst = sorted(busy["misfits"].get(int(demands.id[row]), ()))
        out |= {(supply_id, int(demands.id[row])) for _, supply_id in worst[: max(over, 0)]}
    return out


def _finish_run(
    run: MatchRun,
    *,
    created=0,
    updated=0,
    withdrawn=0,
    listings=0,
    pairs=0,
    engine_seconds=0.0,
    db_seconds=0.0,
) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.DONE,
        proposals_created=created,
        proposals_updated=updated,
        proposals_withdrawn=withdrawn,
        listings_count=listings,
        candidate_pairs=pairs,
        engine_seconds=round(engine_seconds, 4),
        db_seconds=round(db_seconds, 4),
        finished_at=timezone.now(),
        chunks_total=1,
        chunks_done=1,
    )
