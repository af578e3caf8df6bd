"""The officers' admin of connection events: set-up with sessions, the status actions, the
scheduler action, outcomes counted per event, check-in."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from accounts.models import OFFICERS_GROUP
from matchmaking.models import ConnectionEvent, Meeting, MeetingOutcome, Registration
from matchmaking.tests.factories import (
    accepted_meeting,
    open_event,
    register,
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db
URL = "/admin/matchmaking/connectionevent/"


@pytest.fixture
def officer(actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    perms = Permission.objects.filter(content_type__app_label="matchmaking").filter(
        codename__regex=r"^(view|change)_|^add_connectionevent$|^(add|delete)_eventsession$"
    )
    group.permissions.add(*perms)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(actors.officer, backend="django.contrib.auth.backends.ModelBackend")
    return client


def add_form(reference, sessions):
    day = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "name": "Hội nghị kết nối Cần Thơ 2027",
        "name_en": "Can Tho connection conference 2027",
        "slug": "can-tho-2027",
        "held_on": day.isoformat(),
        "place": reference.hcmc.pk,
        "venue": "",
        "provinces": [reference.hcmc.pk],
        "slot_minutes": 20,
        "tables": 5,
        "meeting_cap": 12,
        "request_days": 3,
        "themes": "[]",
        "sessions-TOTAL_FORMS": len(sessions),
        "sessions-INITIAL_FORMS": 0,
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
        "figures-TOTAL_FORMS": 0,
        "figures-INITIAL_FORMS": 0,
    }
    for i, (start, end) in enumerate(sessions):
        data[f"sessions-{i}-starts_at_0"] = day.isoformat()
        data[f"sessions-{i}-starts_at_1"] = start
        data[f"sessions-{i}-ends_at_0"] = day.isoformat()
        data[f"sessions-{i}-ends_at_1"] = end
    return data


def test_an_officer_adds_an_event_with_sessions(officer, actors, reference):
    response = officer.post(URL + "add/", add_form(reference, [("08:00", "11:00")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = ConnectionEvent.objects.get(slug="can-tho-2027")
    assert event.status == "draft" and event.sessions.count() == 1
    assert event.created_by == actors.officer
    assert len(event.slot_times()) == 9


def test_overlapping_sessions_are_a_form_error(officer, reference):
    sessions = [("08:00", "11:00"), ("10:00", "12:00")]
    response = officer.post(URL + "add/", add_form(reference, sessions))
    assert response.status_code == 200
    assert "Sessions must not overlap." in response.content.decode()
    assert not ConnectionEvent.objects.exists()


def test_status_actions_go_through_the_service(officer, reference):
    event = open_event(reference, status=ConnectionEvent.Status.DRAFT)
    officer.post(URL, {"action": "open_registration", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == "open"
    response = officer.post(
        URL, {"action": "mark_finished", "_selected_action": [event.pk]}, follow=True
    )
    event.refresh_from_db()
    assert event.status == "open"
    assert "cannot move" in response.content.decode()


def test_the_schedule_action_and_the_figures_per_event(officer, actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    register(event, actors.supplier_org, [match.supply], sessions=[0, 1])
    register(event, actors.buyer_org, [match.demand], sessions=[0])
    meeting = accepted_meeting(event, actors)
    officer.post(URL, {"action": "close_registration", "_selected_action": [event.pk]})
    response = officer.post(
        URL, {"action": "make_schedule", "_selected_action": [event.pk]}, follow=True
    )
    assert "1 meetings scheduled, 0 left out" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.table is not None
    MeetingOutcome.objects.create(
        meeting=meeting, organization=actors.buyer_org, held=True, next_step="quote"
    )
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    page = officer.get(f"{URL}{event.pk}/change/").content.decode()
    assert "<tr><td>Held</td><td>1</td></tr>" in page
    assert "<tr><td>Next step: Send a quote</td><td>1</td></tr>" in page
    assert "1 meetings scheduled of at most 1 possible" in page
    listing = officer.get(URL).content.decode()
    assert '<td class="field-held_meetings">1</td>' in listing
    plan = officer.get(f"{URL}{event.pk}/table-plan/").content.decode()
    row = (
        f"<tr><td>{meeting.table}</td><td>{actors.supplier_org.name}</td>"
        f"<td>{actors.buyer_org.name}</td><td>Held</td></tr>"
    )
    assert row in plan
    assert plan.count('<tr class="slot">') == len(event.slot_times()) == 6


def test_check_in_on_the_day(officer, actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    registration = register(event, actors.supplier_org, [match.supply])
    officer.post(
        "/admin/matchmaking/registration/",
        {"action": "check_in", "_selected_action": [registration.pk]},
    )
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
