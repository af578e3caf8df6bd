"""Reads of connection events: an organization's agenda (as data and as iCalendar)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from accounts.models import Organization
from matchmaking.models import ConnectionEvent, Meeting


@dataclass
class Agenda:
    event: ConnectionEvent
    organization: Organization
    meetings: list[Meeting]  # each with ``other``: the counterpart seen from the organization


def agenda_for(event: ConnectionEvent, organization: Organization) -> Agenda:
    """The organization's scheduled (and past) meetings at the event, in time order."""
    meetings = list(
        Meeting.objects.filter(event=event, status__in=Meeting.AGENDA_STATUSES)
        .involving(organization.pk)
        .select_related("requester__province", "counterpart__province")
        .order_by("starts_at", "table")
    )
    for meeting in meetings:
        meeting.other = (
            meeting.counterpart if meeting.requester_id == organization.pk else meeting.requester
        )
    return Agenda(event=event, organization=organization, meetings=meetings)


def ics_for(event: ConnectionEvent, organization: Organization) -> bytes:
    """The agenda as an RFC 5545 calendar: one VEVENT per meeting, table in the location."""
    agenda = agenda_for(event, organization)
    calendar = Calendar()
    calendar.add("prodid", "-//Ket noi cung cau//connection events//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} — {organization.name}")
    host = getattr(settings, "SITE_URL", "").split("//")[-1].strip("/") or "ketnoi.local"
    stamp = timezone.now()
    for meeting in agenda.meetings:
        item = CalendarEvent()
        item.add("uid", f"meeting-{meeting.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", meeting.starts_at)
        item.add("dtend", meeting.ends_at)
        item.add("summary", f"{meeting.other.name} — bàn {meeting.table} / table {meeting.table}")
        where = ", ".join(part for part in (event.venue, event.place.name) if part)
        item.add("location", f"{where} — bàn {meeting.table}" if where else f"bàn {meeting.table}")
        item.add("description", f"{event.name}\n{event.name_en}")
        calendar.add_component(item)
    return calendar.to_ical()


def table_plan(event: ConnectionEvent) -> list[dict]:
    """The organiser's plan: for each slot in time order, the tables taken and by whom."""
    meetings = (
        Meeting.objects.filter(event=event, status__in=Meeting.AGENDA_STATUSES)
        .select_related("requester", "counterpart")
        .order_by("starts_at", "table")
    )
    by_start: dict = {}
    for meeting in meetings:
        by_start.setdefault(meeting.starts_at, []).append(meeting)
    return [
        {"starts_at": start, "ends_at": end, "meetings": by_start.get(start, [])}
        for _session, start, end in event.slot_times()
    ]
