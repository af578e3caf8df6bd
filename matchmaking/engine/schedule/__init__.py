"""The 1:1 meeting scheduler of connection events: pure Python, numpy and OR-Tools, no Django.

The events service calls it with plain data and stores what it returns::

    result = schedule_meetings(
        slots=session_slots([9, 9, 9, 9]),  # session index of each slot, in time order
        tables=150,
        participants=[Participant(id=org_id, sessions=frozenset({0, 2}), unavailable=...)],
        meetings=[Meeting(id=meeting_id, a=org_a, b=org_b, score=0.82, slot=None, table=None)],
        options=Options(time_limit=40, progress=task_progress),
    )
    result.placements   # [Placement(meeting, slot, table, kept)]   (0-based slot and table)
    result.unscheduled  # [Unscheduled(meeting, reason, facts)]     (reason codes in records.py)
    result.bound        # Bound(value, method, values): no schedule holds more meetings
    result.stats        # seconds, proofs, score, gaps, published kept/moved/dropped, stages

**Rules.** Never two meetings of one participant in one slot; never more meetings in a slot
than tables, nor one table twice; a meeting only in a slot of a session both sides attend and
neither excluded. **Objective**, lexicographic: (1) meetings scheduled; (2) published meetings
(``Meeting.slot`` given: rescheduling after late changes) kept where they are; (3) total match
score; (4) fewer gaps (a gap: an empty slot between two of a participant's meetings in one
session). Tables are interchangeable; a meeting that keeps its slot keeps its table.

**How, and what is exact.** A plain CP-SAT model with one boolean per (meeting, slot) is too
big to prove anything in a minute at 8,000 meetings × 36 slots, so the problem is split:

- ``bounds.py``: cheap upper bounds (meetings, tables per slot, participants, a max-flow).
- Stage 1, ``sessions.py``: which session each meeting goes to, with per-participant and
  per-session capacities instead of slots. It is a relaxation of the whole problem, so its
  optimum bounds the count and, at that count, the score. It is solved level by level as an
  LP (GLOP, ``lexico.py``); on every instance measured the simplex vertex was integral, and
  so the optimum. Where it is not, CP-SAT closes the gap from the rounded LP, with the LP
  bound as proof. (CP-SAT alone on this model, two workers, stalled 7 % below the optimum
  after 15 s; the LP takes under 2 s.)
- Stage 2, ``colouring.py``: each session's meetings into its slots, an edge colouring with
  at most ``tables`` edges per colour. **Exact when the meeting graph is bipartite and nobody
  excluded a slot** (König's theorem through Kempe chains, then de Werra's balancing): every
  meeting stage 1 put in the session gets a slot, so the schedule reaches the relaxation's
  optimum, and count and score are proven optimal. Processors buy and sell, so odd cycles
  occur, and exclusions restrict slots; there the colouring is a heuristic (it still placed
  everything on every benchmark instance), ``slots.py`` gives CP-SAT a try at what it left
  out, and ``solve.py`` puts what is still waiting into any free slot. Whether the count is
  proven is then a fact reported in ``stats``: it is when the count meets the bound.
- ``gaps.py``: fewer gaps by Kempe-chain descent within the sessions stage 1 chose: a
  heuristic, also in that stage 1 ignores gaps when it splits meetings between sessions.
- Published meetings are a level of stage 1 (kept in their session: exact there); in their
  session the colouring puts them back in their slot first and the descent never moves one
  out, but that a published meeting could not have stayed is not proven.

Unscheduled meetings get the reason found in the final schedule (``records.py``): the static
ones (``no_common_session``, ``no_common_slot``), then ``participant_full`` (a side is busy in
every slot both could use), ``no_table`` (every slot where both are free is full), else
``no_common_free_slot`` when the count is proven optimal and ``limit`` when it is not.

``matchmaking.benchmarks.events`` builds seeded events; ``python -m
matchmaking.benchmarks.schedule`` times one.
"""

from matchmaking.engine.schedule.records import (
    LIMIT,
    NO_COMMON_FREE_SLOT,
    NO_COMMON_SESSION,
    NO_COMMON_SLOT,
    NO_TABLE,
    PARTICIPANT_FULL,
    REASONS,
    Bound,
    Meeting,
    Options,
    Participant,
    Placement,
    Schedule,
    ScheduleInputError,
    Stats,
    Unscheduled,
    session_slots,
)
from matchmaking.engine.schedule.solve import schedule_meetings

__all__ = [
    "LIMIT",
    "NO_COMMON_FREE_SLOT",
    "NO_COMMON_SESSION",
    "NO_COMMON_SLOT",
    "NO_TABLE",
    "PARTICIPANT_FULL",
    "REASONS",
    "Bound",
    "Meeting",
    "Options",
    "Participant",
    "Placement",
    "Schedule",
    "ScheduleInputError",
    "Stats",
    "Unscheduled",
    "schedule_meetings",
    "session_slots",
]
