"""The meeting scheduler: hard rules on random events, rescheduling, reasons, input errors."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.benchmarks.events import synthetic_event
from matchmaking.engine.schedule import (
    LIMIT,
    NO_COMMON_FREE_SLOT,
    NO_COMMON_SESSION,
    NO_COMMON_SLOT,
    NO_TABLE,
    PARTICIPANT_FULL,
    REASONS,
    Meeting,
    Options,
    Participant,
    ScheduleInputError,
    schedule_meetings,
    session_slots,
)

FAST = Options(time_limit=5, workers=1)


def run(slots, tables, participants, meetings, options=FAST):
    return schedule_meetings(
        slots=slots, tables=tables, participants=participants, meetings=meetings, options=options
    )


def allowed_slots(slots, participants, meeting) -> set[int]:
    by_id = {p.id: p for p in participants}
    a, b = by_id[meeting.a], by_id[meeting.b]
    return {
        t
        for t, s in enumerate(slots)
        if s in a.sessions and s in b.sessions and t not in a.unavailable | b.unavailable
    }


def assert_valid(schedule, slots, tables, participants, meetings):
    """The hard rules, checked from the output alone."""
    by_id = {m.id: m for m in meetings}
    seen_people, seen_tables = set(), set()
    for placement in schedule.placements:
        meeting = by_id[placement.meeting]
        assert placement.slot in allowed_slots(slots, participants, meeting)
        assert 0 <= placement.table < tables
        assert (placement.slot, placement.table) not in seen_tables
        seen_tables.add((placement.slot, placement.table))
        for side in (meeting.a, meeting.b):
            assert (side, placement.slot) not in seen_people
            seen_people.add((side, placement.slot))
        assert placement.kept == (meeting.slot == placement.slot)
    placed = [p.meeting for p in schedule.placements]
    left = [u.meeting for u in schedule.unscheduled]
    assert sorted(placed + left) == sorted(by_id)
    assert all(u.reason in REASONS for u in schedule.unscheduled)
    assert schedule.stats.scheduled == len(placed) <= schedule.bound.value
    assert schedule.stats.count_proven_optimal == (len(placed) == schedule.bound.value)


@st.composite
def events(draw):
    n_sessions = draw(st.integers(1, 3))
    slots = session_slots([draw(st.integers(1, 4)) for _ in range(n_sessions)])
    n_people = draw(st.integers(2, 8))
    participants = []
    for i in range(n_people):
        sessions = draw(st.frozensets(st.integers(0, n_sessions - 1)))
        unavailable = draw(
            st.frozensets(st.integers(0, len(slots) - 1), max_size=2) | st.just(frozenset())
        )
        participants.append(Participant(id=10 + i, sessions=sessions, unavailable=unavailable))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=14,
        )
    )
    meetings = []
    for k, (i, j) in enumerate(pairs):
        published = draw(st.none() | st.tuples(st.integers(0, len(slots) - 1), st.integers(0, 3)))
        meetings.append(
            Meeting(
                id=100 + k,
                a=10 + i,
                b=10 + j,
                score=draw(st.integers(0, 1000)) / 1000,
                slot=published and published[0],
                table=published and published[1],
            )
        )
    return slots, draw(st.integers(1, 4)), participants, meetings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_hard_rules_hold_and_every_meeting_is_accounted_for(event):
    slots, tables, participants, meetings = event
    schedule = run(slots, tables, participants, meetings)
    assert_valid(schedule, slots, tables, participants, meetings)
    json.dumps(schedule.as_dict())  # the service stores it as it is


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_reasons_state_facts_of_the_final_schedule(event):
    slots, tables, participants, meetings = event
    schedule = run(slots, tables, participants, meetings)
    by_id = {m.id: m for m in meetings}
    busy = set()
    per_slot = Counter()
    for p in schedule.placements:
        busy |= {(by_id[p.meeting].a, p.slot), (by_id[p.meeting].b, p.slot)}
        per_slot[p.slot] += 1
    for u in schedule.unscheduled:
        meeting = by_id[u.meeting]
        own = allowed_slots(slots, participants, meeting)
        sessions = {p.id: p.sessions for p in participants}
        common = sessions[meeting.a] & sessions[meeting.b]
        assert (u.reason == NO_COMMON_SESSION) == (not common)
        assert (u.reason == NO_COMMON_SLOT) == (bool(common) and not own)
        free_both = {t for t in own if (meeting.a, t) not in busy and (meeting.b, t) not in busy}
        if u.reason == PARTICIPANT_FULL:
            for side in u.facts["participants"]:
                assert all((side, t) in busy for t in own)
        if u.reason == NO_TABLE:
            assert free_both and all(per_slot[t] >= tables for t in free_both)
        if u.reason in (NO_COMMON_FREE_SLOT, LIMIT):
            assert not free_both
            assert (u.reason == LIMIT) == (not schedule.stats.count_proven_optimal)
        # Nothing is left out that could simply have been added.
        assert not any(per_slot[t] < tables for t in free_both)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_a_published_schedule_comes_back_unchanged(event):
    slots, tables, participants, meetings = event
    first = run(slots, tables, participants, meetings)
    by_id = {m.id: m for m in meetings}
    published = []
    for p in first.placements:
        m = by_id[p.meeting]
        published.append(Meeting(m.id, m.a, m.b, m.score, slot=p.slot, table=p.table))
    again = run(slots, tables, participants, published)
    assert {(p.meeting, p.slot, p.table) for p in again.placements} == {
        (m.id, m.slot, m.table) for m in published
    }
    assert again.stats.published_kept == len(published)


def test_a_late_meeting_joins_and_the_published_ones_stay():
    slots = session_slots([4, 4])
    people = [Participant(id=i, sessions=frozenset({0, 1})) for i in range(1, 7)]
    meetings = [
        Meeting(1, 1, 2, 0.9),
        Meeting(2, 1, 3, 0.8),
        Meeting(3, 2, 3, 0.7),
        Meeting(4, 4, 5, 0.6),
        Meeting(5, 5, 6, 0.5),
    ]
    first = run(slots, 2, people, meetings)
    assert first.stats.scheduled == 5
    where = {p.meeting: (p.slot, p.table) for p in first.placements}
    published = [Meeting(m.id, m.a, m.b, m.score, *where[m.id]) for m in meetings]
    late = Meeting(6, 1, 6, 0.95)
    again = run(slots, 2, people, [*published, late])
    after = {p.meeting: (p.slot, p.table) for p in again.placements}
    assert 6 in after
    assert all(after[m] == where[m] for m in where)
    assert again.stats.published_kept == 5
    assert again.stats.published_moved == again.stats.published_dropped == 0


def test_a_published_meeting_moves_when_staying_would_cost_a_meeting():
    # One table; a late meeting of 1 with 3, who only attends the first session, can only take
    # slot 0, where 1 meets 2. Moving that one to slot 1 holds both.
    slots = session_slots([1, 1])
    people = [
        Participant(1, frozenset({0, 1})),
        Participant(2, frozenset({0, 1})),
        Participant(3, frozenset({0})),
    ]
    schedule = run(
        slots, 1, people, [Meeting(1, 1, 2, 0.9, slot=0, table=0), Meeting(2, 1, 3, 0.1)]
    )
    assert {p.meeting: p.slot for p in schedule.placements} == {1: 1, 2: 0}
    assert schedule.stats.published_moved == 1
    assert schedule.stats.count_proven_optimal


def test_a_published_meeting_no_longer_possible_is_moved_and_the_others_stay():
    # 2 now attends only session 1: its meeting published in session 0 moves, 3–4 stays put.
    slots = session_slots([2, 2])
    people = [
        Participant(1, frozenset({0, 1})),
        Participant(2, frozenset({1})),
        Participant(3, frozenset({0, 1})),
        Participant(4, frozenset({0, 1})),
    ]
    meetings = [Meeting(1, 1, 2, 0.5, slot=0, table=0), Meeting(2, 3, 4, 0.5, slot=0, table=1)]
    schedule = run(slots, 2, people, meetings)
    where = {p.meeting: (p.slot, p.table, p.kept) for p in schedule.placements}
    assert where[2] == (0, 1, True)
    assert where[1][0] in (2, 3) and not where[1][2]


def reasons_of(schedule) -> dict[int, tuple[str, dict]]:
    return {u.meeting: (u.reason, u.facts) for u in schedule.unscheduled}


def test_no_common_session():
    people = [Participant(1, frozenset({0})), Participant(2, frozenset({1}))]
    schedule = run(session_slots([2, 2]), 3, people, [Meeting(7, 1, 2, 0.5)])
    assert reasons_of(schedule) == {
        7: (NO_COMMON_SESSION, {"a": 1, "b": 2, "a_sessions": [0], "b_sessions": [1]})
    }


def test_no_common_slot():
    people = [
        Participant(1, frozenset({0}), unavailable=frozenset({0})),
        Participant(2, frozenset({0}), unavailable=frozenset({1})),
    ]
    schedule = run(session_slots([2]), 3, people, [Meeting(7, 1, 2, 0.5)])
    assert reasons_of(schedule) == {7: (NO_COMMON_SLOT, {"sessions": [0]})}


def test_participant_full_names_the_busy_side_and_keeps_the_better_meeting():
    people = [Participant(i, frozenset({0})) for i in (1, 2, 3)]
    meetings = [Meeting(7, 1, 2, 0.4), Meeting(8, 1, 3, 0.9)]
    schedule = run(session_slots([1]), 5, people, meetings)
    assert [p.meeting for p in schedule.placements] == [8]
    assert reasons_of(schedule) == {7: (PARTICIPANT_FULL, {"participants": [1], "slots": 1})}


def test_no_table():
    people = [Participant(i, frozenset({0})) for i in (1, 2, 3, 4)]
    meetings = [Meeting(7, 1, 2, 0.4), Meeting(8, 3, 4, 0.9)]
    schedule = run(session_slots([1]), 1, people, meetings)
    assert reasons_of(schedule) == {7: (NO_TABLE, {"slots": [0], "tables": 1})}
    assert schedule.bound.value == 1 and schedule.stats.count_proven_optimal


def test_no_common_free_slot():
    # 3 can only take slot 0 and 4 only slot 1: 1–3 takes slot 0, 2–4 slot 1, and 1–2, worth
    # least, has no slot where both are free.
    people = [
        Participant(1, frozenset({0})),
        Participant(2, frozenset({0})),
        Participant(3, frozenset({0}), unavailable=frozenset({1})),
        Participant(4, frozenset({0}), unavailable=frozenset({0})),
    ]
    meetings = [Meeting(7, 1, 2, 0.1), Meeting(8, 1, 3, 0.9), Meeting(9, 2, 4, 0.9)]
    schedule = run(session_slots([2]), 2, people, meetings)
    assert schedule.stats.count_proven_optimal
    assert reasons_of(schedule) == {
        7: (NO_COMMON_FREE_SLOT, {"slots": [0, 1], "a_busy": [0], "b_busy": [1], "full": []})
    }


def petersen():
    outer = [(i, (i + 1) % 5) for i in range(5)]
    spokes = [(i, i + 5) for i in range(5)]
    inner = [(5 + i, 5 + (i + 2) % 5) for i in range(5)]
    return outer + spokes + inner


def test_limit_when_the_bound_is_not_reached():
    # The Petersen graph needs four colours: three slots hold at most 13 of its 15 meetings,
    # while every bound says 15. The count is not proven; what is left says "limit".
    people = [Participant(i, frozenset({0})) for i in range(10)]
    meetings = [Meeting(k, a, b, 0.5) for k, (a, b) in enumerate(petersen())]
    schedule = run(session_slots([3]), 5, people, meetings)
    assert schedule.bound.value == 15
    assert schedule.stats.scheduled <= 13
    assert not schedule.stats.count_proven_optimal
    assert {u.reason for u in schedule.unscheduled} == {LIMIT}
    assert not schedule.stats.bipartite


def test_tables_are_numbered_within_each_slot_and_published_tables_are_kept():
    people = [Participant(i, frozenset({0})) for i in range(1, 7)]
    meetings = [
        Meeting(1, 1, 2, 0.5, slot=0, table=2),
        Meeting(2, 3, 4, 0.5),
        Meeting(3, 5, 6, 0.5),
    ]
    schedule = run(session_slots([1]), 3, people, meetings)
    tables = {p.meeting: p.table for p in schedule.placements}
    assert tables[1] == 2 and sorted(tables.values()) == [0, 1, 2]


def test_gaps_are_counted_and_avoided_when_they_can_be():
    # 1 meets 2, 3, 4, each free in every slot: the three can sit back to back, no gap.
    people = [Participant(i, frozenset({0})) for i in range(1, 5)]
    meetings = [Meeting(k, 1, k + 1, 0.5) for k in range(1, 4)]
    schedule = run(session_slots([6]), 1, people, meetings)
    taken = sorted(p.slot for p in schedule.placements)
    assert taken[-1] - taken[0] == 2
    assert schedule.stats.gaps == 0


def test_a_gap_that_cannot_be_avoided_is_counted():
    # 2 and 3 each exclude the middle slot; 1's two meetings must straddle it.
    people = [
        Participant(1, frozenset({0})),
        Participant(2, frozenset({0}), unavailable=frozenset({1, 2})),
        Participant(3, frozenset({0}), unavailable=frozenset({1, 0})),
    ]
    schedule = run(session_slots([3]), 2, people, [Meeting(1, 1, 2, 0.5), Meeting(2, 1, 3, 0.5)])
    assert {p.meeting: p.slot for p in schedule.placements} == {1: 0, 2: 2}
    assert schedule.stats.gaps == 1 and schedule.stats.participants_with_gaps == 1


def test_progress_is_reported_up_to_done():
    seen = []
    people = [Participant(i, frozenset({0})) for i in (1, 2)]
    options = Options(time_limit=5, workers=1, progress=lambda f, stage: seen.append((f, stage)))
    run(session_slots([2]), 1, people, [Meeting(1, 1, 2, 0.5)], options)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and seen[-1] == (1.0, "done")


def test_an_event_without_meetings_or_slots():
    schedule = run([], 1, [Participant(1, frozenset())], [])
    assert schedule.placements == [] and schedule.unscheduled == []
    assert schedule.stats.count_proven_optimal and schedule.bound.value == 0


def test_a_small_synthetic_event_is_scheduled_to_its_bound():
    event = synthetic_event(
        organizations=80, sessions=2, slots_per_session=6, tables=12, meetings=300, cap=10, seed=3
    )
    schedule = run(event.slots, event.tables, event.participants, event.meetings)
    assert_valid(schedule, event.slots, event.tables, event.participants, event.meetings)
    assert schedule.stats.scheduled >= 0.99 * schedule.bound.value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tables": 0}, "tables must be a positive integer"),
        ({"slots": [0, 1, 0]}, "slots of session 0 are not consecutive"),
        ({"slots": [-1]}, "negative session index"),
        ({"participants": [Participant(1, frozenset({0}))] * 2}, "participant 1 is given twice"),
        (
            {"participants": [Participant(1, frozenset({5}))]},
            "attends session 5, which has no slots",
        ),
        ({"participants": [Participant(1, frozenset({0}), frozenset({9}))]}, "excludes slot 9"),
        ({"meetings": [Meeting(1, 1, 3, 0.5)]}, "participant 3 is not registered"),
        ({"meetings": [Meeting(1, 1, 1, 0.5)]}, "cannot meet itself"),
        ({"meetings": [Meeting(1, 1, 2, 1.5)]}, "not in [0, 1]"),
        ({"meetings": [Meeting(1, 1, 2, float("nan"))]}, "not in [0, 1]"),
        ({"meetings": [Meeting(1, 1, 2, 0.5)] * 2}, "meeting 1 is given twice"),
        ({"meetings": [Meeting(1, 1, 2, 0.5, slot=4)]}, "slot 4 out of range"),
        ({"meetings": [Meeting(1, 1, 2, 0.5, table=1)]}, "a table without a slot"),
        ({"meetings": [Meeting(1, 1, 2, 0.5, slot=0, table=-1)]}, "table -1 < 0"),
    ],
)
def test_input_that_contradicts_itself_is_refused(change, message):
    given_ = {
        "slots": [0, 0],
        "tables": 1,
        "participants": [Participant(1, frozenset({0})), Participant(2, frozenset({0}))],
        "meetings": [],
        **change,
    }
    with pytest.raises(ScheduleInputError, match=re.escape(message)):
        schedule_meetings(**given_, options=FAST)
