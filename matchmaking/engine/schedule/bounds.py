"""Upper bounds on the number of meetings any schedule can hold.

Each is a relaxation of the hard rules, so each holds for every schedule; the reported bound is
the least of them, together with ``sessions`` (the proven optimum, or CP-SAT's best bound, of
the session-level model in ``sessions.py``, itself a relaxation).

``meetings``
    meetings with at least one slot both sides may take.
``tables``
    per slot, no more meetings than tables, than meetings that may use the slot, nor than half
    the participants who could meet in it; summed over slots.
``participants``
    nobody holds more meetings than its meetings nor than the slots it could use for them; each
    meeting takes two participants: half the sum.
``flow``
    a max-flow over the bipartite double cover of the meeting graph, per session: each meeting
    sends one unit from each side to the other (``a → b`` and ``b → a``), through a node of
    capacity one per direction; a participant passes at most as many units per session as it
    has usable slots in it, a session at most twice its per-slot table bound. A schedule gives
    a flow of twice its meetings, so half the maximum flow bounds them (the relaxation lets a
    meeting's two directions lie in different sessions, or be used only one way).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from matchmaking.engine.schedule.instance import Instance


def usable_slots(inst: Instance) -> np.ndarray:
    """(P, T) bool: the slots each participant could use for at least one of its meetings."""
    usable = np.zeros(inst.allowed.shape, dtype=bool)
    for m, slots in enumerate(inst.slots):
        usable[inst.a[m], slots] = True
        usable[inst.b[m], slots] = True
    return usable


def per_slot_capacity(inst: Instance, usable: np.ndarray) -> np.ndarray:
    """(T,) the ``tables`` bound of each slot."""
    meetings_at = np.zeros(inst.n_slots, dtype=np.int64)
    for slots in inst.slots:
        meetings_at[slots] += 1
    return np.minimum(np.minimum(inst.tables, usable.sum(axis=0) // 2), meetings_at)


def combinatorial_bounds(inst: Instance) -> dict[str, int]:
    usable = usable_slots(inst)
    cap = per_slot_capacity(inst, usable)
    schedulable = np.array([len(s) > 0 for s in inst.slots], dtype=bool)
    degree = np.bincount(inst.a[schedulable], minlength=inst.n_participants) + np.bincount(
        inst.b[schedulable], minlength=inst.n_participants
    )
    return {
        "meetings": int(schedulable.sum()),
        "tables": int(cap.sum()),
        "participants": int(np.minimum(degree, usable.sum(axis=1)).sum() // 2),
        "flow": flow_bound(inst, usable, cap),
    }


def flow_bound(inst: Instance, usable: np.ndarray, cap: np.ndarray) -> int:
    sessions = sorted(inst.session_slots)
    if not sessions or inst.n_meetings == 0:
        return 0
    col = {s: j for j, s in enumerate(sessions)}
    n_s, n_p, n_m = len(sessions), inst.n_participants, inst.n_meetings
    source, sink = 0, 1
    left_session = 2  # + j
    right_session = left_session + n_s
    left = right_session + n_s  # + p * n_s + j
    right = left + n_p * n_s
    meeting = right + n_p * n_s  # + 4 m + (0 a→b in, 1 a→b out, 2 b→a in, 3 b→a out)
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []

    def arc(tail: int, head: int, capacity: int) -> None:
        tails.append(tail)
        heads.append(head)
        caps.append(capacity)

    for s, j in col.items():
        rng = inst.session_slots[s]
        arc(source, left_session + j, 2 * int(cap[rng.start : rng.stop].sum()))
        arc(right_session + j, sink, 2 * int(cap[rng.start : rng.stop].sum()))
        per_participant = usable[:, rng.start : rng.stop].sum(axis=1)
        for p in np.flatnonzero(per_participant):
            arc(left_session + j, left + p * n_s + j, int(per_participant[p]))
            arc(right + p * n_s + j, right_session + j, int(per_participant[p]))
    for m in range(n_m):
        a, b = int(inst.a[m]), int(inst.b[m])
        base = meeting + 4 * m
        arc(base, base + 1, 1)
        arc(base + 2, base + 3, 1)
        for s in inst.sessions[m]:
            j = col[s]
            arc(left + a * n_s + j, base, 1)
            arc(base + 1, right + b * n_s + j, 1)
            arc(left + b * n_s + j, base + 2, 1)
            arc(base + 3, right + a * n_s + j, 1)
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
    )
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:  # cannot happen on this graph; fall back to no bound
        return inst.n_meetings
    return int(solver.optimal_flow() // 2)
