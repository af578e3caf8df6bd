"""What goes into the scheduler and what comes out: plain, JSON-friendly records.

Slots and tables are 0-based indexes: slot ``t`` is the ``t``-th slot of the event in time
order (``slots[t]`` is its session index), table ``k`` is one of ``range(tables)``. The
service maps them to datetimes and to the table numbers people read (``k + 1``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# Why a meeting is not in the schedule (``Unscheduled.reason``); ``Unscheduled.facts`` holds
# what the reason rests on, so a page can say it in words.
NO_COMMON_SESSION = "no_common_session"  # the two attend no session in common
NO_COMMON_SLOT = "no_common_slot"  # common sessions, but one side excluded every slot of them
PARTICIPANT_FULL = "participant_full"  # one side is busy in every slot both could use
NO_TABLE = "no_table"  # every table is taken in every slot where both are free
NO_COMMON_FREE_SLOT = (
    "no_common_free_slot"  # both have free slots, never the same one at a free table
)
LIMIT = "limit"  # as above, but the count is not proven optimal: more time might place it
REASONS = (
    NO_COMMON_SESSION,
    NO_COMMON_SLOT,
    PARTICIPANT_FULL,
    NO_TABLE,
    NO_COMMON_FREE_SLOT,
    LIMIT,
)


class ScheduleInputError(ValueError):
    """The input contradicts itself (unknown participant, slot out of range…); nothing solved."""


@dataclass(frozen=True, slots=True)
class Participant:
    """A registered organization: the sessions it attends and the slots it cannot take."""

    id: int
    sessions: frozenset[int]
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Meeting:
    """An accepted meeting between participants ``a`` and ``b``.

    ``slot``/``table`` are where it was published before (rescheduling after late changes);
    the scheduler keeps it there whenever that does not cost a scheduled meeting.
    """

    id: int
    a: int
    b: int
    score: float
    slot: int | None = None
    table: int | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """``time_limit`` bounds the whole solve (seconds); ``workers`` are CP-SAT threads.

    ``progress(fraction, stage)`` is called between stages (a Celery task stores it).
    With more than one worker CP-SAT is not deterministic even for one ``seed``.
    """

    time_limit: float = 40.0
    seed: int = 0
    workers: int = 2
    progress: Callable[[float, str], None] | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    meeting: int
    slot: int
    table: int
    kept: bool = False  # published before and still in the same slot


@dataclass(frozen=True, slots=True)
class Unscheduled:
    meeting: int
    reason: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Bound:
    """An upper bound on the meetings any schedule can hold, and the bounds it is the least of.

    ``method`` names the bound(s) that give ``value`` (see ``bounds.py`` for each):
    ``meetings``, ``tables``, ``participants``, ``flow``, ``sessions``.
    """

    value: int
    method: str
    values: dict[str, int]


@dataclass(frozen=True, slots=True)
class Stats:
    seconds: float
    scheduled: int
    upper_bound: int
    count_proven_optimal: bool  # no schedule holds more meetings
    score_proven_optimal: bool  # and none with as many holds a higher total score
    total_score: float
    gaps: int  # empty slots between two meetings of one participant in one session, summed
    participants_with_gaps: int
    published_kept: int
    published_moved: int
    published_dropped: int
    bipartite: bool  # the meeting graph has no odd cycle (see the package docstring)
    stages: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Schedule:
    placements: list[Placement]
    unscheduled: list[Unscheduled]
    bound: Bound
    stats: Stats

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def session_slots(slot_counts: Sequence[int]) -> list[int]:
    """The ``slots`` argument for sessions of ``slot_counts[s]`` consecutive slots each."""
    return [s for s, n in enumerate(slot_counts) for _ in range(n)]
