"""The 1:1 meeting scheduler of connection events (docstring to come)."""

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
