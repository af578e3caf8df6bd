"""Storing the engine's proposals: idempotent upserts on the (supply, demand) pair.

New pairs are inserted as ``proposed``; pending engine pairs get their new score and
quantity; declined, expired, connected and officer-made pairs are left as they are. Every
change of a match's *status* goes through the review service: a withdrawn pair that
qualifies again is proposed again by ``review.match_repropose`` (audited), and pending pairs
that no longer qualify are withdrawn by ``review.match_withdraw``.

On PostgreSQL the rows are copied into a temporary table and upserted in one statement
(a binary ``COPY`` built from the engine's arrays + ``INSERT … ON CONFLICT``); SQLite (the embedded run) takes the same rules through
the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.utils import timezone

from core.pgcopy import binary_copy
from matchmaking import engine
from matchmaking.engine import records
from matchmaking.models import Match, MatchRun
from matchmaking.services import review
from matchmaking.services.facts import result_facts
from matchmaking.services.transitions import SCORE_FIELDS, review_deadline

PENDING = [str(s) for s in Match.PENDING_STATUSES]
TMP = "tmp_match_upsert_v3"  # the session's staging table of the upsert (binary arrays)


@dataclass
class StoreCounts:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    new_ids: list[int] | None = None
    new_pairs: list[tuple[int, int]] = field(default_factory=list)
    reproposed: int = 0


def _rows(result, supplies: records.ListingTable, demands: records.ListingTable, ref=None):
    """(supply id, demand id, score, factors, quantity, facts) per proposal of ``result``."""
    s_ids = supplies.id[result.supply_idx].tolist()
    d_ids = demands.id[result.demand_idx].tolist()
    factors, scores, qty = (a.tolist() for a in _columns(result))
    facts = result_facts(result, supplies, demands, ref) if ref is not None else None
    for i in range(len(result)):
        yield (s_ids[i], d_ids[i], scores[i], factors[i], qty[i], facts[i] if facts else [])


def _columns(result) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The factor values, scores and quantities as stored (rounded)."""
    factors = np.round(result.factors.astype(np.float64), 4)
    return factors, np.round(result.score.astype(np.float64), 4), np.round(result.suggested_qty, 3)


def store_result(
    *,
    run: MatchRun,
    result,
    supplies: records.ListingTable,
    demands: records.ListingTable,
    scope_supply_ids=None,
    scope_demand_ids=None,
    withdraw_keys: set[tuple[int, int]] = frozenset(),
    ref=None,
) -> StoreCounts:
    """Upsert proposals and withdraw pending ones that no longer qualify.

    New pairs are inserted as ``proposed``; pending pairs get their new score and quantity;
    a withdrawn pair that qualifies again is proposed again (counted as updated); declined,
    expired and connected pairs are left as they are. With ``ref`` (the run's reference
    data) each proposal also stores the facts its reasons are worded from
    (``matchmaking.services.facts``).
    """
    counts = StoreCounts(new_ids=[])
    now = timezone.now()
    due = review_deadline(now)
    if connection.vendor == "postgresql":
        skipped = _upsert_postgres(run, (result, supplies, demands, ref), now, due, counts)
    else:
        rows = list(_rows(result, supplies, demands, ref))
        skipped = _upsert_portable(run, rows, now, due, counts)
    if skipped:
        counts.reproposed = _repropose_withdrawn(run, skipped)
        counts.updated += counts.reproposed
    for supply_id, demand_id in withdraw_keys:
        counts.withdrawn += withdraw_pair(supply_id=supply_id, demand_id=demand_id, run=run)
    return counts


def _repropose_withdrawn(run: MatchRun, skipped: dict[tuple[int, int], tuple]) -> int:
    """The withdrawn engine pairs among the rows the upsert left alone qualify again."""
    supply_ids = sorted({s for s, _ in skipped})
    withdrawn = Match.objects.filter(
        status=Match.Status.WITHDRAWN, origin=Match.Origin.ENGINE, supply_id__in=supply_ids
    ).values_list("pk", "supply_id", "demand_id")
    proposals = {pk: skipped[(s, d)] for pk, s, d in withdrawn.iterator() if (s, d) in skipped}
    if not proposals:
        return 0
    return len(review.match_repropose(proposals=proposals, run=run))


