"""A seeded synthetic connection event for the scheduler benchmark (no database).

Suppliers (producers, cooperatives), buyers (distributors, retail chains, exporters) and
processors, who buy and sell and so meet both sides (the meeting graph is then not bipartite).
Each attends 2–4 of the sessions, a few exclude some slots, popularity is log-normal (a big
retail chain is asked by many), nobody holds more than ``cap`` accepted meetings, and match
scores follow the engine's proposals: above a threshold, most of them middling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchmaking.engine.schedule import Meeting, Participant, session_slots


@dataclass(frozen=True, slots=True)
class SyntheticEvent:
    slots: list[int]
    tables: int
    participants: list[Participant]
    meetings: list[Meeting]


def synthetic_event(
    *,
    organizations: int = 1000,
    sessions: int = 4,
    slots_per_session: int = 9,
    tables: int = 150,
    meetings: int = 8000,
    cap: int = 30,
    processors: float = 0.1,
    all_sessions: bool = False,
    unavailable: float = 0.0,
    seed: int = 1,
) -> SyntheticEvent:
    rng = np.random.default_rng(seed)
    n = organizations
    kind = rng.choice(3, size=n, p=_kind_p(processors))  # 0 supplier, 1 buyer, 2 processor
    sells = np.flatnonzero(kind != 1)  # suppliers and processors
    buys = np.flatnonzero(kind != 0)  # buyers and processors
    if all_sessions:
        attends = [frozenset(range(sessions)) for _ in range(n)]
    else:
        counts = rng.choice([2, 3, 4], size=n, p=[0.3, 0.4, 0.3])
        attends = [
            frozenset(rng.choice(sessions, size=min(int(k), sessions), replace=False).tolist())
            for k in counts
        ]
    n_slots = sessions * slots_per_session
    participants = []
    for i in range(n):
        excluded: frozenset[int] = frozenset()
        if unavailable and rng.random() < unavailable:
            excluded = frozenset(
                rng.choice(n_slots, size=int(rng.integers(1, 4)), replace=False).tolist()
            )
        participants.append(Participant(id=i + 1, sessions=attends[i], unavailable=excluded))

    popularity = rng.lognormal(0.0, 0.8, size=n)
    degree = np.zeros(n, dtype=np.int64)
    pairs: set[tuple[int, int]] = set()
    p_sell = popularity[sells] / popularity[sells].sum()
    p_buy = popularity[buys] / popularity[buys].sum()
    for _ in range(200):
        if len(pairs) >= meetings:
            break
        batch = 2 * (meetings - len(pairs)) + 64
        us = sells[rng.choice(len(sells), size=batch, p=p_sell)]
        vs = buys[rng.choice(len(buys), size=batch, p=p_buy)]
        for u, v in zip(us.tolist(), vs.tolist(), strict=True):
            if u == v or degree[u] >= cap or degree[v] >= cap:
                continue
            key = (min(u, v), max(u, v))
            if key in pairs:
                continue
            pairs.add(key)
            degree[u] += 1
            degree[v] += 1
            if len(pairs) >= meetings:
                break
    order = sorted(pairs)
    rng.shuffle(order)
    scores = 0.3 + 0.7 * rng.beta(2.0, 3.0, size=len(order))
    return SyntheticEvent(
        slots=session_slots([slots_per_session] * sessions),
        tables=tables,
        participants=participants,
        meetings=[
            Meeting(id=k + 1, a=u + 1, b=v + 1, score=round(float(scores[k]), 4))
            for k, (u, v) in enumerate(order)
        ],
    )


def _kind_p(processors: float) -> list[float]:
    rest = 1.0 - processors
    return [0.6 * rest, 0.4 * rest, processors]
