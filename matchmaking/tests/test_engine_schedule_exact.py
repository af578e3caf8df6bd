"""The scheduler against an exact model: a plain CP-SAT model solved to proven optimality.

Where the package docstring says the scheduler is exact (a bipartite meeting graph, no slot
excluded) it must reach the optimum count and score; everywhere its bound must hold and its
claims of proof must be true.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from matchmaking.engine.schedule import (
    Meeting,
    Options,
    Participant,
    schedule_meetings,
    session_slots,
)
from matchmaking.engine.schedule.cpsat import Clock
from matchmaking.engine.schedule.lexico import Packing, solve_lexicographic

FAST = Options(time_limit=5, workers=1)


def exact(slots, tables, participants, meetings) -> tuple[int, int]:
    """(count, score in thousandths) of the lexicographic optimum: one boolean per meeting, slot."""
    by_id = {p.id: p for p in participants}
    model = cp_model.CpModel()
    x, per_person, per_slot = {}, {}, {}
    for m in meetings:
        a, b = by_id[m.a], by_id[m.b]
        for t, s in enumerate(slots):
            if s in a.sessions and s in b.sessions and t not in a.unavailable | b.unavailable:
                x[m.id, t] = var = model.new_bool_var("")
                per_person.setdefault((m.a, t), []).append(var)
                per_person.setdefault((m.b, t), []).append(var)
                per_slot.setdefault(t, []).append(var)
    for m in meetings:
        model.add_at_most_one([v for (k, _), v in x.items() if k == m.id])
    for group in per_person.values():
        model.add_at_most_one(group)
    for group in per_slot.values():
        model.add(sum(group) <= tables)
    weight = {m.id: round(m.score * 1000) for m in meetings}
    count = sum(x.values())
    model.maximize(count)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    best = round(solver.objective_value)
    model.add(count == best)
    model.maximize(sum(weight[k] * v for (k, _), v in x.items()))
    assert solver.solve(model) == cp_model.OPTIMAL
    return best, round(solver.objective_value)


@st.composite
def events(draw, *, bipartite: bool, exclusions: bool, published: bool = False):
    n_sessions = draw(st.integers(1, 2))
    slots = session_slots([draw(st.integers(1, 4)) for _ in range(n_sessions)])
    n_people = draw(st.integers(2, 8))
    sides = [i % 2 for i in range(n_people)]
    participants = [
        Participant(
            id=i,
            sessions=draw(st.frozensets(st.integers(0, n_sessions - 1), min_size=1)),
            unavailable=draw(st.frozensets(st.integers(0, len(slots) - 1), max_size=2))
            if exclusions
            else frozenset(),
        )
        for i in range(n_people)
    ]
    pair = st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(
        lambda p: p[0] != p[1] and (not bipartite or sides[p[0]] != sides[p[1]])
    )
    meetings = []
    for k, (a, b) in enumerate(draw(st.lists(pair, max_size=16))):
        slot = draw(st.none() | st.integers(0, len(slots) - 1)) if published else None
        meetings.append(Meeting(k, a, b, draw(st.integers(0, 1000)) / 1000, slot=slot))
    return slots, draw(st.integers(1, 3)), participants, meetings


def ours(event):
    slots, tables, participants, meetings = event
    schedule = schedule_meetings(
        slots=slots, tables=tables, participants=participants, meetings=meetings, options=FAST
    )
    weight = {m.id: round(m.score * 1000) for m in meetings}
    return schedule, sum(weight[p.meeting] for p in schedule.placements)


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(events(bipartite=True, exclusions=False))
def test_exact_on_bipartite_events_without_exclusions(event):
    schedule, score = ours(event)
    assert (schedule.stats.scheduled, score) == exact(*event)
    assert schedule.stats.count_proven_optimal and schedule.stats.score_proven_optimal
    assert schedule.stats.bipartite


@SETTINGS
@given(events(bipartite=True, exclusions=False, published=True))
def test_exact_count_when_rescheduling(event):
    schedule, _ = ours(event)
    assert schedule.stats.scheduled == exact(*event)[0]
    assert schedule.stats.count_proven_optimal


@SETTINGS
@given(events(bipartite=False, exclusions=True))
def test_bounds_hold_and_proofs_are_true_on_any_event(event):
    schedule, score = ours(event)
    count, best_score = exact(*event)
    assert schedule.stats.scheduled <= count
    assert all(value >= count for value in schedule.bound.values.values())
    if schedule.stats.count_proven_optimal:
        assert schedule.stats.scheduled == count
    if schedule.stats.score_proven_optimal:
        assert score == best_score


def test_lexicographic_packing_closes_a_fractional_lp_with_cp_sat():
    # A weighted matching on five vertices whose LP optimum is 8.5 (an odd cycle at 1/2).
    edges = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4)]
    weight = np.array([5, 2, 3, 5, 5, 3, 2, 2, 2])
    packing = Packing(len(edges))
    for v in range(5):
        packing.add_row([k for k, e in enumerate(edges) if v in e], 1)
    log: list = []
    x, levels = solve_lexicographic(
        packing,
        [("weight", weight)],
        start=np.zeros(len(edges), dtype=np.int64),
        clock=Clock(5),
        options=FAST,
        log=log,
    )
    assert log[0]["status"] == "FRACTIONAL" and log[0]["objective"] == 8.5
    assert (levels[0].value, levels[0].bound, levels[0].method) == (8, 8, "cp-sat")
    assert packing.feasible(x) and int(weight @ x) == 8


def test_lexicographic_levels_hold_the_earlier_ones():
    # Two meetings share a participant: the count (1) is held while the score picks the better.
    packing = Packing(3)
    packing.add_row([0, 1], 1)
    x, levels = solve_lexicographic(
        packing,
        [("count", np.array([1, 1, 1])), ("score", np.array([1, 7, 0]))],
        start=np.zeros(3, dtype=np.int64),
        clock=Clock(5),
        options=FAST,
        log=[],
    )
    assert x.tolist() == [0, 1, 1]
    assert [(lv.value, lv.bound) for lv in levels] == [(2, 2), (7, 7)]
