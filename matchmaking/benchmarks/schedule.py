"""Benchmark the meeting scheduler on a synthetic connection event (no database).

    python -m matchmaking.benchmarks.schedule --organizations 1000 --sessions 4 \\
        --slots-per-session 9 --tables 150 --meetings 8000 [--seed S]

Prints the instance, the wall time of ``schedule_meetings`` (building the event excluded),
meetings scheduled against the upper bound (and which bound), the total match score, the idle
gaps, whether the count and the score are proven optimal, why the others were left out, and
peak resident memory (``ru_maxrss``, building the event included). ``--all-sessions`` makes
every organization attend every session (with enough tables, every meeting can be held).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import Counter

from matchmaking.benchmarks.events import synthetic_event
from matchmaking.engine.schedule import Options, schedule_meetings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--slots-per-session", type=int, default=9)
    parser.add_argument("--tables", type=int, default=150)
    parser.add_argument("--meetings", type=int, default=8000)
    parser.add_argument("--cap", type=int, default=30, help="accepted meetings per organization")
    parser.add_argument("--processors", type=float, default=0.1, help="share who buy and sell")
    parser.add_argument("--unavailable", type=float, default=0.05, help="share excluding slots")
    parser.add_argument("--all-sessions", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=Options().time_limit)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stages", action="store_true", help="print each stage")
    args = parser.parse_args(argv)

    event = synthetic_event(
        organizations=args.organizations,
        sessions=args.sessions,
        slots_per_session=args.slots_per_session,
        tables=args.tables,
        meetings=args.meetings,
        cap=args.cap,
        processors=args.processors,
        all_sessions=args.all_sessions,
        unavailable=args.unavailable,
        seed=args.seed,
    )
    attends = Counter(len(p.sessions) for p in event.participants)
    print(
        f"event: {len(event.participants):,} organizations, {args.sessions} sessions x "
        f"{args.slots_per_session} slots = {len(event.slots)} slots, {args.tables} tables "
        f"({args.tables * len(event.slots):,} table-slots), {len(event.meetings):,} accepted "
        f"meetings, seed {args.seed}"
    )
    print(
        "  attending "
        + ", ".join(f"{k} sessions: {attends[k]}" for k in sorted(attends))
        + f"; {sum(1 for p in event.participants if p.unavailable)} exclude some slots"
    )

    wall = time.perf_counter()
    result = schedule_meetings(
        slots=event.slots,
        tables=event.tables,
        participants=event.participants,
        meetings=event.meetings,
        options=Options(time_limit=args.time_limit, seed=args.seed, workers=args.workers),
    )
    wall = time.perf_counter() - wall
    stats, bound = result.stats, result.bound
    share = 100 * stats.scheduled / bound.value if bound.value else 100.0
    print(f"wall: {wall:.1f} s (time limit {args.time_limit:g} s, {args.workers} workers)")
    print(
        f"scheduled: {stats.scheduled:,} / bound {bound.value:,} = {share:.2f} % "
        f"(bound from {bound.method}; "
        + ", ".join(f"{k} {v:,}" for k, v in bound.values.items())
        + ")"
    )
    print(
        f"total score: {stats.total_score:,.1f} "
        f"(mean {stats.total_score / max(stats.scheduled, 1):.3f} per meeting)"
    )
    print(f"gaps: {stats.gaps:,} in all, {stats.participants_with_gaps:,} organizations with any")
    print(
        f"proven optimal: count {'yes' if stats.count_proven_optimal else 'no'}, "
        f"score {'yes' if stats.score_proven_optimal else 'no'}; "
        f"meeting graph {'bipartite' if stats.bipartite else 'not bipartite'}"
    )
    reasons = Counter(u.reason for u in result.unscheduled)
    print("unscheduled: " + (", ".join(f"{k} {v:,}" for k, v in reasons.most_common()) or "none"))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.stages:
        for stage in stats.stages:
            print("  " + ", ".join(f"{k} {v}" for k, v in stage.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
