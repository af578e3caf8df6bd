"""Stage 2b: CP-SAT over one session, for the meetings the colouring left out.

The colouring (``colouring.py``) places every meeting of a session when the meeting graph is
bipartite and nobody excluded a slot; otherwise a few may be left. CP-SAT then maximises, with
the colouring as its hint, the meetings placed, above published meetings kept in their slot,
above the score: one boolean per (meeting, slot of the session both sides may take), at most
one slot per meeting, one meeting per participant and slot, ``tables`` meetings per slot. Its
answer is only taken when it is better, so the colouring is the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from matchmaking.engine.schedule import cpsat
from matchmaking.engine.schedule.records import Options


@dataclass(slots=True)
class SessionSlots:
    """One session's meetings, with local participant and slot indexes."""

    u: np.ndarray  # (E,) local participant
    v: np.ndarray
    allowed: np.ndarray  # (E, n) bool
    preferred: np.ndarray  # (E,) local published slot, -1 = none
    weight: np.ndarray  # (E,) int
    tables: int

    @property
    def n_slots(self) -> int:
        return self.allowed.shape[1]


def gaps(u: np.ndarray, v: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Gaps of each local participant: empty slots between its first and last meeting."""
    n_vertices = int(max(u.max(initial=-1), v.max(initial=-1))) + 1
    placed = colour >= 0
    ends = np.r_[u[placed], v[placed]]
    slots = np.r_[colour[placed], colour[placed]]
    first = np.full(n_vertices, np.iinfo(np.int64).max)
    last = np.full(n_vertices, -1)
    np.minimum.at(first, ends, slots)
    np.maximum.at(last, ends, slots)
    count = np.bincount(ends, minlength=n_vertices)
    return np.where(count > 0, last - first + 1 - count, 0)


def objective(session: SessionSlots, colour: np.ndarray) -> tuple[int, int, int, int]:
    """(placed, kept, score, -gaps) of a colouring: larger is better, compared in this order."""
    placed = colour >= 0
    kept = placed & (colour == session.preferred)
    return (
        int(placed.sum()),
        int(kept.sum()),
        int(session.weight[placed].sum()),
        -int(gaps(session.u, session.v, colour).sum()),
    )


def place_more(
    session: SessionSlots,
    colour: np.ndarray,
    *,
    seconds: float,
    options: Options,
    log: list,
    name: str,
) -> np.ndarray:
    """CP-SAT's try at the meetings the colouring left out; never worse than ``colour``."""
    if not (colour < 0).any() or seconds <= 0.05:
        return colour
    model, x = _model(session)
    score_weight = int(session.weight.sum()) + 1  # one kept meeting is worth more than any score
    place_weight = score_weight * (len(colour) + 1)  # one placed more than anything else
    terms, coefs = [], []
    for (e, j), var in x.items():
        terms.append(var)
        kept = score_weight if session.preferred[e] == j else 0
        coefs.append(place_weight + kept + int(session.weight[e]))
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, coefs))
    for (e, j), var in x.items():
        model.add_hint(var, int(colour[e] == j))
    solved = cpsat.solve(model, seconds=seconds, options=options, name=f"{name}: placed", log=log)
    if not solved.has_solution:
        return colour
    found = np.full(len(colour), -1, dtype=np.int64)
    for (e, j), var in x.items():
        if solved.solver.boolean_value(var):
            found[e] = j
    return found if objective(session, found) > objective(session, colour) else colour


def _model(session: SessionSlots):
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_meeting: dict[int, list] = {}
    per_participant: dict[tuple[int, int], list] = {}
    per_slot: dict[int, list] = {}
    for e in range(len(session.u)):
        for j in np.flatnonzero(session.allowed[e]).tolist():
            var = model.new_bool_var("")
            x[e, j] = var
            per_meeting.setdefault(e, []).append(var)
            per_participant.setdefault((int(session.u[e]), j), []).append(var)
            per_participant.setdefault((int(session.v[e]), j), []).append(var)
            per_slot.setdefault(j, []).append(var)
    for group in per_participant.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for vars_ in per_slot.values():
        if len(vars_) > session.tables:
            model.add(cp_model.LinearExpr.sum(vars_) <= session.tables)
    for group in per_meeting.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    return model, x