def _upsert_postgres(run, scored, now, due, counts: StoreCounts) -> dict:
    """Upsert in one statement; returns the rows it left alone
    ({pair: (score, factors, qty, facts)}). The rows reach a temporary table by one binary
    ``COPY`` built from the engine's arrays (``core.pgcopy``), the factor values and facts as
    float arrays that the statement turns into the JSON lists the columns hold."""
    result, supplies, demands, ref = scored
    s_ids = supplies.id[result.supply_idx].astype(np.int64)
    d_ids = demands.id[result.demand_idx].astype(np.int64)
    factors, scores, qty = _columns(result)
    facts = (
        result_facts(result, supplies, demands, ref, as_array=True)
        if ref is not None
        else np.empty((len(result), 0))
    )
    payload = binary_copy(
        [
            ("int8", s_ids),
            ("int8", d_ids),
            ("float8", scores),
            ("float8[]", factors),
            ("float8", qty),
            ("float8[]", facts),
        ]
    )
    with connection.cursor() as cursor:
        # Emptied at commit and after each use (below): no TRUNCATE needed before it. The
        # name carries a version: a session that made an older shape keeps its own table.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TMP} ("
            " supply_id bigint, demand_id bigint, score double precision,"
            " factors double precision[], qty double precision, facts double precision[])"
            " ON COMMIT DELETE ROWS"
        )
        with cursor.cursor.copy(
            f"COPY {TMP} (supply_id, demand_id, score, factors, qty, facts)"
            " FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.write(payload)
        cursor.execute(
            f"""
            INSERT INTO matchmaking_match AS m (
                supply_id, demand_id, score, factors, facts, suggested_quantity, status, origin,
                engine_version, hidden, explanation, decline_reason, decline_note,
                declined_by_side, respond_by, last_run_id, created_at, updated_at)
            SELECT t.supply_id, t.demand_id, t.score, to_jsonb(t.factors), to_jsonb(t.facts),
                   round(t.qty::numeric, 3), 'proposed', 'engine',
                   %(version)s, false, '[]'::jsonb, '', '', '', %(due)s, %(run)s, %(now)s, %(now)s
            FROM {TMP} t
            ON CONFLICT (supply_id, demand_id) DO UPDATE SET
                score = EXCLUDED.score,
                factors = EXCLUDED.factors,
                facts = EXCLUDED.facts,
                suggested_quantity = EXCLUDED.suggested_quantity,
                engine_version = EXCLUDED.engine_version,
                last_run_id = EXCLUDED.last_run_id,
                updated_at = EXCLUDED.updated_at
            WHERE m.status IN ('proposed', 'accepted_by_supply', 'accepted_by_demand')
              AND m.origin = 'engine'
            RETURNING m.id, (xmax = 0) AS inserted, m.supply_id, m.demand_id
            """,
            {"version": engine.ENGINE_VERSION, "due": due, "run": run.pk, "now": now},
        )
        returned = cursor.fetchall()
        for match_id, inserted, supply_id, demand_id in returned:
            if inserted:
                counts.created += 1
                counts.new_ids.append(match_id)
                counts.new_pairs.append((supply_id, demand_id))
            else:
                counts.updated += 1
        cursor.execute(f"TRUNCATE {TMP}")
    if len(returned) == len(result):
        return {}
    touched = {(s, d) for _, _, s, d in returned}
    pairs = zip(s_ids.tolist(), d_ids.tolist(), strict=True)
    left = [i for i, pair in enumerate(pairs) if pair not in touched]
    return {
        (int(s_ids[i]), int(d_ids[i])): (
            float(scores[i]),
            factors[i].tolist(),
            float(qty[i]),
            facts[i].tolist(),
        )
        for i in left
    }


def _upsert_portable(run, rows, now, due, counts: StoreCounts) -> dict:
    """SQLite (the embedded run): the same rules through the ORM, fine for small markets."""
    existing = {}
    keys = [(s, d) for s, d, *_ in rows]
    supply_ids = {s for s, _ in keys}
    for m in Match.objects.filter(supply_id__in=supply_ids).only(
        "pk", "supply_id", "demand_id", "status", "origin"
    ):
        existing[(m.supply_id, m.demand_id)] = m
    to_create, to_update, skipped = [], [], {}
    for s, d, score, factors, qty, facts in rows:
        match = existing.get((s, d))
        if match is None:
            to_create.append(
                Match(
                    supply_id=s,
                    demand_id=d,
                    score=score,
                    factors=factors,
                    facts=facts,
                    suggested_quantity=Decimal(str(qty)),
                    engine_version=engine.ENGINE_VERSION,
                    respond_by=due,
                    last_run=run,
                )
            )
            continue
        if match.origin != Match.Origin.ENGINE or match.status not in PENDING:
            skipped[(s, d)] = (score, factors, qty, facts)
            continue
        match.score, match.factors, match.facts = score, factors, facts
        match.suggested_quantity = Decimal(str(qty))
        match.engine_version, match.last_run, match.updated_at = engine.ENGINE_VERSION, run, now
        to_update.append(match)
    created = Match.objects.bulk_create(to_create, batch_size=500)
    counts.new_pairs.extend((m.supply_id, m.demand_id) for m in created)
    Match.objects.bulk_update(
        to_update,
        SCORE_FIELDS,
        batch_size=500,
    )
    counts.created += len(created)
    counts.updated += len(to_update)
    counts.new_ids.extend(m.pk for m in created)
    return skipped


def withdraw_pair(*, supply_id: int, demand_id: int, run: MatchRun) -> int:
    """Withdraw a pending engine proposal through the review service (audit, notices)."""
    match = Match.objects.filter(
        supply_id=supply_id, demand_id=demand_id, status__in=PENDING, origin=Match.Origin.ENGINE
    ).first()
    if match is None:
        return 0
    review.match_withdraw(match=match, reason=f"no longer qualifies (run {run.pk})")
    return 1
