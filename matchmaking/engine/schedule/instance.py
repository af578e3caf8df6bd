"""The input checked and turned into indexes: participants 0..P-1, meetings 0..M-1, slots 0..T-1."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaking.engine.schedule.records import Meeting, Participant, ScheduleInputError

# Scores in [0, 1] become integers for CP-SAT; 1/1000 is finer than any score shown to people.
SCORE_SCALE = 1000


@dataclass(slots=True)
class Instance:
    slot_session: np.ndarray  # (T,) session index of each slot
    session_slots: dict[int, range]  # session index -> its consecutive slots
    tables: int
    participant_ids: list[int]
    attends: list[tuple[int, ...]]  # sessions each participant attends
    allowed: np.ndarray  # (P, T) bool: attends the slot's session and did not exclude it
    meeting_ids: list[int]
    a: np.ndarray  # (M,) participant index
    b: np.ndarray
    score: np.ndarray  # (M,) float
    weight: np.ndarray  # (M,) int, score * SCORE_SCALE
    slots: list[np.ndarray]  # allowed slots of each meeting (both sides may take them)
    sessions: list[tuple[int, ...]]  # sessions holding at least one of those slots
    common: list[tuple[int, ...]]  # sessions both attend
    published_slot: np.ndarray  # (M,) int, -1 = not published
    published_table: np.ndarray  # (M,) int, -1 = none
    keepable: np.ndarray  # (M,) bool: published in a slot it may still take

    @property
    def n_slots(self) -> int:
        return len(self.slot_session)

    @property
    def n_meetings(self) -> int:
        return len(self.meeting_ids)

    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    def session_of(self, slot: int) -> int:
        return int(self.slot_session[slot])


def compile_instance(
    *,
    slots: Sequence[int],
    tables: int,
    participants: Sequence[Participant],
    meetings: Sequence[Meeting],
) -> Instance:
    """Check the input (raising :class:`ScheduleInputError`) and index it."""
    if not isinstance(tables, int) or tables < 1:
        raise ScheduleInputError(f"tables must be a positive integer, not {tables!r}")
    slot_session = np.asarray(list(slots), dtype=np.int64)
    n_slots = len(slot_session)
    session_slots: dict[int, range] = {}
    for t in range(n_slots):
        s = int(slot_session[t])
        if s < 0:
            raise ScheduleInputError(f"slot {t} has a negative session index {s}")
        if s in session_slots:
            if session_slots[s].stop != t:
                raise ScheduleInputError(f"the slots of session {s} are not consecutive")
            session_slots[s] = range(session_slots[s].start, t + 1)
        else:
            session_slots[s] = range(t, t + 1)

    index: dict[int, int] = {}
    allowed = np.zeros((len(participants), n_slots), dtype=bool)
    for i, p in enumerate(participants):
        if p.id in index:
            raise ScheduleInputError(f"participant {p.id} is given twice")
        index[p.id] = i
        for s in p.sessions:
            if s not in session_slots:
                raise ScheduleInputError(
                    f"participant {p.id} attends session {s}, which has no slots"
                )
            allowed[i, session_slots[s].start : session_slots[s].stop] = True
        for t in p.unavailable:
            if not 0 <= t < n_slots:
                raise ScheduleInputError(f"participant {p.id} excludes slot {t}, out of range")
            allowed[i, t] = False

    n = len(meetings)
    a = np.empty(n, dtype=np.int64)
    b = np.empty(n, dtype=np.int64)
    score = np.empty(n, dtype=float)
    published_slot = np.full(n, -1, dtype=np.int64)
    published_table = np.full(n, -1, dtype=np.int64)
    seen: set[int] = set()
    for m, meeting in enumerate(meetings):
        if meeting.id in seen:
            raise ScheduleInputError(f"meeting {meeting.id} is given twice")
        seen.add(meeting.id)
        for side in (meeting.a, meeting.b):
            if side not in index:
                raise ScheduleInputError(
                    f"meeting {meeting.id}: participant {side} is not registered"
                )
        if meeting.a == meeting.b:
            raise ScheduleInputError(f"meeting {meeting.id}: an organization cannot meet itself")
        if not (math.isfinite(meeting.score) and 0.0 <= meeting.score <= 1.0):
            raise ScheduleInputError(f"meeting {meeting.id}: score {meeting.score!r} not in [0, 1]")
        if meeting.slot is not None and not 0 <= meeting.slot < n_slots:
            raise ScheduleInputError(f"meeting {meeting.id}: slot {meeting.slot} out of range")
        if meeting.table is not None:
            if meeting.slot is None:
                raise ScheduleInputError(f"meeting {meeting.id}: a table without a slot")
            if meeting.table < 0:
                raise ScheduleInputError(f"meeting {meeting.id}: table {meeting.table} < 0")
        a[m], b[m], score[m] = index[meeting.a], index[meeting.b], meeting.score
        published_slot[m] = -1 if meeting.slot is None else meeting.slot
        published_table[m] = -1 if meeting.table is None else meeting.table

    both = allowed[a] & allowed[b]  # (M, T)
    m_slots = [np.flatnonzero(row) for row in both]
    m_sessions = [tuple(sorted({int(slot_session[t]) for t in row})) for row in m_slots]
    attends = [set(p.sessions) for p in participants]
    common = [tuple(sorted(attends[a[m]] & attends[b[m]])) for m in range(n)]
    keepable = np.array(
        [published_slot[m] >= 0 and both[m, published_slot[m]] for m in range(n)], dtype=bool
    )
    return Instance(
        slot_session=slot_session,
        session_slots=session_slots,
        tables=tables,
        participant_ids=[p.id for p in participants],
        attends=[tuple(sorted(p.sessions)) for p in participants],
        allowed=allowed,
        meeting_ids=[meeting.id for meeting in meetings],
        a=a,
        b=b,
        score=score,
        weight=np.rint(score * SCORE_SCALE).astype(np.int64),
        slots=m_slots,
        sessions=m_sessions,
        common=common,
        published_slot=published_slot,
        published_table=published_table,
        keepable=keepable,
    )
