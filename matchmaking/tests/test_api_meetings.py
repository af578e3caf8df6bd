"""Meetings at a connection event: suggested, requested, answered, scheduled, on the agenda."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from accounts.tests.factories import OrganizationFactory, member_of
from matchmaking.models import ConnectionEvent, Meeting, Notification
from matchmaking.services.meetings import meetings_expire
from matchmaking.services.notifications import render
from matchmaking.tests.factories import (
    demand_listing,
    open_event,
    register,
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(actors, reference):
    """An open event where the supplier and the buyer registered with matched listings."""
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference, score=0.81)
    register(event, actors.supplier_org, [match.supply], sessions=[0, 1])
    register(event, actors.buyer_org, [match.demand], sessions=[1])
    return event, match


def request_meeting(api, actors, event, **overrides):
    payload = {"requester": actors.supplier_org.pk, "counterpart": actors.buyer_org.pk}
    payload.update(overrides)
    return api.as_user(actors.supplier).post(
        f"/api/v1/events/{event.pk}/meetings/", payload, format="json"
    )


def test_suggestions_rank_registered_counterparts_by_their_best_match(api, actors, conference):
    event, match = conference
    url = f"/api/v1/events/{event.pk}/suggested-meetings/?organization={actors.supplier_org.pk}"
    body = api.as_user(actors.supplier).get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 1
    first = body["results"][0]
    assert first["organization"]["id"] == actors.buyer_org.pk
    assert first["score"] == pytest.approx(0.81) and first["match"] == match.pk
    assert first["reasons"] and {"factor", "detail"} <= set(first["reasons"][0])
    assert first["meeting"] is None


@pytest.mark.parametrize("who, code", [("outsider", 403), ("buyer", 403), ("anonymous", 401)])
def test_suggestions_are_for_members_and_officers(api, actors, conference, who, code):
    event, _match = conference
    client = api if who == "anonymous" else api.as_user(getattr(actors, who))
    url = f"/api/v1/events/{event.pk}/suggested-meetings/?organization={actors.supplier_org.pk}"
    assert client.get(url).status_code == code
    assert api.as_user(actors.officer).get(url).status_code == 200


def test_a_request_is_accepted_by_the_counterpart_and_both_are_told(api, actors, conference):
    event, match = conference
    response = request_meeting(api, actors, event, note="Xin gặp để bàn giá")
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["status"] == "requested" and meeting["match"] == match.pk
    buyer_notes = Notification.objects.filter(user=actors.buyer, kind="meeting")
    assert buyer_notes.count() == 1
    assert render(buyer_notes[0], "en") == (
        f"{actors.supplier_org.name} asks to meet you at “{event.name_en}”."
    )
    assert (
        render(buyer_notes[0], "vi")
        == f"{actors.supplier_org.name} mời bạn gặp tại “{event.name}”."
    )
    url = f"/api/v1/meetings/{meeting['id']}/accept/"
    assert api.as_user(actors.supplier).post(url).status_code == 403  # not the counterpart
    assert api.as_user(actors.outsider).post(url).status_code == 404  # cannot see it
    accepted = api.as_user(actors.buyer).post(url)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Notification.objects.filter(user=actors.supplier, kind="meeting").count() == 1
    assert api.as_user(actors.buyer).post(url).status_code == 409  # nothing left to answer


def test_requests_to_unregistered_or_own_organizations_are_400(api, actors, conference):
    event, _match = conference
    own = request_meeting(api, actors, event, counterpart=actors.supplier_org.pk)
    assert own.status_code == 400 and "counterpart" in own.json()
    outsider = request_meeting(api, actors, event, counterpart=actors.outsider_org.pk)
    assert outsider.status_code == 400 and "counterpart" in outsider.json()
    foreign = request_meeting(api, actors, event, requester=actors.buyer_org.pk)
    assert foreign.status_code == 403
    assert request_meeting(api, actors, event).status_code == 201
    twice = request_meeting(api, actors, event)
    assert twice.status_code == 400 and "counterpart" in twice.json()
    assert Meeting.objects.count() == 1


def test_decline_and_cancel(api, actors, conference):
    event, _match = conference
    first = request_meeting(api, actors, event).json()["id"]
    declined = api.as_user(actors.buyer).post(f"/api/v1/meetings/{first}/decline/")
    assert declined.json()["status"] == "declined"
    second = request_meeting(api, actors, event).json()["id"]
    api.as_user(actors.buyer).post(f"/api/v1/meetings/{second}/accept/")
    cancelled = api.as_user(actors.supplier).post(f"/api/v1/meetings/{second}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert api.as_user(actors.buyer).post(f"/api/v1/meetings/{second}/cancel/").status_code == 409


def test_the_cap_limits_meetings_per_participant(api, actors, reference, conference):
    event, _match = conference
    event.meeting_cap = 1
    event.save()
    third = OrganizationFactory(name="Siêu thị Xanh", kind="retailer", province=reference.hcmc)
    member_of(third)
    register(event, third, [demand_listing(actors, reference, organization=third)])
    assert request_meeting(api, actors, event).status_code == 201
    capped = request_meeting(api, actors, event, counterpart=third.pk)
    assert capped.status_code == 409 and capped.json()["code"] == "meeting_cap"


def test_unanswered_requests_expire(api, actors, conference):
    event, _match = conference
    meeting_id = request_meeting(api, actors, event).json()["id"]
    meeting = Meeting.objects.get(pk=meeting_id)
    assert meeting.expires_at <= event.sessions.first().starts_at
    late = meeting.expires_at + datetime.timedelta(minutes=1)
    assert meetings_expire(now=late) == 1
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.expired
    answer = api.as_user(actors.buyer).post(f"/api/v1/meetings/{meeting_id}/accept/")
    assert answer.status_code == 409


# --- scheduling and agendas ----------------------------------------------------------------


def accepted_meeting(api, actors, event) -> int:
    meeting_id = request_meeting(api, actors, event).json()["id"]
    api.as_user(actors.buyer).post(f"/api/v1/meetings/{meeting_id}/accept/")
    return meeting_id


def test_the_officer_schedules_in_a_session_both_attend(api, actors, conference):
    event, _match = conference
    meeting_id = accepted_meeting(api, actors, event)
    url = f"/api/v1/events/{event.pk}/schedule/"
    assert api.as_user(actors.officer).post(url).status_code == 409  # registration still open
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    assert api.as_user(actors.supplier).post(url).status_code == 403
    result = api.as_user(actors.officer).post(url).json()
    assert result["scheduled"] == 1 and result["unscheduled"] == []
    meeting = Meeting.objects.get(pk=meeting_id)
    assert meeting.status == "scheduled" and 1 <= meeting.table <= event.tables
    second_session = event.sessions.all()[1]
    assert second_session.starts_at <= meeting.starts_at < second_session.ends_at
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=20)
    again = api.as_user(actors.officer).post(url).json()
    assert again["published_kept"] == 1
    kept = Meeting.objects.get(pk=meeting_id)
    assert (kept.starts_at, kept.table) == (meeting.starts_at, meeting.table)


def test_no_common_session_is_reported(api, actors, reference, conference):
    event, _match = conference
    early = OrganizationFactory(name="Siêu thị Sớm", kind="retailer", province=reference.hcmc)
    member_of(early)
    register(event, early, [demand_listing(actors, reference, organization=early)], sessions=[0])
    buyer_only = accepted_meeting(api, actors, event)
    meeting = request_meeting(api, actors, event, counterpart=early.pk).json()["id"]
    api.as_user(early.members.first()).post(f"/api/v1/meetings/{meeting}/accept/")
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed", tables=1)
    result = api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/").json()
    assert result["scheduled"] == 2, result
    placed = Meeting.objects.filter(pk__in=[buyer_only, meeting]).order_by("starts_at")
    assert placed[0].starts_at != placed[1].starts_at or placed[0].table != placed[1].table


def test_agendas_in_json_and_icalendar_show_the_same_slot(api, actors, conference):
    event, _match = conference
    meeting_id = accepted_meeting(api, actors, event)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/")
    meeting = Meeting.objects.get(pk=meeting_id)
    for user, org, other in (
        (actors.supplier, actors.supplier_org, actors.buyer_org),
        (actors.buyer, actors.buyer_org, actors.supplier_org),
    ):
        url = f"/api/v1/events/{event.pk}/agenda/?organization={org.pk}"
        agenda = api.as_user(user).get(url).json()
        assert [(m["meeting"], m["table"]) for m in agenda["meetings"]] == [
            (meeting_id, meeting.table)
        ]
        assert agenda["meetings"][0]["counterpart"]["id"] == other.pk
        ics = api.as_user(user).get(f"/api/v1/events/{event.pk}/agenda.ics?organization={org.pk}")
        assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(ics.content)
        (item,) = calendar.walk("VEVENT")
        assert item.decoded("dtstart") == meeting.starts_at
        assert f"bàn {meeting.table}" in str(item["location"])
    outsider_url = f"/api/v1/events/{event.pk}/agenda/?organization={actors.supplier_org.pk}"
    assert api.as_user(actors.outsider).get(outsider_url).status_code == 403
    ics_url = f"/api/v1/events/{event.pk}/agenda.ics?organization={actors.supplier_org.pk}"
    assert api.as_user(actors.outsider).get(ics_url).status_code == 403


def test_outcomes_after_the_slot_mark_the_meeting_held(api, actors, conference):
    event, _match = conference
    meeting_id = accepted_meeting(api, actors, event)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/")
    url = f"/api/v1/meetings/{meeting_id}/outcome/"
    payload = {"held": True, "interest": "high", "next_step": "samples", "note": "Gửi mẫu"}
    early = api.as_user(actors.supplier).post(url, payload, format="json")
    assert early.status_code == 409  # the slot is ten days away
    Meeting.objects.filter(pk=meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() - datetime.timedelta(minutes=40),
    )
    done = api.as_user(actors.supplier).post(url, payload, format="json")
    assert done.status_code == 200 and done.json()["meeting_status"] == "held"
    bad = api.as_user(actors.buyer).post(url, {"held": True, "interest": "huge"}, format="json")
    assert bad.status_code == 400 and "interest" in bad.json()
    assert api.as_user(actors.outsider).post(url, payload, format="json").status_code == 404


def test_a_no_show_when_neither_side_held_it(api, actors, conference):
    event, _match = conference
    meeting_id = accepted_meeting(api, actors, event)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/")
    Meeting.objects.filter(pk=meeting_id).update(ends_at=timezone.now())
    url = f"/api/v1/meetings/{meeting_id}/outcome/"
    response = api.as_user(actors.buyer).post(url, {"held": False}, format="json")
    assert response.json()["meeting_status"] == "no_show"


def test_meeting_lists_are_filtered_and_private(api, actors, conference):
    event, _match = conference
    accepted_meeting(api, actors, event)
    assert api.as_user(actors.outsider).get("/api/v1/meetings/").json()["count"] == 0
    mine = api.as_user(actors.supplier).get(f"/api/v1/meetings/?event={event.pk}&status=accepted")
    assert mine.json()["count"] == 1
    assert api.as_user(actors.supplier).get("/api/v1/meetings/?status=x").status_code == 400
    api.force_authenticate(user=None)
    assert api.get("/api/v1/meetings/").status_code == 401


def test_meeting_notifications_go_into_the_email_digest(api, actors, conference, mailoutbox):
    from matchmaking.services.notifications import send_pending_emails

    event, _match = conference
    request_meeting(api, actors, event)
    assert send_pending_emails() == 1
    (email,) = mailoutbox
    assert email.to == [actors.buyer.email]
    assert "Hội nghị kết nối: cuộc gặp" in email.body
    assert f"{actors.supplier_org.name} asks to meet you" in email.body


def test_a_late_request_is_scheduled_around_the_published_meetings(api, actors, reference):
    event = open_event(reference, tables=1)
    match = supply_and_demand_match(actors, reference)
    third = OrganizationFactory(name="Siêu thị Muộn", kind="retailer", province=reference.hcmc)
    member_of(third)
    register(event, actors.supplier_org, [match.supply], sessions=[0])
    register(event, actors.buyer_org, [match.demand], sessions=[0])
    register(event, third, [demand_listing(actors, reference, organization=third)], sessions=[0])
    first = accepted_meeting(api, actors, event)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/")
    published = Meeting.objects.get(pk=first)
    late = request_meeting(api, actors, event, counterpart=third.pk)
    assert late.status_code == 201, late.content
    api.as_user(third.members.first()).post(f"/api/v1/meetings/{late.json()['id']}/accept/")
    result = api.as_user(actors.officer).post(f"/api/v1/events/{event.pk}/schedule/").json()
    assert result["scheduled"] == 2 and result["published_kept"] == 1
    kept = Meeting.objects.get(pk=first)
    assert (kept.starts_at, kept.table) == (published.starts_at, published.table)
    Meeting.objects.filter(event=event).update(status="cancelled", starts_at=None, table=None)
    event.sessions.update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    started = request_meeting(api, actors, event)
    assert started.status_code == 409
