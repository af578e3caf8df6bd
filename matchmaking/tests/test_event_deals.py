"""A held meeting whose next step is samples, a quote or a contract opens a deal, or the step
is noted for later (see ``matchmaking.services.event_deals`` for the rule)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import (
    ConnectionEvent,
    Deal,
    Match,
    MatchTransition,
    Meeting,
    MeetingOutcome,
    Notification,
)
from matchmaking.services import review
from matchmaking.tests.factories import open_event, register, supply_and_demand_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(actors, reference):
    """A meeting between the supplier and the buyer, scheduled from their proposed match,
    whose slot ended an hour ago."""
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference, score=0.8)
    register(event, actors.supplier_org, [match.supply], sessions=[0, 1])
    register(event, actors.buyer_org, [match.demand], sessions=[0, 1])
    end = timezone.now() - datetime.timedelta(hours=1)
    meeting = Meeting.objects.create(
        event=event,
        requester=actors.supplier_org,
        counterpart=actors.buyer_org,
        match=match,
        score=0.8,
        status=Meeting.Status.SCHEDULED,
        expires_at=end - datetime.timedelta(days=1),
        starts_at=end - datetime.timedelta(minutes=20),
        ends_at=end,
        table=2,
    )
    ConnectionEvent.objects.filter(pk=event.pk).update(status="scheduled")
    return meeting


def report(api, user, meeting, **payload):
    body = {"held": True, "interest": "high", "next_step": "samples", **payload}
    return api.as_user(user).post(
        f"/api/v1/meetings/{meeting.pk}/outcome/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_next_step_opens_a_deal_and_connects_the_match_the_two_met_over(api, actors, held):
    response = report(api, actors.supplier, held, open_deal=True)
    assert response.status_code == 200, response.content
    body = response.json()
    deal = Deal.objects.get(pk=body["deal"])
    assert (deal.match_id, deal.event_id, deal.meeting_id) == (
        held.match_id,
        held.event_id,
        held.pk,
    )
    assert deal.stage == "connected"
    match = Match.objects.get(pk=held.match_id)
    assert match.status == "connected" and match.connected_at is not None
    transition = MatchTransition.objects.filter(match=match).latest("pk")
    assert (transition.from_status, transition.to_status) == ("proposed", "connected")
    assert transition.side == "supply" and held.event.name in transition.note
    assert deal.events.get().note.startswith(held.event.name)
    for org in (actors.supplier_org, actors.buyer_org):
        assert Notification.objects.filter(organization=org, kind="connected", match=match)
    # both sides see it in their deals; the other side reporting the same finds the same deal
    for user in (actors.supplier, actors.buyer):
        listed = api.as_user(user).get("/api/v1/deals/").json()["results"]
        assert [(d["id"], d["event"], d["meeting"]) for d in listed] == [
            (deal.pk, held.event_id, held.pk)
        ]
    assert api.as_user(actors.outsider).get("/api/v1/deals/").json()["count"] == 0
    again = report(api, actors.buyer, held, next_step="quote", open_deal=True)
    assert again.status_code == 200 and again.json()["deal"] == deal.pk
    assert Deal.objects.count() == 1


def test_note_it_for_later_records_the_step_without_a_deal_and_opens_it_later(api, actors, held):
    response = report(api, actors.buyer, held, next_step="contract")
    assert response.status_code == 200
    assert response.json()["deal"] is None and response.json()["next_step"] == "contract"
    assert not Deal.objects.exists()
    assert Match.objects.get(pk=held.match_id).status == "proposed"
    assert MeetingOutcome.objects.get(organization=actors.buyer_org).next_step == "contract"
    later = report(api, actors.buyer, held, next_step="contract", open_deal=True)
    assert later.status_code == 200
    deal = Deal.objects.get()
    assert later.json()["deal"] == deal.pk
    assert deal.events.get().side == "demand"


def test_an_existing_deal_of_the_pair_is_reused_and_learns_the_event(api, actors, held):
    match = held.match
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    deal = Deal.objects.get(match=match)
    assert deal.event_id is None
    response = report(api, actors.supplier, held, open_deal=True)
    assert response.json()["deal"] == deal.pk
    deal.refresh_from_db()
    assert (deal.event_id, deal.meeting_id) == (held.event_id, held.pk)
    assert deal.events.count() == 1  # no second "opened" entry


def test_without_a_live_match_between_them_no_deal_opens_and_nothing_is_saved(api, actors, held):
    review.match_decline(match=held.match, by_user=actors.buyer, reason="price")
    response = report(api, actors.supplier, held, open_deal=True)
    assert response.status_code == 409
    assert "No match links the listings" in response.json()["detail"]
    assert not Deal.objects.exists() and not MeetingOutcome.objects.exists()
    noted = report(api, actors.supplier, held)
    assert noted.status_code == 200 and noted.json()["deal"] is None


@pytest.mark.parametrize("payload", [{"next_step": "none"}, {"held": False}])
def test_a_deal_needs_a_held_meeting_and_a_next_step(api, actors, held, payload):
    response = report(api, actors.supplier, held, open_deal=True, **payload)
    assert response.status_code == 400
    assert response.json()["open_deal"]
    assert not Deal.objects.exists() and not MeetingOutcome.objects.exists()


def test_outsiders_cannot_open_a_deal_from_a_meeting(api, actors, held):
    assert report(api, actors.outsider, held, open_deal=True).status_code == 404
    api.force_authenticate(user=None)
    url = f"/api/v1/meetings/{held.pk}/outcome/"
    assert api.post(url, {"held": True, "open_deal": True}, format="json").status_code == 401
    assert not Deal.objects.exists()


def test_the_outcome_page_opens_the_deal_and_the_deal_page_names_the_event(client, actors, held):
    client.force_login(actors.buyer)
    url = reverse("events:outcome", args=[held.pk])
    page = client.get(url)
    assert 'name="open_deal"' in page.content.decode()
    response = client.post(
        url, {"held": "1", "interest": "high", "next_step": "quote", "open_deal": "1"}
    )
    deal = Deal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matchmaking:deal", args=[deal.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="deal-event"' in detail and held.event.name in detail
    later = client.post(url, {"held": "1", "interest": "low", "next_step": "samples"})
    assert later.status_code == 302 and "/agenda/" in later["Location"]
