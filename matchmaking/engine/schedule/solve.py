"""The entry point: bounds, sessions, slots per session, repair, tables, reasons, figures."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

import numpy as np

from matchmaking.engine.schedule import cpsat
from matchmaking.engine.schedule.bounds import (
    combinatorial_bounds,
    per_slot_capacity,
    usable_slots,
)
from matchmaking.engine.schedule.colouring import colour_session
from matchmaking.engine.schedule.gaps import reduce_gaps
from matchmaking.engine.schedule.instance import Instance, compile_instance
from matchmaking.engine.schedule.records import (
    LIMIT,
    NO_COMMON_FREE_SLOT,
    NO_COMMON_SESSION,
    NO_COMMON_SLOT,
    NO_TABLE,
    PARTICIPANT_FULL,
    Bound,
    Meeting,
    Options,
    Participant,
    Placement,
    Schedule,
    Stats,
    Unscheduled,
)
from matchmaking.engine.schedule.sessions import SessionPlan, plan_sessions
from matchmaking.engine.schedule.slots import SessionSlots, gaps, place_more

# Stage 1 is an LP in the usual case (seconds); it may use up to this share of the time limit
# when CP-SAT has to close a fractional level. The slots of the sessions get the rest.
SESSIONS_SHARE = 0.4
# Within a session, CP-SAT's try at meetings the colouring left out may take this share; the
# gap descent has the rest (it stops sooner when it stalls).
PLACE_SHARE = 0.3


def schedule_meetings(
    *,
    slots: Sequence[int],
    tables: int,
    participants: Sequence[Participant],
    meetings: Sequence[Meeting],
    options: Options | None = None,
) -> Schedule:
    """Place every meeting it can: see the package docstring for the rules and the objective.

    Raises :class:`ScheduleInputError` when the input contradicts itself.
    """
    options = options or Options()
    started = time.perf_counter()
    clock = cpsat.Clock(options.time_limit)
    progress = options.progress or (lambda fraction, stage: None)
    inst = compile_instance(
        slots=slots, tables=tables, participants=participants, meetings=meetings
    )
    progress(0.0, "bounds")
    usable = usable_slots(inst)
    slot_cap = per_slot_capacity(inst, usable)
    bounds = combinatorial_bounds(inst)
    log: list[dict] = [{"stage": "bounds", "seconds": round(time.perf_counter() - started, 3)}]

    progress(0.05, "sessions")
    plan = plan_sessions(
        inst,
        usable=usable,
        slot_cap=slot_cap,
        clock=cpsat.Clock(SESSIONS_SHARE * clock.left()),
        options=options,
    )
    log.extend(plan.log)

    slot = np.full(inst.n_meetings, -1, dtype=np.int64)
    planned = {s: np.flatnonzero(plan.session == s) for s in inst.session_slots}
    total = max(sum(len(ms) for ms in planned.values()), 1)
    done = 0
    for s, ms in planned.items():
        progress(0.1 + 0.85 * done / total, f"session {s}")
        share = clock.left() * len(ms) / max(total - done, 1)
        slot[ms] = _session_slots(inst, s, ms, seconds=share, options=options, log=log)
        done += len(ms)
    progress(0.95, "repair")
    _repair(inst, slot)
    progress(1.0, "done")
    return _result(inst, slot, plan, bounds, log, started)


def _session_slots(inst: Instance, s: int, ms: np.ndarray, *, seconds, options, log) -> np.ndarray:
    """Global slot of each meeting in ``ms`` (-1 = not placed), all within session ``s``."""
    rng = inst.session_slots[s]
    if len(ms) == 0:
        return np.zeros(0, dtype=np.int64)
    _, local = np.unique(np.r_[inst.a[ms], inst.b[ms]], return_inverse=True)
    allowed = np.zeros((len(ms), len(rng)), dtype=bool)
    for k, m in enumerate(ms.tolist()):
        own = inst.slots[m]
        allowed[k, own[(own >= rng.start) & (own < rng.stop)] - rng.start] = True
    published = inst.published_slot[ms]
    keep = inst.keepable[ms] & (published >= rng.start) & (published < rng.stop)
    session = SessionSlots(
        u=local[: len(ms)],
        v=local[len(ms) :],
        allowed=allowed,
        preferred=np.where(keep, published - rng.start, -1),
        weight=inst.weight[ms],
        tables=inst.tables,
    )
    clock = cpsat.Clock(seconds)
    started = time.perf_counter()
    colour = colour_session(
        session.u, session.v, session.allowed, session.preferred, session.weight, session.tables
    )
    log.append(
        {
            "stage": f"session {s}: colouring",
            "seconds": round(time.perf_counter() - started, 3),
            "objective": int((colour >= 0).sum()),
            "variables": int(allowed.sum()),
        }
    )
    colour = place_more(
        session,
        colour,
        seconds=PLACE_SHARE * clock.left(),
        options=options,
        log=log,
        name=f"session {s}",
    )
    started = time.perf_counter()
    before = int(gaps(session.u, session.v, colour).sum())
    colour = reduce_gaps(
        session.u,
        session.v,
        session.allowed,
        session.preferred,
        session.tables,
        colour,
        seconds=clock.left(),
        seed=options.seed + s,
    )
    log.append(
        {
            "stage": f"session {s}: gaps",
            "seconds": round(time.perf_counter() - started, 3),
            "objective": int(gaps(session.u, session.v, colour).sum()),
            "start": before,
        }
    )
    return np.where(colour >= 0, colour + rng.start, -1)


def _occupancy(inst: Instance, slot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    busy = np.zeros((inst.n_participants, inst.n_slots), dtype=bool)
    placed = slot >= 0
    busy[inst.a[placed], slot[placed]] = True
    busy[inst.b[placed], slot[placed]] = True
    return busy, np.bincount(slot[placed], minlength=inst.n_slots)


def _repair(inst: Instance, slot: np.ndarray) -> None:
    """Whatever the stages left out goes to any free slot both may take, next to their meetings."""
    busy, count = _occupancy(inst, slot)
    waiting = [m for m in range(inst.n_meetings) if slot[m] < 0 and len(inst.slots[m])]
    waiting.sort(key=lambda m: (not inst.keepable[m], -inst.weight[m], m))
    for m in waiting:
        a, b, own = inst.a[m], inst.b[m], inst.slots[m]
        free = own[~busy[a, own] & ~busy[b, own] & (count[own] < inst.tables)]
        if free.size == 0:
            continue
        if inst.keepable[m] and inst.published_slot[m] in free:
            t = int(inst.published_slot[m])
        else:
            t = int(max(free.tolist(), key=lambda t: (_neighbours(inst, busy, a, b, t), -t)))
        slot[m] = t
        busy[a, t] = busy[b, t] = True
        count[t] += 1


def _neighbours(inst: Instance, busy, a, b, t) -> int:
    near = 0
    for d in (-1, 1):
        u = t + d
        if 0 <= u < inst.n_slots and inst.slot_session[u] == inst.slot_session[t]:
            near += int(busy[a, u]) + int(busy[b, u])
    return near


def _tables(inst: Instance, slot: np.ndarray) -> np.ndarray:
    """Kept meetings keep their table; others take their old one if free, else the lowest."""
    table = np.full(inst.n_meetings, -1, dtype=np.int64)
    for t in np.unique(slot[slot >= 0]).tolist():
        here = np.flatnonzero(slot == t).tolist()
        taken: set[int] = set()
        kept = [m for m in here if inst.published_slot[m] == t]
        moved = [m for m in here if inst.published_slot[m] != t]
        for group in (kept, moved):
            for m in group:
                old = int(inst.published_table[m])
                if 0 <= old < inst.tables and old not in taken:
                    table[m] = old
                    taken.add(old)
        free = (k for k in range(inst.tables) if k not in taken)
        for m in here:
            if table[m] < 0:
                table[m] = next(free)
    return table


def _reason(inst: Instance, m: int, busy, count, count_proven: bool) -> Unscheduled:
    ids = inst.participant_ids
    a, b = int(inst.a[m]), int(inst.b[m])
    meeting = inst.meeting_ids[m]
    if not inst.common[m]:
        facts = {
            "a": ids[a],
            "b": ids[b],
            "a_sessions": list(inst.attends[a]),
            "b_sessions": list(inst.attends[b]),
        }
        return Unscheduled(meeting, NO_COMMON_SESSION, facts)
    own = inst.slots[m]
    if own.size == 0:
        return Unscheduled(meeting, NO_COMMON_SLOT, {"sessions": list(inst.common[m])})
    full = [ids[p] for p in (a, b) if busy[p, own].all()]
    if full:
        return Unscheduled(
            meeting, PARTICIPANT_FULL, {"participants": full, "slots": int(own.size)}
        )
    both_free = own[~busy[a, own] & ~busy[b, own]]
    if both_free.size and (count[both_free] >= inst.tables).all():
        return Unscheduled(meeting, NO_TABLE, {"slots": both_free.tolist(), "tables": inst.tables})
    facts = {
        "slots": own.tolist(),
        "a_busy": own[busy[a, own]].tolist(),
        "b_busy": own[busy[b, own]].tolist(),
        "full": own[count[own] >= inst.tables].tolist(),
    }
    return Unscheduled(meeting, NO_COMMON_FREE_SLOT if count_proven else LIMIT, facts)


def participant_gaps(inst: Instance, slot: np.ndarray) -> np.ndarray:
    """(P,) empty slots between two meetings of a participant within one session, summed."""
    gaps = np.zeros(inst.n_participants, dtype=np.int64)
    busy, _ = _occupancy(inst, slot)
    for rng in inst.session_slots.values():
        block = busy[:, rng.start : rng.stop]
        n = block.sum(axis=1)
        has = n > 0
        first = np.argmax(block, axis=1)
        last = block.shape[1] - 1 - np.argmax(block[:, ::-1], axis=1)
        gaps += np.where(has, last - first + 1 - n, 0)
    return gaps


def is_bipartite(inst: Instance) -> bool:
    side = np.full(inst.n_participants, -1, dtype=np.int64)
    neighbours: list[list[int]] = [[] for _ in range(inst.n_participants)]
    for a, b in zip(inst.a.tolist(), inst.b.tolist(), strict=True):
        neighbours[a].append(b)
        neighbours[b].append(a)
    for root in range(inst.n_participants):
        if side[root] >= 0:
            continue
        side[root] = 0
        queue = deque([root])
        while queue:
            p = queue.popleft()
            for q in neighbours[p]:
                if side[q] < 0:
                    side[q] = 1 - side[p]
                    queue.append(q)
                elif side[q] == side[p]:
                    return False
    return True


def _result(inst, slot, plan: SessionPlan, bounds: dict, log, started) -> Schedule:
    values = {**bounds, "sessions": plan.count_bound}
    value = min(values.values())
    bound = Bound(value, "+".join(k for k, v in values.items() if v == value), values)
    placed = slot >= 0
    scheduled = int(placed.sum())
    count_proven = scheduled >= value
    busy, count = _occupancy(inst, slot)
    table = _tables(inst, slot)
    published = inst.published_slot >= 0
    kept = published & placed & (slot == inst.published_slot)
    kept_level = [lv for lv in plan.levels if lv.name == "sessions: kept"]
    score_proven = (
        count_proven
        and all(lv.proven for lv in plan.levels)
        and bool(np.array_equal(placed, plan.session >= 0))
        and all(int(kept.sum()) == lv.value for lv in kept_level)
    )
    gaps = participant_gaps(inst, slot)
    placements = [
        Placement(inst.meeting_ids[m], int(slot[m]), int(table[m]), bool(kept[m]))
        for m in np.flatnonzero(placed).tolist()
    ]
    unscheduled = [
        _reason(inst, m, busy, count, count_proven) for m in np.flatnonzero(~placed).tolist()
    ]
    stats = Stats(
        seconds=round(time.perf_counter() - started, 3),
        scheduled=scheduled,
        upper_bound=value,
        count_proven_optimal=count_proven,
        score_proven_optimal=score_proven,
        total_score=round(float(inst.score[placed].sum()), 6),
        gaps=int(gaps.sum()),
        participants_with_gaps=int((gaps > 0).sum()),
        published_kept=int(kept.sum()),
        published_moved=int((published & placed & ~kept).sum()),
        published_dropped=int((published & ~placed).sum()),
        bipartite=is_bipartite(inst),
        stages=log,
    )
    return Schedule(placements, unscheduled, bound, stats)
