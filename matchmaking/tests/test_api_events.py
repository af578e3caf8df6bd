"""The connection-event API: set-up by officers, registration, the participant catalogue."""

import datetime

import pytest
from django.utils import timezone

from matchmaking.models import ConnectionEvent, Registration
from matchmaking.tests.factories import demand_listing, open_event, register, supply_listing

pytestmark = pytest.mark.django_db


def event_payload(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=30)
    payload = {
        "name": "Hội nghị kết nối cung cầu 2027",
        "name_en": "Supply–demand conference 2027",
        "held_on": day.isoformat(),
        "place": "79",
        "venue": "SECC",
        "provinces": ["79", "66"],
        "sessions": [
            {"starts_at": f"{day}T08:00:00+07:00", "ends_at": f"{day}T11:00:00+07:00"},
            {"starts_at": f"{day}T13:30:00+07:00", "ends_at": f"{day}T16:30:00+07:00"},
        ],
        "tables": 40,
    }
    payload.update(overrides)
    return payload


# --- 1. an event an officer sets up --------------------------------------------------------


def test_an_officer_creates_an_event_with_its_sessions(api, actors):
    response = api.as_user(actors.officer).post("/api/v1/events/", event_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["slot_minutes"] == 20 and body["tables"] == 40
    assert body["provinces"] == ["79", "66"] or set(body["provinces"]) == {"79", "66"}
    assert [s["starts_at"][11:16] for s in body["sessions"]] == ["08:00", "13:30"]
    event = ConnectionEvent.objects.get(pk=body["id"])
    assert len(event.slot_times()) == 18  # two 3-hour sessions of 20-minute slots


@pytest.mark.parametrize("who, code", [("supplier", 403), ("buyer", 403), ("anonymous", 401)])
def test_only_officers_create_events(api, actors, who, code):
    client = api if who == "anonymous" else api.as_user(getattr(actors, who))
    response = client.post("/api/v1/events/", event_payload(), format="json")
    assert response.status_code == code
    assert not ConnectionEvent.objects.exists()


@pytest.mark.parametrize(
    "sessions, message",
    [
        ([("T10:00", "T09:00")], "end after it starts"),
        ([("T08:00", "T11:00"), ("T10:00", "T12:00")], "overlap"),
        ([("T08:00", "T08:10")], "one meeting slot"),
    ],
)
def test_bad_sessions_are_400_by_field(api, actors, sessions, message):
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    payload = event_payload(
        sessions=[
            {"starts_at": f"{day}{s}:00+07:00", "ends_at": f"{day}{e}:00+07:00"}
            for s, e in sessions
        ]
    )
    client = api.as_user(actors.officer)
    response = client.post("/api/v1/events/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert any(message in m for m in response.json()["sessions"])
    assert not ConnectionEvent.objects.exists()


def test_status_moves_one_way_and_illegal_moves_are_409(api, actors):
    client = api.as_user(actors.officer)
    event_id = client.post("/api/v1/events/", event_payload(), format="json").json()["id"]
    url = f"/api/v1/events/{event_id}/"
    assert client.patch(url, {"status": "finished"}, format="json").status_code == 409
    assert client.patch(url, {"status": "open"}, format="json").json()["status"] == "open"
    assert client.patch(url, {"status": "draft"}, format="json").status_code == 409
    assert client.patch(url, {"status": "closed"}, format="json").json()["status"] == "closed"
    assert client.patch(url, {"status": "scheduled"}, format="json").status_code == 409
    assert ConnectionEvent.objects.get(pk=event_id).status == "closed"


def test_drafts_are_seen_by_officers_only(api, actors, reference):
    draft = open_event(reference, status=ConnectionEvent.Status.DRAFT)
    shown = open_event(reference)
    ids = [e["id"] for e in api.get("/api/v1/events/").json()["results"]]
    assert ids == [shown.pk]
    assert api.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    officer_ids = {
        e["id"] for e in api.as_user(actors.officer).get("/api/v1/events/").json()["results"]
    }
    assert officer_ids == {draft.pk, shown.pk}


def test_sessions_are_frozen_once_someone_registered(api, actors, reference):
    event = open_event(reference)
    register(event, actors.supplier_org, [supply_listing(actors, reference)])
    day = event.held_on.isoformat()
    response = api.as_user(actors.officer).patch(
        f"/api/v1/events/{event.pk}/",
        {"sessions": [{"starts_at": f"{day}T07:00:00Z", "ends_at": f"{day}T09:00:00Z"}]},
        format="json",
    )
    assert response.status_code == 400 and "sessions" in response.json()
    assert event.sessions.count() == 2


# --- 2. registration and the participant catalogue -----------------------------------------


def test_a_member_registers_once_while_open(api, actors, reference):
    event = open_event(reference)
    listing = supply_listing(actors, reference)
    client = api.as_user(actors.supplier)
    payload = {"organization": actors.supplier_org.pk, "listings": [listing.pk], "sessions": [1]}
    response = client.post(f"/api/v1/events/{event.pk}/registrations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["side"] == "supply" and response.json()["sessions"] == [1]
    again = client.post(f"/api/v1/events/{event.pk}/registrations/", payload, format="json")
    assert again.status_code == 400 and "organization" in again.json()
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_refuses_late_closed_foreign_and_bad_input(api, actors, reference):
    event = open_event(reference, registration_deadline=timezone.now() - datetime.timedelta(1))
    mine = supply_listing(actors, reference)
    theirs = demand_listing(actors, reference)
    url = f"/api/v1/events/{event.pk}/registrations/"
    client = api.as_user(actors.supplier)
    ok = {"organization": actors.supplier_org.pk, "listings": [mine.pk], "sessions": [0]}
    late = client.post(url, ok, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert late.status_code == 400 and "deadline" in late.json()["non_field_errors"][0]
    event.registration_deadline = None
    event.save()
    foreign = client.post(url, {**ok, "listings": [theirs.pk]}, format="json")
    assert foreign.status_code == 400 and "listings" in foreign.json()
    sessions = client.post(url, {**ok, "sessions": [7]}, format="json")
    assert sessions.status_code == 400 and "sessions" in sessions.json()
    other_org = {**ok, "organization": actors.buyer_org.pk, "listings": [theirs.pk]}
    assert client.post(url, other_org, format="json").status_code == 403
    assert api.as_user(actors.officer).post(url, ok, format="json").status_code == 403
    event.status = ConnectionEvent.Status.CLOSED
    event.save()
    assert api.as_user(actors.supplier).post(url, ok, format="json").status_code == 400
    assert not Registration.objects.exists()


def test_the_catalogue_shows_public_fields_and_filters(api, actors, reference):
    event = open_event(reference)
    register(event, actors.supplier_org, [supply_listing(actors, reference)], sessions=[0, 1])
    register(event, actors.buyer_org, [demand_listing(actors, reference)])
    url = f"/api/v1/events/{event.pk}/registrations/"
    body = api.get(url).json()
    assert body["count"] == 2
    first = body["results"][0]["organization"]
    assert first["name"] == "HTX Cà phê Ea Tu" and "phone" not in first and "email" not in first
    assert [r["organization"]["id"] for r in api.get(url + "?side=demand").json()["results"]] == [
        actors.buyer_org.pk
    ]
    assert api.get(url + "?province=66").json()["count"] == 1
    assert api.get(url + "?category=coffee").json()["count"] == 2
    assert api.get(url + "?category=durian").json()["count"] == 0
    assert api.get(url + "?side=both").status_code == 400
    counts = api.get(f"/api/v1/events/{event.pk}/").json()["registered"]
    assert counts == {"total": 2, "supply": 1, "demand": 1}
