"""The full re-match: every open listing against every other, nightly or on demand.

A :class:`MatchRun` is planned as one chunk per root category (listings of different root
categories can never match, so each chunk allocates its supplies' capacity on its own), the
chunks run in parallel workers (a Celery chord, see ``tasks``), and the finish marks what the
run covered. The sweep catches listings saved while the broker was unreachable.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from core.tasks import enqueue, enqueue_on_commit
from listings.models import Listing
from matchmaking import engine
from matchmaking.engine import records
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.pool_rematch import match_full_with_pools
from matchmaking.models import Match, MatchRun
from matchmaking.services import deals, learning, notifications, pool_review
from matchmaking.services import pools as pool_service
from matchmaking.services.market import (
    build_table,
    declined_pairs,
    open_listings,
    organization_history,
)
from matchmaking.services.match_state import mark_matched, unmatched_listings
from matchmaking.services.proposals import PENDING, store_result, withdraw_pair
from matchmaking.services.reference import load_reference

RUN_FULL_REMATCH = "matchmaking.tasks.run_full_rematch"
MATCH_LISTING = "matchmaking.tasks.match_listing"


def start_full_rematch(*, requested_by=None) -> MatchRun:
    """Create a full run and enqueue it after commit (runs inline in the embedded mode)."""
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.FULL,
        requested_by=requested_by,
        weights=settings.MATCHING["WEIGHTS"],
        engine_version=engine.ENGINE_VERSION,
    )
    transaction.on_commit(lambda: _enqueue_full(run.pk))
    return run


def _enqueue_full(run_id: int) -> None:
    """Send the run to a worker; a run the broker did not take is marked failed at once."""
    if not enqueue(RUN_FULL_REMATCH, run_id):
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED,
            error="could not enqueue the run (is the broker reachable?)",
            finished_at=timezone.now(),
        )


def plan_full_rematch(*, run_id: int) -> list[list[int]]:
    """Chunks of category ids whose listings can only match each other (whole root subtrees).

    A supply's category lies in its demand's subtree, so two different root subtrees never
    share a pair: each chunk allocates its supplies' capacity completely on its own.
    """
    run = MatchRun.objects.get(pk=run_id)
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    ref = load_reference()
    counts = dict(
        Listing.objects.filter(status=Listing.Status.OPEN, hidden=False)
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    by_root: dict[int, list[int]] = defaultdict(list)
    weight: dict[int, int] = defaultdict(int)
    for category_id in ref.category_ids:
        root = ref.root_of(category_id)
        by_root[root].append(category_id)
        weight[root] += counts.get(category_id, 0)
    chunks = [by_root[root] for root in sorted(by_root, key=lambda r: -weight[r]) if weight[root]]
    total = Listing.objects.filter(status=Listing.Status.OPEN, hidden=False).count()
    MatchRun.objects.filter(pk=run.pk).update(chunks_total=len(chunks), listings_count=total)
    return chunks


def run_chunk(*, run_id: int, category_ids: list[int]) -> dict:
    run = MatchRun.objects.get(pk=run_id)
    t0 = time.perf_counter()
    ref = load_reference(
        declined=declined_pairs(Match.objects.filter(supply__category_id__in=category_ids)),
        learned=learning.learned_weights(),
    )
    history = organization_history()
    supplies_qs = open_listings(Listing.Side.SUPPLY).filter(category_id__in=category_ids)
    demands_qs = open_listings(Listing.Side.DEMAND).filter(category_id__in=category_ids)
    supplies = build_table(supplies_qs, ref, side=Listing.Side.SUPPLY, history=history)
    demands = build_table(demands_qs, ref, side=Listing.Side.DEMAND, history=history)
    # Connected deals keep their quantity (a signed contract's, none once lost: see
    # deals.held_quantity); pending ones are re-decided by this run.
    connected = defaultdict(float)
    for supply_id, qty in (
        Match.objects.filter(supply__category_id__in=category_ids, status=Match.Status.CONNECTED)
        .annotate(held=deals.held_quantity())
        .values_list("supply_id", "held")
    ):
        connected[supply_id] += float(qty)
    use_pools = pool_service.pools_enabled()
    pool_inputs = pool_service.chunk_inputs(category_ids, supplies, demands) if use_pools else {}
    already = np.array([connected.get(int(i), 0.0) for i in supplies.id], dtype=np.float64)
    load_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    if use_pools:
        # Active pools' shares hold capacity after the single proposals to other demands, as
        # when they were formed: a second run on the same market changes nothing.
        result, formed = match_full_with_pools(
            supplies,
            demands,
            ref.context,
            already_promised=already,
            config=pool_service.pool_config(),
            **pool_inputs,
        )
    else:
        result = engine.match_full(supplies, demands, ref.context, already_promised=already)
    engine_seconds = time.perf_counter() - t1

    t2 = time.perf_counter()
    with transaction.atomic():
        counts = store_result(run=run, result=result, supplies=supplies, demands=demands, ref=ref)
        withdrawn = _withdraw_unqualified(run, category_ids, supplies, demands, ref)
        if use_pools:
            pool_review.withdraw_unqualified(
                run=run, category_ids=category_ids, supplies=supplies, demands=demands, ref=ref
            )
            pool_service.store_pools(run=run, pools=formed, supplies=supplies, demands=demands)
        _announce_counts(counts.new_pairs, supplies, demands)
        MatchRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1,
            candidate_pairs=F("candidate_pairs") + int(result.stats.get("pairs_scored", 0)),
            proposals_created=F("proposals_created") + counts.created,
            proposals_updated=F("proposals_updated") + counts.updated,
            proposals_withdrawn=F("proposals_withdrawn") + withdrawn,
            engine_seconds=F("engine_seconds") + engine_seconds,
            db_seconds=F("db_seconds") + (time.perf_counter() - t2) + load_seconds,
        )
    return {
        "run": run_id,
        "created": counts.created,
        "updated": counts.updated,
        "withdrawn": withdrawn,
        "pairs": int(result.stats.get("pairs_scored", 0)),
    }


def _withdraw_unqualified(run, category_ids, supplies, demands, ref) -> int:
    """Pending engine proposals in this chunk whose pair fails a hard filter now. The pairs
    this run has just stored passed them (the engine proposed them): only the others are
    read back, not the whole chunk's proposals."""
    pending = list(
        Match.objects.filter(
            supply__category_id__in=category_ids,
            status__in=PENDING,
            origin=Match.Origin.ENGINE,
        )
        .exclude(last_run=run)
        .values_list("supply_id", "demand_id")
    )
    if not pending:
        return 0
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    candidates = [(s, d) for s, d in pending if s in s_pos and d in d_pos]
    gone = [(s, d) for s, d in pending if s not in s_pos or d not in d_pos]
    if candidates:
        s_idx = np.array([s_pos[s] for s, _ in candidates], dtype=np.intp)
        d_idx = np.array([d_pos[d] for _, d in candidates], dtype=np.intp)
        ok = hard_filter_mask(supplies, demands, s_idx, d_idx, ref.context)
        gone.extend(pair for pair, good in zip(candidates, ok.tolist(), strict=True) if not good)
    return sum(withdraw_pair(supply_id=s, demand_id=d, run=run) for s, d in gone)


