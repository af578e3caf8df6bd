"""The organiser's scheduler: accepted meetings into slots and at tables.

Loads the event into the plain records of ``matchmaking.engine.schedule`` (OR-Tools CP-SAT and
an exact edge colouring; see its docstring for what is proven), stores what it returns and
tells every participant whose agenda changed. Already scheduled (published) meetings go in
with their slot and table, so re-running after late changes keeps what it can.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tasks import enqueue
from matchmaking.engine.schedule import Meeting as EngineMeeting
from matchmaking.engine.schedule import Options, Participant, schedule_meetings
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.services import agendas, notifications
from matchmaking.services.events import EventStateError, require_officer

# Why a meeting is left out, in words (the codes are the engine's).
REASON_LABELS = {
    "no_common_session": gettext_lazy("the two attend no session in common"),
    "no_common_slot": gettext_lazy("one side excluded every slot of their common sessions"),
    "participant_full": gettext_lazy("one side is busy in every slot both could take"),
    "no_table": gettext_lazy("no table is free when both are"),
    "no_common_free_slot": gettext_lazy("the two are never free at the same time"),
    "limit": gettext_lazy("not placed within the time limit"),
}

SCHEDULABLE = (ConnectionEvent.Status.CLOSED, ConnectionEvent.Status.SCHEDULED)
# Seconds the solver may take when an officer waits for the answer (the web's request time
# out is 30 s: big events are scheduled by the Celery job, which may take longer).
TIME_LIMIT = 20.0
JOB_TIME_LIMIT = 40.0


def _participants(event: ConnectionEvent, slot_times) -> list[Participant]:
    session_index = {s.pk: i for i, s in enumerate(event.sessions.all())}
    registrations = Registration.objects.filter(event=event).prefetch_related("sessions")
    return [
        Participant(
            id=r.organization_id,
            sessions=frozenset(session_index[s.pk] for s in r.sessions.all()),
            unavailable=r.excluded_indexes(slot_times),
        )
        for r in registrations
    ]


def check_schedulable(
    event: ConnectionEvent,
) -> list[tuple[int, datetime.datetime, datetime.datetime]]:
    """The event's slots, if a schedule can be made now (else a 409 saying why)."""
    if event.status not in SCHEDULABLE:
        raise EventStateError(_("Close registration before making the schedule."))
    slot_times = event.slot_times()
    if not slot_times:
        raise EventStateError(_("The event has no meeting slots."))
    return slot_times


def _store_progress(event_id: int, **progress) -> None:
    """Progress goes to the row at once (autocommit), so a page or the API can show it."""
    ConnectionEvent.objects.filter(pk=event_id).update(schedule_progress=progress)


