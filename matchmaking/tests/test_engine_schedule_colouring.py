"""One session's slots: the edge colouring (König, de Werra) and the Kempe-chain gap descent."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.engine.schedule.colouring import colour_session
from matchmaking.engine.schedule.gaps import reduce_gaps
from matchmaking.engine.schedule.slots import gaps

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def bipartite_sessions(draw):
    """A bipartite multigraph with degrees within the slots and edges within the tables."""
    n = draw(st.integers(1, 6))
    left, right = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    edges = draw(
        st.lists(st.tuples(st.integers(0, left - 1), st.integers(0, right - 1)), max_size=30)
    )
    degree: dict[int, int] = {}
    kept = []
    for a, b in edges:
        a, b = a, left + b
        if degree.get(a, 0) < n and degree.get(b, 0) < n:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
            kept.append((a, b))
    tables = max(1, -(-len(kept) // n), draw(st.integers(1, 6)))
    return n, tables, kept


def proper(u, v, colour, tables) -> bool:
    seen = set()
    for a, b, c in zip(u.tolist(), v.tolist(), colour.tolist(), strict=True):
        if c < 0:
            continue
        if (a, c) in seen or (b, c) in seen:
            return False
        seen |= {(a, c), (b, c)}
    return bool(np.bincount(colour[colour >= 0]).max(initial=0) <= tables)


def arrays(edges, n):
    u = np.array([a for a, _ in edges], dtype=np.int64)
    v = np.array([b for _, b in edges], dtype=np.int64)
    return u, v, np.ones((len(edges), n), dtype=bool)


@SETTINGS
@given(bipartite_sessions())
def test_a_bipartite_session_is_coloured_whole_within_the_tables(session):
    n, tables, edges = session
    u, v, allowed = arrays(edges, n)
    colour = colour_session(
        u, v, allowed, np.full(len(edges), -1), np.ones(len(edges), dtype=np.int64), tables
    )
    assert (colour >= 0).all()
    assert proper(u, v, colour, tables)


def test_balancing_spreads_meetings_down_to_the_table_limit():
    # Six disjoint meetings and three slots: greedily they would all fit slot 0; two tables.
    edges = [(2 * k, 2 * k + 1) for k in range(6)]
    u, v, allowed = arrays(edges, 3)
    colour = colour_session(u, v, allowed, np.full(6, -1), np.ones(6, dtype=np.int64), 2)
    assert sorted(np.bincount(colour).tolist()) == [2, 2, 2]


def test_published_meetings_go_back_to_their_slot():
    edges = [(0, 1), (0, 2), (3, 4)]
    u, v, allowed = arrays(edges, 3)
    colour = colour_session(u, v, allowed, np.array([2, 1, 0]), np.ones(3, dtype=np.int64), 1)
    assert colour.tolist() == [2, 1, 0]


def test_an_excluded_slot_is_never_used():
    edges = [(0, 1), (0, 2)]
    u, v, allowed = arrays(edges, 2)
    allowed[1, 0] = False  # the meeting 0–2 cannot take slot 0
    colour = colour_session(u, v, allowed, np.full(2, -1), np.ones(2, dtype=np.int64), 1)
    assert colour.tolist() == [0, 1]


@SETTINGS
@given(bipartite_sessions(), st.integers(0, 2**16))
def test_gap_descent_keeps_the_schedule_valid_and_never_worse(session, seed):
    n, tables, edges = session
    u, v, allowed = arrays(edges, n)
    rng = np.random.default_rng(seed)
    allowed &= rng.random(allowed.shape) > 0.15
    preferred = np.where(rng.random(len(edges)) < 0.3, rng.integers(0, n, len(edges)), -1)
    colour = colour_session(u, v, allowed, preferred, np.ones(len(edges), dtype=np.int64), tables)
    better = reduce_gaps(u, v, allowed, preferred, tables, colour, seconds=1.0, seed=seed)
    assert proper(u, v, better, tables)
    assert ((better >= 0) == (colour >= 0)).all()
    assert all(allowed[e, c] for e, c in enumerate(better.tolist()) if c >= 0)

    # Published meetings back in their slot come first, then fewer gaps.
    def value(c):
        return int(((c == preferred) & (c >= 0)).sum()), -int(gaps(u, v, c).sum())

    assert value(better) >= value(colour)


def test_gap_descent_closes_a_gap_it_can():
    # 0 meets 1 in slot 0 and 2 in slot 2; slot 1 is free for both: one move closes the gap.
    edges = [(0, 1), (0, 2)]
    u, v, allowed = arrays(edges, 3)
    colour = np.array([0, 2])
    better = reduce_gaps(u, v, allowed, np.full(2, -1), 1, colour, seconds=1.0, seed=0)
    assert gaps(u, v, colour).sum() == 1 and gaps(u, v, better).sum() == 0