def _announce_counts(
    new_pairs, supplies: records.ListingTable, demands: records.ListingTable
) -> None:
    """A full run may create thousands of proposals: one notification per member and
    organization ("12 new proposals"), counted from the tables, not one per match."""
    if not new_pairs:
        return
    org_of = dict(zip(supplies.id.tolist(), supplies.org.tolist(), strict=True))
    org_of.update(zip(demands.id.tolist(), demands.org.tolist(), strict=True))
    per_org: dict[int, int] = defaultdict(int)
    for supply_id, demand_id in new_pairs:
        per_org[org_of[supply_id]] += 1
        per_org[org_of[demand_id]] += 1
    notifications.announce_proposal_counts(per_org)


def finish_full_rematch(*, run_id: int) -> dict:
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.FAILED:
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.DONE, finished_at=timezone.now()
        )
        # Mark what this run covered, so the sweep does not match it again; rows already
        # marked since their last change are left alone (an update of every row is costly).
        covered = unmatched_listings().filter(updated_at__lt=run.started_at)
        mark_matched(covered)
        refresh_statistics()
    run.refresh_from_db()
    return {"run": run_id, "status": run.status, "created": run.proposals_created}


# The tables a full run rewrites in bulk. Their planner statistics are refreshed when it ends,
# as autovacuum would some minutes later: with a pool table still counted empty after the
# first run that filled it, the next run's capacity queries became nested loops of
# thousands by thousands of rows (tens of seconds at 100k).
REWRITTEN_TABLES = ("matchmaking_match", "matchmaking_pool", "matchmaking_poolmember")


def refresh_statistics() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in REWRITTEN_TABLES:
            cursor.execute(f"ANALYZE {table}")


def sweep_unmatched(*, older_than_seconds: int = 60) -> int:
    """Enqueue matching for open listings saved but never matched since (broker outage)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        unmatched_listings().filter(updated_at__lt=cutoff).values_list("pk", flat=True)[:1000]
    )
    for listing_id in ids:
        enqueue_on_commit(MATCH_LISTING, listing_id)
    return len(ids)