def event_schedule(
    *,
    event: ConnectionEvent,
    by_user,
    time_limit: float = TIME_LIMIT,
    track_progress: bool = False,
) -> dict:
    """Schedule every accepted meeting it can; returns ``{"scheduled", "unscheduled", …}``.

    Reads and solves without holding a lock (the solver may take its whole time limit), then
    saves in one transaction what is still true: a meeting cancelled meanwhile is not placed.
    """
    require_officer(by_user)
    event = ConnectionEvent.objects.get(pk=event.pk)
    slot_times = check_schedulable(event)
    slot_of = {start: t for t, (_s, start, _e) in enumerate(slot_times)}
    participants = _participants(event, slot_times)
    known = {p.id for p in participants}
    loaded = {
        m.pk: m
        for m in Meeting.objects.filter(
            event=event, status__in=(Meeting.Status.ACCEPTED, Meeting.Status.SCHEDULED)
        )
        if m.requester_id in known and m.counterpart_id in known
    }
    records = []
    for m in loaded.values():
        slot = slot_of.get(m.starts_at) if m.status == Meeting.Status.SCHEDULED else None
        table = m.table - 1 if slot is not None and m.table else None
        if table is not None and table >= event.tables:
            slot = table = None  # fewer tables now: the meeting moves
        records.append(
            EngineMeeting(
                id=m.pk,
                a=m.requester_id,
                b=m.counterpart_id,
                score=m.score,
                slot=slot,
                table=table,
            )
        )

    def progress(fraction: float, stage: str) -> None:
        _store_progress(event.pk, state="running", fraction=round(fraction, 3), stage=stage)

    result = schedule_meetings(
        slots=[session for session, _s, _e in slot_times],
        tables=event.tables,
        participants=participants,
        meetings=records,
        options=Options(time_limit=time_limit, progress=progress if track_progress else None),
    )
    with transaction.atomic():
        event = ConnectionEvent.objects.select_for_update().get(pk=event.pk)
        check_schedulable(event)
        rows = {
            m.pk: m
            for m in Meeting.objects.select_for_update().filter(
                pk__in=list(loaded),
                status__in=(Meeting.Status.ACCEPTED, Meeting.Status.SCHEDULED),
            )
        }
        before = {pk: (m.status, m.starts_at, m.table) for pk, m in rows.items()}
        placed = 0
        for placement in result.placements:
            m = rows.get(placement.meeting)
            if m is None:
                continue  # cancelled while the solver ran
            _session, m.starts_at, m.ends_at = slot_times[placement.slot]
            m.table = placement.table + 1
            m.status = Meeting.Status.SCHEDULED
            placed += 1
        unscheduled = []
        for item in result.unscheduled:
            m = rows.get(item.meeting)
            if m is None:
                continue
            m.starts_at = m.ends_at = m.table = None
            m.status = Meeting.Status.ACCEPTED
            unscheduled.append({"meeting": item.meeting, "reason": item.reason})
        _save(rows, before)
        stats = result.stats
        report = {
            "scheduled": placed,
            "unscheduled": unscheduled,
            "upper_bound": result.bound.value,
            "count_proven_optimal": stats.count_proven_optimal,
            "total_score": round(stats.total_score, 4),
            "gaps": stats.gaps,
            "published_kept": stats.published_kept,
            "published_moved": stats.published_moved,
            "seconds": round(stats.seconds, 3),
        }
        event.status = ConnectionEvent.Status.SCHEDULED
        event.schedule_report = report
        event.schedule_progress = {"state": "done", "fraction": 1.0, "stage": "saved"}
        event.scheduled_at = timezone.now()
        event.save(update_fields=["status", "schedule_report", "schedule_progress", "scheduled_at"])
        _tell_changed(event, rows, before)
        agendas.send_agendas_on_commit(event)
    return report


def schedule_event_job(*, event_id: int, user_id: int) -> dict:
    """What the Celery job runs: the same service, with its progress on the event row."""
    from django.contrib.auth import get_user_model

    event = ConnectionEvent.objects.get(pk=event_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        return event_schedule(
            event=event, by_user=user, time_limit=JOB_TIME_LIMIT, track_progress=True
        )
    except Exception as error:
        _store_progress(event_id, state="failed", error=str(error)[:300])
        raise


def start_schedule_job(*, event: ConnectionEvent, by_user) -> bool:
    """Check now, then schedule on a worker (in-process in the embedded run)."""
    require_officer(by_user)
    check_schedulable(event)
    _store_progress(event.pk, state="queued", fraction=0.0, stage="queued")
    return enqueue("matchmaking.tasks.schedule_event", event.pk, by_user.pk)


def _save(rows: dict[int, Meeting], before: dict) -> None:
    """Write the changed rows with one UPDATE per slot and one per table (not per meeting).

    Django's ``bulk_update`` builds a CASE per row and took half the time at 8,000 meetings.
    The moved meetings first leave their tables (NULLs never collide), so no intermediate
    state breaks the one-meeting-per-table-and-slot constraint, on PostgreSQL or SQLite.
    """
    changed = [m for pk, m in rows.items() if (m.status, m.starts_at, m.table) != before[pk]]
    Meeting.objects.filter(pk__in=[m.pk for m in changed]).update(table=None)
    by_slot: dict = defaultdict(list)
    by_table: dict = defaultdict(list)
    for m in changed:
        by_slot[(m.status, m.starts_at, m.ends_at)].append(m.pk)
        if m.table is not None:
            by_table[m.table].append(m.pk)
    for (status, starts_at, ends_at), ids in by_slot.items():
        Meeting.objects.filter(pk__in=ids).update(
            status=status, starts_at=starts_at, ends_at=ends_at, updated_at=timezone.now()
        )
    for table, ids in by_table.items():
        Meeting.objects.filter(pk__in=ids).update(table=table)


def _tell_changed(event: ConnectionEvent, rows: dict[int, Meeting], before: dict) -> None:
    """One notification per organization whose agenda changed (not one per meeting)."""
    changed: dict[int, int] = defaultdict(int)
    for pk, m in rows.items():
        if (m.status, m.starts_at, m.table) != before[pk]:
            changed[m.requester_id] += 1
            changed[m.counterpart_id] += 1
    for org_id, count in sorted(changed.items()):
        notifications.notify_meeting(
            organization_id=org_id, what="scheduled", event=event, count=count
        )
