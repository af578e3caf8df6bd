"""Participants exclude slots (busy times within the sessions they attend); the scheduler
never places a meeting of theirs there, and says so when that leaves no slot at all."""

import datetime

import pytest
from django.urls import reverse

from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.tests.factories import open_event, register, supply_and_demand_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(actors, reference):
    """Two one-hour sessions of three 20-minute slots; the supplier attends both, the buyer the
    second; both brought the listings of one match."""
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference, score=0.8)
    register(event, actors.supplier_org, [match.supply], sessions=[0, 1])
    return event, match


def iso(moment) -> str:
    return moment.isoformat()


def slots(event):
    return [start for _session, start, _end in event.slot_times()]


def register_buyer(api, actors, event, match, excluded):
    return api.as_user(actors.buyer).post(
        f"/api/v1/events/{event.pk}/registrations/",
        {
            "organization": actors.buyer_org.pk,
            "listings": [match.demand_id],
            "sessions": [1],
            "excluded_slots": [iso(t) for t in excluded],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def accepted_meeting(actors, event, match):
    return Meeting.objects.create(
        event=event,
        requester=actors.supplier_org,
        counterpart=actors.buyer_org,
        match=match,
        score=match.score,
        status=Meeting.Status.ACCEPTED,
        expires_at=event.sessions.first().starts_at,
    )


def test_exclusions_at_registration_are_stored_and_shown(api, actors, conference):
    event, match = conference
    times = slots(event)
    response = register_buyer(api, actors, event, match, [times[3], times[4]])
    assert response.status_code == 201, response.content
    body = response.json()
    assert [datetime.datetime.fromisoformat(s) for s in body["excluded_slots"]] == times[3:5]
    registration = Registration.objects.get(event=event, organization=actors.buyer_org)
    assert registration.excluded_times() == [times[3], times[4]]
    catalogue = api.get(f"/api/v1/events/{event.pk}/registrations/").json()["results"]
    buyer = next(r for r in catalogue if r["organization"]["id"] == actors.buyer_org.pk)
    assert len(buyer["excluded_slots"]) == 2


@pytest.mark.parametrize(
    "pick, message",
    [
        (lambda t: [t[0]], "sessions you attend"),  # session 0: the buyer is not there
        (lambda t: [t[3].replace(minute=5)], "sessions you attend"),  # not a slot start
        (lambda t: [t[3], t[4], t[5]], "at least one slot free"),
        (lambda t: [t[3], t[3]], "more than once"),
    ],
)
def test_bad_exclusions_are_400_by_field_and_nothing_is_saved(
    api, actors, conference, pick, message
):
    event, match = conference
    response = register_buyer(api, actors, event, match, pick(slots(event)))
    assert response.status_code == 400, response.content
    assert any(message in m for m in response.json()["excluded_slots"]), response.json()
    assert not Registration.objects.filter(event=event, organization=actors.buyer_org).exists()


def test_exclusions_change_until_the_schedule_is_made(api, actors, conference):
    event, match = conference
    times = slots(event)
    assert register_buyer(api, actors, event, match, []).status_code == 201
    url = f"/api/v1/events/{event.pk}/registrations/{actors.buyer_org.pk}/"
    payload = {"excluded_slots": [iso(times[5])]}
    assert api.as_user(actors.outsider).patch(url, payload, format="json").status_code == 403
    assert api.as_user(actors.supplier).patch(url, payload, format="json").status_code == 403
    api.force_authenticate(user=None)
    assert api.patch(url, payload, format="json").status_code == 401
    assert Registration.objects.get(organization=actors.buyer_org).excluded_slots == []
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    done = api.as_user(actors.buyer).patch(url, payload, format="json")
    assert done.status_code == 200 and len(done.json()["excluded_slots"]) == 1
    by_officer = api.as_user(actors.officer).patch(url, {"excluded_slots": []}, format="json")
    assert by_officer.status_code == 200 and by_officer.json()["excluded_slots"] == []
    missing = f"/api/v1/events/{event.pk}/registrations/{actors.outsider_org.pk}/"
    assert api.as_user(actors.officer).patch(missing, payload, format="json").status_code == 404
    ConnectionEvent.objects.filter(pk=event.pk).update(status="scheduled")
    late = api.as_user(actors.buyer).patch(url, payload, format="json")
    assert late.status_code == 409 and late.json()["detail"]


def test_the_scheduler_keeps_out_of_excluded_slots(api, actors, conference):
    event, match = conference
    times = slots(event)
    register_buyer(api, actors, event, match, [times[3], times[4]])
    meeting = accepted_meeting(actors, event, match)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    result = api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/").json()
    assert result["scheduled"] == 1
    meeting.refresh_from_db()
    assert meeting.starts_at == times[5]


def test_exclusions_that_leave_no_common_slot_are_the_reason(api, actors, conference):
    event, match = conference
    times = slots(event)
    register_buyer(api, actors, event, match, [times[3], times[4]])
    supplier = Registration.objects.get(event=event, organization=actors.supplier_org)
    meeting = accepted_meeting(actors, event, match)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    url = f"/api/v1/events/{event.pk}/registrations/{actors.supplier_org.pk}/"
    response = api.as_user(actors.supplier).patch(
        url, {"excluded_slots": [iso(times[5])]}, format="json"
    )
    assert response.status_code == 200
    supplier.refresh_from_db()
    assert supplier.excluded_times() == [times[5]]
    result = api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/").json()
    assert result["scheduled"] == 0
    assert result["unscheduled"] == [{"meeting": meeting.pk, "reason": "no_common_slot"}]


def test_the_availability_page_saves_the_ticked_slots(client, actors, conference):
    event, _match = conference
    times = slots(event)
    client.force_login(actors.supplier)
    url = reverse("events:availability", args=[event.pk]) + f"?org={actors.supplier_org.pk}"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert 'data-testid="availability-form"' in page.content.decode()
    assert times[1].isoformat() in page.content.decode()
    response = client.post(
        url, {"org": actors.supplier_org.pk, "excluded_slots": [times[1].isoformat()]}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, organization=actors.supplier_org)
    assert registration.excluded_times() == [times[1]]
    all_of_them = client.post(
        url, {"org": actors.supplier_org.pk, "excluded_slots": [t.isoformat() for t in times]}
    )
    assert all_of_them.status_code == 200  # the form again, with the service's message
    registration.refresh_from_db()
    assert registration.excluded_times() == [times[1]]
    client.force_login(actors.outsider)
    assert client.get(url).status_code == 404


def test_the_registration_page_takes_the_busy_slots(client, actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    times = slots(event)
    client.force_login(actors.buyer)
    url = reverse("events:register", args=[event.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="excluded_slots"' in form and times[4].isoformat() in form
    data = {"organization": actors.buyer_org.pk, "listings": [match.demand_id], "sessions": [1]}
    wrong = client.post(
        url, {**data, "excluded_slots": [times[0].isoformat()]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert wrong.status_code == 200 and "sessions you attend" in wrong.content.decode()
    assert not Registration.objects.filter(organization=actors.buyer_org).exists()
    done = client.post(url, {**data, "excluded_slots": [times[4].isoformat()]})
    assert done.status_code == 302
    registration = Registration.objects.get(organization=actors.buyer_org)
    assert registration.excluded_times() == [times[4]]
