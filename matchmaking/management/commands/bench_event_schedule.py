"""``manage.py bench_event_schedule``: time the organiser's scheduler end to end, in the database.

Stores the engine benchmark's synthetic event (``matchmaking.benchmarks.events``) as
rows — organizations, an event with its sessions, registrations, accepted meetings — then
times ``matchmaking.services.scheduling.event_schedule``: loading, solving, saving every
placement and notifying. Prints meetings scheduled against the engine's upper bound. Everything
it wrote is rolled back at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import datetime
import platform
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization
from catalog.models import Province, Region
from matchmaking.benchmarks.events import synthetic_event
from matchmaking.models import ConnectionEvent, EventSession, Meeting, Registration
from matchmaking.services.scheduling import event_schedule


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Store a synthetic connection event and time the scheduling service on it."

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=1000)
        parser.add_argument("--sessions", type=int, default=4)
        parser.add_argument("--slots-per-session", type=int, default=9)
        parser.add_argument("--tables", type=int, default=150)
        parser.add_argument("--meetings", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--time-limit", type=float, default=40.0)
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, **o):
        try:
            with transaction.atomic():
                self._run(o)
                if not o["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("(rolled back)")

    def _run(self, o):
        event_data = synthetic_event(
            organizations=o["organizations"],
            sessions=o["sessions"],
            slots_per_session=o["slots_per_session"],
            tables=o["tables"],
            meetings=o["meetings"],
            seed=o["seed"],
        )
        started = time.perf_counter()
        province = Province.objects.first() or Province.objects.create(
            code="99",
            name="Tỉnh thử",
            name_en="Bench province",
            kind="province",
            latitude=10.0,
            longitude=106.0,
            region=Region.objects.create(code="zz", name="Vùng thử", name_en="Bench", order=99),
        )
        officer = get_user_model().objects.create(  # rolled back with the rest
            username=f"bench-officer-{time.time_ns()}", is_staff=True, is_superuser=True
        )
        day = timezone.localdate() + datetime.timedelta(days=30)
        event = ConnectionEvent.objects.create(
            slug=f"bench-{time.time_ns()}",
            name="Hội nghị thử",
            name_en="Bench conference",
            held_on=day,
            place=province,
            tables=o["tables"],
            slot_minutes=20,
            status=ConnectionEvent.Status.CLOSED,
        )
        tz = timezone.get_current_timezone()
        step = datetime.timedelta(minutes=20 * o["slots_per_session"])
        sessions = EventSession.objects.bulk_create(
            EventSession(
                event=event,
                starts_at=datetime.datetime.combine(day, datetime.time(7), tzinfo=tz)
                + i * (step + datetime.timedelta(minutes=30)),
                ends_at=datetime.datetime.combine(day, datetime.time(7), tzinfo=tz)
                + i * (step + datetime.timedelta(minutes=30))
                + step,
            )
            for i in range(o["sessions"])
        )
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Đơn vị {p.id}", kind="processor", province=province)
            for p in event_data.participants
        )
        org_of = {p.id: org.pk for p, org in zip(event_data.participants, orgs, strict=True)}
        registrations = Registration.objects.bulk_create(
            Registration(event=event, organization_id=org_of[p.id], side="both")
            for p in event_data.participants
        )
        through = Registration.sessions.through
        through.objects.bulk_create(
            through(registration_id=r.pk, eventsession_id=sessions[s].pk)
            for r, p in zip(registrations, event_data.participants, strict=True)
            for s in sorted(p.sessions)
        )
        Meeting.objects.bulk_create(
            (
                Meeting(
                    event=event,
                    requester_id=org_of[m.a],
                    counterpart_id=org_of[m.b],
                    score=m.score,
                    status=Meeting.Status.ACCEPTED,
                    expires_at=sessions[0].starts_at,
                )
                for m in event_data.meetings
            ),
            batch_size=2000,
        )
        built = time.perf_counter() - started

        started = time.perf_counter()
        report = event_schedule(event=event, by_user=officer, time_limit=o["time_limit"])
        seconds = time.perf_counter() - started
        stored = Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED).count()

        w = self.stdout.write
        w(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, "
          f"{connection.vendor}")  # fmt: skip
        w(f"event: {len(event_data.participants)} organizations, {o['sessions']} sessions × "
          f"{o['slots_per_session']} slots, {o['tables']} tables, "
          f"{len(event_data.meetings)} accepted meetings (stored in {built:.1f} s)")  # fmt: skip
        w(f"event_schedule: {seconds:.1f} s end to end (solver {report['seconds']:.1f} s)")
        w(f"scheduled: {report['scheduled']} (stored {stored}) of upper bound "
          f"{report['upper_bound']} = {100 * report['scheduled'] / max(1, report['upper_bound']):.2f} %"
          f"; count proven optimal: {report['count_proven_optimal']}")  # fmt: skip
        reasons = Counter(u["reason"] for u in report["unscheduled"])
        w(f"unscheduled: {len(report['unscheduled'])} {dict(reasons)}; gaps: {report['gaps']}")
