"""The connection-event pages: public page and catalogue, registration, meetings, agenda."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.tests.factories import (
    open_event,
    register,
    scheduled_meeting,
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db


def client_for(user=None, lang="vi") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def conference(actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference, score=0.77)
    register(event, actors.supplier_org, [match.supply], sessions=[0, 1])
    register(event, actors.buyer_org, [match.demand], sessions=[0])
    return event, match


def test_the_public_page_in_both_languages(actors, conference):
    event, _match = conference
    actors.supplier_org.phone = "0905123456"
    actors.supplier_org.save()
    vi = client_for().get(f"/events/{event.pk}/").content.decode()
    assert "Hội nghị kết nối cung cầu TP.HCM – Tây Nguyên" in vi
    assert "Tỉnh, thành tham gia" in vi and "Đắk Lắk" in vi
    assert "HTX Cà phê Ea Tu" in vi and "0905123456" not in vi
    en = client_for(lang="en").get(f"/events/{event.pk}/").content.decode()
    assert "HCMC – Central Highlands supply–demand conference" in en
    assert "Participating provinces" in en and "Dak Lak" in en
    assert "<strong>1</strong> suppliers · <strong>1</strong> buyers" in en
    only_buyers = client_for(lang="en").get(f"/events/{event.pk}/?side=demand").content.decode()
    assert "Công ty Phân phối Sài Gòn" in only_buyers and "HTX Cà phê Ea Tu" not in only_buyers


def test_drafts_are_404_on_the_pages(reference):
    draft = open_event(reference, status=ConnectionEvent.Status.DRAFT)
    assert client_for().get(f"/events/{draft.pk}/").status_code == 404
    assert f'href="/events/{draft.pk}/"' not in client_for().get("/events/").content.decode()


def test_registering_through_the_page_and_its_errors(actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    client = client_for(actors.supplier, lang="en")
    data = {"organization": actors.supplier_org.pk, "listings": [match.supply.pk]}
    missing = client.post(f"/events/{event.pk}/register/", data)
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    response = client.post(f"/events/{event.pk}/register/", {**data, "sessions": [1]})
    assert response.status_code == 302
    assert Registration.objects.get(event=event).organization == actors.supplier_org
    again = client.post(f"/events/{event.pk}/register/", {**data, "sessions": [1]})
    assert "already registered" in again.content.decode()


def test_suggestions_requests_and_answers_on_the_meetings_page(actors, conference):
    event, _match = conference
    supplier = client_for(actors.supplier, lang="en")
    page = supplier.get(f"/events/{event.pk}/meetings/?org={actors.supplier_org.pk}")
    body = page.content.decode()
    assert "Công ty Phân phối Sài Gòn" in body and "77%" in body
    supplier.post(
        f"/events/{event.pk}/meetings/request/",
        {"org": actors.supplier_org.pk, "counterpart": actors.buyer_org.pk, "note": "Gặp nhé"},
    )
    meeting = Meeting.objects.get()
    assert meeting.status == "requested" and meeting.note == "Gặp nhé"
    buyer = client_for(actors.buyer, lang="en")
    inbox = buyer.get(f"/events/{event.pk}/meetings/?org={actors.buyer_org.pk}").content.decode()
    assert "Requests to answer" in inbox and "HTX Cà phê Ea Tu" in inbox
    buyer.post(f"/events/meetings/{meeting.pk}/accept/")
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    refused = supplier.post(f"/events/meetings/{meeting.pk}/accept/")
    assert refused.status_code == 403
    assert client_for(actors.outsider).get(f"/events/{event.pk}/meetings/").status_code == 404


def test_the_agenda_page_and_calendar_file(actors, conference):
    event, _match = conference
    meeting = scheduled_meeting(event, actors)
    page = client_for(actors.buyer, lang="en").get(
        f"/events/{event.pk}/agenda/{actors.buyer_org.pk}/"
    )
    body = page.content.decode()
    local = timezone.localtime(meeting.starts_at)
    assert f"Table {meeting.table}" in body and local.strftime("%H:%M") in body
    assert "HTX Cà phê Ea Tu" in body and "@media print" not in body
    vi = client_for(actors.buyer).get(f"/events/{event.pk}/agenda/{actors.buyer_org.pk}/")
    assert f"Bàn {meeting.table}" in vi.content.decode()
    ics = client_for(actors.buyer).get(
        f"/events/{event.pk}/agenda/{actors.buyer_org.pk}/agenda.ics"
    )
    (item,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert item.decoded("dtstart") == meeting.starts_at
    outsider = client_for(actors.outsider).get(f"/events/{event.pk}/agenda/{actors.buyer_org.pk}/")
    assert outsider.status_code == 403


def test_the_outcome_form_after_the_slot(actors, conference):
    event, _match = conference
    meeting = scheduled_meeting(event, actors)
    client = client_for(actors.buyer, lang="en")
    early = client.post(f"/events/meetings/{meeting.pk}/outcome/", {"held": "1"})
    assert "slot is over" in early.content.decode()
    past = timezone.now() - datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(minutes=20)
    )
    done = client.post(
        f"/events/meetings/{meeting.pk}/outcome/",
        {"held": "1", "interest": "high", "next_step": "contract"},
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.outcomes.get().next_step == "contract"
