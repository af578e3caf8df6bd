"""The scheduling service on random small events stored in the database (hypothesis).

Whatever the registrations and accepted meetings, what the service stores keeps the rules:
no organization in two meetings at once, no table twice at once, every meeting in a slot of
a session both sides attend, in no slot either side excluded, and at a table the event has; every accepted meeting is either
scheduled or reported with a reason; and re-running keeps every published meeting in place.
"""

import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import OrganizationFactory
from matchmaking.engine.schedule import REASONS
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.services.scheduling import event_schedule
from matchmaking.tests.factories import open_event

pytestmark = pytest.mark.django_db


@st.composite
def events(draw):
    organizations = draw(st.integers(min_value=2, max_value=7))
    attends = [
        draw(st.sets(st.integers(min_value=0, max_value=1), min_size=1))
        for _ in range(organizations)
    ]
    pairs = list(itertools.combinations(range(organizations), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12))
    scores = [draw(st.floats(min_value=0.3, max_value=1.0)) for _ in chosen]
    tables = draw(st.integers(min_value=1, max_value=3))
    # Slots (0-2 in session 0, 3-5 in session 1) each organization excluded.
    excluded = [
        draw(st.sets(st.sampled_from([t for s in sorted(a) for t in range(3 * s, 3 * s + 3)])))
        for a in attends
    ]
    return attends, list(zip(chosen, scores, strict=True)), tables, excluded


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(case=events())
def test_stored_schedules_keep_every_rule(actors, reference, case):
    attends, meetings, tables, excluded = case
    with transaction.atomic():
        event = open_event(reference, sessions=2, tables=tables, slot_minutes=20)
        sessions = list(event.sessions.all())
        starts = [start for _s, start, _e in event.slot_times()]
        orgs = []
        for i, attended in enumerate(attends):
            org = OrganizationFactory(name=f"Đơn vị {i}", province=reference.daklak)
            registration = Registration.objects.create(
                event=event,
                organization=org,
                side="both",
                excluded_slots=[starts[t].isoformat() for t in sorted(excluded[i])],
            )
            registration.sessions.set([sessions[s] for s in attended])
            orgs.append(org)
        for (a, b), score in meetings:
            Meeting.objects.create(
                event=event,
                requester=orgs[a],
                counterpart=orgs[b],
                status=Meeting.Status.ACCEPTED,
                score=score,
                expires_at=sessions[0].starts_at,
            )
        event.status = ConnectionEvent.Status.CLOSED
        event.save()
        report = event_schedule(event=event, by_user=actors.officer, time_limit=5)

        placed = list(Meeting.objects.filter(event=event, status="scheduled"))
        assert report["scheduled"] == len(placed) <= report["upper_bound"]
        assert len(placed) + len(report["unscheduled"]) == len(meetings)
        assert {u["reason"] for u in report["unscheduled"]} <= set(REASONS)
        attended = {org.pk: [sessions[s] for s in attends[i]] for i, org in enumerate(orgs)}
        index = {org.pk: i for i, org in enumerate(orgs)}
        for item in report["unscheduled"]:
            if item["reason"] == "no_common_slot":  # exclusions emptied every common slot
                m = Meeting.objects.get(pk=item["meeting"])
                a, b = index[m.requester_id], index[m.counterpart_id]
                common = {t for s in attends[a] & attends[b] for t in range(3 * s, 3 * s + 3)}
                assert common and common <= excluded[a] | excluded[b]
        busy, tables_used = set(), set()
        for m in placed:
            assert 1 <= m.table <= tables
            assert (m.starts_at, m.table) not in tables_used
            tables_used.add((m.starts_at, m.table))
            for side in m.sides():
                assert (side, m.starts_at) not in busy
                busy.add((side, m.starts_at))
                assert any(s.starts_at <= m.starts_at < s.ends_at for s in attended[side])
                assert m.starts_at not in {starts[t] for t in excluded[index[side]]}
        before = {m.pk: (m.starts_at, m.table) for m in placed}
        again = event_schedule(event=event, by_user=actors.officer, time_limit=5)
        assert again["scheduled"] == report["scheduled"]
        after = dict(Meeting.objects.filter(pk__in=before).values_list("pk", "starts_at"))
        assert all(after[pk] == starts_at for pk, (starts_at, _table) in before.items())
        transaction.set_rollback(True)
