"""Nudges (issue 13): a deal with no change for 30 days reminds both sides, once per quiet
stretch; a signed contract with no delivery by its date is flagged to officers. Real rows,
run as the beat jobs run them."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Unit
from matchmaking.models import Deal, Notification
from matchmaking.services import deals, nudges
from matchmaking.services.notifications import render, send_pending_emails
from matchmaking.tests.test_admin_deals import connected, ids, officer  # noqa: F401 - fixture
from matchmaking.tests.test_admin_matches import admin_registered  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def age(deal, days):
    """The deal last changed ``days`` days ago (as an old row would be)."""
    Deal.objects.filter(pk=deal.pk).update(updated_at=timezone.now() - days * DAY)
    deal.refresh_from_db()


def sign(deal, user, *, deliver_by, signed_days_ago=10):
    return deals.deal_advance(
        deal=deal,
        by_user=user,
        stage=Deal.Stage.CONTRACT_SIGNED,
        contract_quantity="10",
        contract_unit=Unit.objects.get(code="tonne"),
        contract_value_vnd=950_000_000,
        signed_on=timezone.localdate() - signed_days_ago * DAY,
        deliver_by=deliver_by,
    )


def quiet_notes(org):
    return Notification.objects.filter(organization=org, kind="deal_quiet")


def test_a_quiet_deal_reminds_both_sides_once_per_quiet_stretch(actors, reference):
    deal = connected(actors, reference)
    age(deal, 29)
    assert nudges.remind_quiet_deals() == 0
    age(deal, 31)
    now = deal.updated_at + 31 * DAY
    updated = deal.updated_at
    assert nudges.remind_quiet_deals(now=now) == 1
    for org in (actors.supplier_org, actors.buyer_org):
        (note,) = quiet_notes(org)
        assert note.match_id == deal.match_id and note.params["days"] == 31
        text = render(note, "en")
        assert "for 31 days" in text and "connected" in text and deal.match.supply.title in text
        assert "31 ngày" in render(note, "vi")
    deal.refresh_from_db()
    assert deal.updated_at == updated and deal.reminded_at == now  # a reminder is no change
    assert nudges.remind_quiet_deals(now=now + 29 * DAY) == 0
    assert nudges.remind_quiet_deals(now=now + 30 * DAY) == 1
    assert quiet_notes(actors.supplier_org).count() == 2


def test_a_change_restarts_the_count_and_finished_deals_are_left_alone(actors, reference):
    deal = connected(actors, reference)
    age(deal, 40)
    deals.deal_advance(deal=deal, by_user=actors.buyer, stage=Deal.Stage.NEGOTIATING)
    assert nudges.remind_quiet_deals() == 0
    lost = connected(actors, reference, title="Cần mua cà phê Robusta loại 2")
    deals.deal_advance(deal=lost, by_user=actors.buyer, stage="lost", lost_reason="price")
    age(lost, 90)
    assert nudges.remind_quiet_deals() == 0
    assert not Notification.objects.filter(kind="deal_quiet").exists()


def test_the_reminder_goes_into_the_email_digest_in_both_languages(actors, reference, mailoutbox):
    deal = connected(actors, reference)
    send_pending_emails()
    mailoutbox.clear()
    age(deal, 45)
    nudges.remind_quiet_deals()
    assert send_pending_emails() == 2
    bodies = {m.to[0]: m.body for m in mailoutbox}
    body = bodies[actors.supplier.email]
    assert "Deals with no news" in body and "for 45 days" in body
    with translation.override("vi"):
        assert "45 ngày" in body


@pytest.mark.usefixtures("officer")  # the officer may view deals in the admin
def test_an_undelivered_contract_past_its_date_is_flagged_to_officers_once(actors, reference):
    late = connected(actors, reference)
    sign(late, actors.supplier, deliver_by=timezone.localdate() - DAY)
    on_time = connected(actors, reference, title="Cần mua cà phê nhân xô")
    sign(on_time, actors.supplier, deliver_by=timezone.localdate() + 5 * DAY)
    delivering = connected(actors, reference, title="Cần mua cà phê rang")
    sign(delivering, actors.supplier, deliver_by=timezone.localdate() - 2 * DAY)
    deals.deal_deliver(
        deal=delivering,
        by_user=actors.supplier,
        quantity="2",
        unit=Unit.objects.get(code="tonne"),
        delivered_on=timezone.localdate() - 3 * DAY,
        value_vnd=190_000_000,
    )
    assert nudges.flag_overdue_contracts() == 1
    late.refresh_from_db()
    assert late.overdue_flagged_at is not None and late.is_overdue()
    (note,) = Notification.objects.filter(kind="deal_overdue")
    assert note.user == actors.officer and note.match_id == late.match_id
    assert "1 signed contract passed its delivery date" in render(note, "en")
    assert nudges.flag_overdue_contracts() == 0  # idempotent
    assert not Notification.objects.filter(kind="deal_overdue", user=actors.supplier).exists()
    client = Client()
    client.force_login(actors.officer)
    assert ids(client, attention="overdue") == {late.pk}
    page = client.get(reverse("admin:matchmaking_deal_changelist")).content.decode()
    assert "column-overdue" in page and "column-deliver_by" in page


def test_deliver_by_is_set_with_the_contract_and_shown(api, actors, reference):
    deal = connected(actors, reference)
    url = f"/api/v1/deals/{deal.pk}/advance/"
    payload = {
        "stage": "contract_signed",
        "contract_quantity": "10",
        "contract_unit": "tonne",
        "contract_value_vnd": 950000000,
        "signed_on": (timezone.localdate() - 5 * DAY).isoformat(),
        "deliver_by": (timezone.localdate() - 6 * DAY).isoformat(),
    }
    client = api.as_user(actors.buyer)
    bad = client.post(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "before the signing" in bad.json()["deliver_by"][0]
    assert Deal.objects.get(pk=deal.pk).stage == "connected"
    payload["deliver_by"] = (timezone.localdate() - DAY).isoformat()
    done = client.post(url, payload, format="json")
    assert done.status_code == 200, done.content
    body = api.as_user(actors.supplier).get(f"/api/v1/deals/{deal.pk}/").json()
    assert body["deliver_by"] == payload["deliver_by"] and body["overdue"] is True


def test_both_nudges_are_beat_jobs():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "matchmaking.tasks.remind_quiet_deals",
        "matchmaking.tasks.flag_overdue_contracts",
    } <= tasks
