"""The agenda email when the organiser publishes the schedule (and when a re-run moves it).

Publishing (``scheduling.event_schedule``) enqueues :func:`send_agenda_emails` on commit.
Each registered organization's members get their timetable (time, table, counterpart, the
links to the agenda page and its .ics, which is also attached) in their own language, the
first time as "your agenda" and after a re-run as "updated agenda", but only when that
organization's meetings changed: what was emailed is kept on the registration
(``agenda_emailed``), so running the job twice, or re-publishing an unchanged schedule,
sends nothing more. Members who turned notification emails off get none.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from core.cleaning import single_line
from core.formatting import format_date, localized_name
from core.tasks import enqueue_on_commit
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.selectors_events import ics_for

log = logging.getLogger(__name__)
SEND_AGENDAS = "matchmaking.tasks.send_agendas"


def send_agendas_on_commit(event: ConnectionEvent) -> None:
    enqueue_on_commit(SEND_AGENDAS, event.pk)


@dataclass(frozen=True)
class Row:
    pk: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    table: int
    other: str  # the counterpart's name


def _fingerprint(meetings: list[Row]) -> list[list]:
    return [[m.pk, m.starts_at.isoformat(), m.table] for m in meetings]


def _agendas(event: ConnectionEvent) -> dict[int, list[Row]]:
    """{organization id: its scheduled meetings in time order, each with ``other``}."""
    by_org: dict[int, list[Row]] = {}
    meetings = (
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
        .select_related("requester", "counterpart")
        .order_by("starts_at", "table", "pk")
    )
    for meeting in meetings:
        for own, other in (
            (meeting.requester, meeting.counterpart),
            (meeting.counterpart, meeting.requester),
        ):
            row = Row(meeting.pk, meeting.starts_at, meeting.ends_at, meeting.table, other.name)
            by_org.setdefault(own.pk, []).append(row)
    return by_org


def send_agenda_emails(event_id: int, *, only_new: bool = False) -> dict[str, int]:
    """Email every registered organization whose agenda is new or changed since last emailed
    (``only_new``: only those never emailed, for the sweep).

    Returns ``{"organizations": n, "emails": n, "unchanged": n}``. One organization's
    failure does not stop the others (it stays unsent; the sweep retries a first agenda).
    """
    event = ConnectionEvent.objects.select_related("place").get(pk=event_id)
    if event.status != ConnectionEvent.Status.SCHEDULED:
        return {"organizations": 0, "emails": 0, "unchanged": 0}
    agendas = _agendas(event)
    done = {"organizations": 0, "emails": 0, "unchanged": 0}
    registrations = Registration.objects.filter(event=event).select_related("organization")
    if only_new:
        registrations = registrations.filter(agenda_emailed_at__isnull=True)
    for registration in registrations:
        meetings = agendas.get(registration.organization_id, [])
        if (
            registration.agenda_emailed_at is not None
            and registration.agenda_emailed == _fingerprint(meetings)
        ):
            done["unchanged"] += 1
            continue
        try:
            sent = _send_one(event, registration.pk, meetings)
        except Exception:
            log.exception("could not email the agenda of registration %s", registration.pk)
            continue
        if sent is not None:
            done["organizations"] += 1
            done["emails"] += sent
    return done


def _send_one(event: ConnectionEvent, registration_id: int, meetings: list[Row]) -> int | None:
    """Claim the registration (row lock), email its members, record what was sent."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(skip_locked=True)
            .select_related("organization")
            .filter(pk=registration_id)
            .first()
        )
        fingerprint = _fingerprint(meetings)
        if registration is None:
            return None  # another worker is on it
        if registration.agenda_emailed_at is not None and registration.agenda_emailed == (
            fingerprint
        ):
            return None
        updated = registration.agenda_emailed_at is not None
        organization = registration.organization
        users = [
            m.user
            for m in Membership.objects.filter(
                organization=organization,
                user__is_active=True,
                user__email_notifications=True,
            )
            .exclude(user__email="")
            .select_related("user")
        ]
        if users:
            calendar = ics_for(event, organization)
            messages = [
                _message(event, organization, meetings, user, updated, calendar) for user in users
            ]
            get_connection().send_messages(messages)
        registration.agenda_emailed = fingerprint
        registration.agenda_emailed_at = timezone.now()
        registration.save(update_fields=["agenda_emailed", "agenda_emailed_at"])
        return len(users)


def _message(event, organization, meetings, user, updated: bool, calendar: bytes):
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lang = user.preferred_language if user.preferred_language in ("vi", "en") else "vi"
    with translation.override(lang):
        rows = [
            {
                "time": f"{format_date(timezone.localtime(m.starts_at).date())} "
                f"{timezone.localtime(m.starts_at):%H:%M}–{timezone.localtime(m.ends_at):%H:%M}",
                "table": m.table,
                "other": m.other,
            }
            for m in meetings
        ]
        context = {
            "event_name": localized_name(event),
            "event_date": format_date(event.held_on),
            "where": ", ".join(p for p in (event.venue, localized_name(event.place)) if p),
            "organization": organization,
            "rows": rows,
            "updated": updated,
            "agenda_url": base + reverse("events:agenda", args=[event.pk, organization.pk]),
            "ics_url": base + reverse("events:agenda-ics", args=[event.pk, organization.pk]),
            "settings_url": base + reverse("matchmaking:notifications"),
        }
        subject = render_to_string("matchmaking/email/agenda_subject.txt", context)
        body = render_to_string("matchmaking/email/agenda.txt", context)
    message = EmailMessage(
        subject=single_line(subject).strip()[:200],
        body=body,
        to=[user.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    message.attach(f"agenda-{event.pk}.ics", calendar, "text/calendar")
    return message


def sweep_unsent_agendas() -> int:
    """First agendas that never left (the broker was down at publishing, or the mail server
    failed): sent now. Changed agendas are only emailed when the organiser re-publishes."""
    events = (
        Registration.objects.filter(
            event__status=ConnectionEvent.Status.SCHEDULED, agenda_emailed_at__isnull=True
        )
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(send_agenda_emails(pk, only_new=True)["emails"] for pk in list(events))
