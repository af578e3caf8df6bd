"""Stage 1: which session each meeting goes to, counting capacities rather than slots.

One 0-1 variable per (meeting, session in which both sides can use a slot): a meeting takes at
most one session; a participant holds no more meetings in a session than the slots it can use
there; a session holds no more than its per-slot table bounds summed. Every schedule projects
onto a solution of this model, so its optimum bounds the schedule's count, and at that count
its score. Solved lexicographically (``lexico.py``): (1) the count; (2) published meetings kept
in the session they were published in; (3) the total score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matchmaking.engine.schedule import cpsat
from matchmaking.engine.schedule.instance import Instance
from matchmaking.engine.schedule.lexico import Level, Packing, solve_lexicographic
from matchmaking.engine.schedule.records import Options


@dataclass(slots=True)
class SessionPlan:
    session: np.ndarray  # (M,) session index, -1 = not scheduled
    levels: list[Level]  # count, [kept,] score: value reached and the bound proven for it
    log: list[dict] = field(default_factory=list)

    @property
    def count_bound(self) -> int:
        return self.levels[0].bound


def capacities(inst: Instance, usable: np.ndarray, slot_cap: np.ndarray):
    """Usable slots per (participant, session) and table capacity per session."""
    per_participant = {
        s: usable[:, r.start : r.stop].sum(axis=1) for s, r in inst.session_slots.items()
    }
    per_session = {s: int(slot_cap[r.start : r.stop].sum()) for s, r in inst.session_slots.items()}
    return per_participant, per_session


def published_session(inst: Instance, m: int) -> int:
    return inst.session_of(int(inst.published_slot[m])) if inst.keepable[m] else -1


def greedy(inst: Instance, per_participant, per_session) -> np.ndarray:
    """Published meetings in their session first, then by score, each where most room is left."""
    left_p = {s: cap.astype(np.int64).copy() for s, cap in per_participant.items()}
    left_s = dict(per_session)
    plan = np.full(inst.n_meetings, -1, dtype=np.int64)
    order = sorted(range(inst.n_meetings), key=lambda m: (not inst.keepable[m], -inst.weight[m], m))
    for m in order:
        a, b = inst.a[m], inst.b[m]
        room = [s for s in inst.sessions[m] if left_s[s] and left_p[s][a] and left_p[s][b]]
        if not room:
            continue
        home = published_session(inst, m)
        if home in room:
            s = home
        else:
            s = max(room, key=lambda s: (min(left_p[s][a], left_p[s][b]), left_s[s], -s))
        plan[m] = s
        left_s[s] -= 1
        left_p[s][a] -= 1
        left_p[s][b] -= 1
    return plan


def plan_sessions(
    inst: Instance,
    *,
    usable: np.ndarray,
    slot_cap: np.ndarray,
    clock: cpsat.Clock,
    options: Options,
) -> SessionPlan:
    per_participant, per_session = capacities(inst, usable, slot_cap)
    columns = [(m, s) for m in range(inst.n_meetings) for s in inst.sessions[m]]
    col_m = np.array([m for m, _ in columns], dtype=np.int64)
    col_s = np.array([s for _, s in columns], dtype=np.int64)
    packing = Packing(len(columns))
    by_meeting: dict[int, list[int]] = {}
    by_participant: dict[tuple[int, int], list[int]] = {}
    by_session: dict[int, list[int]] = {}
    for c, (m, s) in enumerate(columns):
        by_meeting.setdefault(m, []).append(c)
        by_participant.setdefault((int(inst.a[m]), s), []).append(c)
        by_participant.setdefault((int(inst.b[m]), s), []).append(c)
        by_session.setdefault(s, []).append(c)
    for idx in by_meeting.values():
        packing.add_row(idx, 1)
    for (p, s), idx in by_participant.items():
        packing.add_row(idx, int(per_participant[s][p]))
    for s, idx in by_session.items():
        packing.add_row(idx, per_session[s])

    start_plan = greedy(inst, per_participant, per_session)
    start = (start_plan[col_m] == col_s).astype(np.int64) if columns else np.zeros(0, np.int64)
    home = np.array([published_session(inst, m) for m in col_m.tolist()], dtype=np.int64)
    objectives = [("sessions: count", np.ones(len(columns), dtype=np.int64))]
    if inst.keepable.any():
        objectives.append(("sessions: kept", (home == col_s).astype(np.int64)))
    objectives.append(("sessions: score", inst.weight[col_m] if columns else np.zeros(0, np.int64)))
    log: list[dict] = []
    if not columns:
        levels = [Level(name, 0, 0, "start") for name, _ in objectives]
        return SessionPlan(start_plan, levels, log)
    x, levels = solve_lexicographic(
        packing, objectives, start=start, clock=clock, options=options, log=log
    )
    plan = np.full(inst.n_meetings, -1, dtype=np.int64)
    chosen = np.flatnonzero(x)
    plan[col_m[chosen]] = col_s[chosen]
    return SessionPlan(plan, levels, log)
