"""Notifications: in-app rows per member, one email digest per organization, opt-out."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory, member_of
from matchmaking import tasks
from matchmaking.models import Notification
from matchmaking.services import notifications, review
from matchmaking.tests.factories import (
    buyer_orgs,
    demand_listing,
    supply_and_demand_match,
    supply_listing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_proposals(actors, reference):
    """One supply of the supplier matched with 10 demands: 5 of the buyer, 5 of 5 others."""
    supply = supply_listing(actors, reference)
    matches = []
    for i in range(5):
        demand = demand_listing(actors, reference, title=f"Cần mua lô {i}")
        matches.append(supply_and_demand_match(actors, reference, supply=supply, demand=demand))
    for org in buyer_orgs(5, reference):
        demand = demand_listing(actors, reference, organization=org, title=f"{org.name} cần mua")
        matches.append(supply_and_demand_match(actors, reference, supply=supply, demand=demand))
    notifications.notify_new_proposals(matches)
    return matches


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_one_digest_per_organization_and_a_second_run_sends_nothing(
    ten_proposals, actors, settings
):
    settings.SITE_URL = "https://ketnoi.example.vn/"
    assert Notification.objects.filter(user=actors.supplier).count() == 10
    assert tasks.send_digests.delay().get() == 7
    assert len(mail.outbox) == 7  # the supplier, the buyer and five other buyers

    (digest,) = emails_to(actors.supplier.email)
    assert digest.to == [actors.supplier.email]
    assert digest.subject == ("[Kết nối cung cầu] 10 cập nhật cho HTX Cà phê Ea Tu / 10 updates")
    assert digest.body.count("Đề xuất mới cho “Cà phê Robusta nhân xô Ea Tu”") == 10
    assert "New proposals (10):" in digest.body and "Đề xuất mới (10):" in digest.body
    assert f"https://ketnoi.example.vn/matches/{ten_proposals[0].pk}/" in digest.body
    assert "https://ketnoi.example.vn/matches/notifications/" in digest.body
    (buyer_digest,) = emails_to(actors.buyer.email)
    assert buyer_digest.body.count("New proposal for") == 5

    mail.outbox.clear()
    assert tasks.send_digests.delay().get() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_email_off_sends_nothing_to_that_user(ten_proposals, actors):
    notifications.set_email_notifications(user=actors.supplier, enabled=False)
    colleague = member_of(actors.buyer_org, UserFactory(email_notifications=False))
    tasks.send_digests.delay()
    assert emails_to(actors.supplier.email) == []
    assert emails_to(colleague.email) == []
    assert len(mail.outbox) == 6
    (buyer_digest,) = emails_to(actors.buyer.email)
    assert buyer_digest.to == [actors.buyer.email]
    # Still in the app for them.
    assert Notification.objects.filter(user=actors.supplier, read_at__isnull=True).count() == 10


def test_members_of_one_organization_share_one_email(actors, reference):
    colleague = member_of(actors.supplier_org)
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])
    notifications.send_pending_emails()
    (digest,) = emails_to(actors.supplier.email)
    assert sorted(digest.to) == sorted([actors.supplier.email, colleague.email])
    assert digest.body.count("New proposal for") == 1  # each member's copy, listed once


def test_answers_are_emailed_but_declines_stay_in_the_app(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.supplier)
    notifications.send_pending_emails()
    (email,) = mail.outbox
    assert email.to == [actors.buyer.email]
    assert "The other side accepted (1):" in email.body
    assert "HTX Cà phê Ea Tu accepted the proposal" in email.body

    mail.outbox.clear()
    review.match_accept(match=match, by_user=actors.buyer)
    assert notifications.send_pending_emails() == 2
    assert all("Connected — contacts are open (1):" in m.body for m in mail.outbox)

    mail.outbox.clear()
    other = supply_and_demand_match(actors, reference, demand=demand_listing(actors, reference))
    review.match_decline(match=other, by_user=actors.buyer, reason="price")
    assert notifications.send_pending_emails() == 0
    assert Notification.objects.filter(kind="declined", user=actors.supplier).exists()


def test_a_proposal_answered_before_the_digest_is_not_announced(actors, reference):
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])
    review.match_decline(match=match, by_user=actors.buyer, reason="timing")
    assert notifications.send_pending_emails() == 0
    assert mail.outbox == []


def test_expiring_reminder_is_emailed(actors, reference):
    import datetime

    match = supply_and_demand_match(actors, reference)
    review.expire_and_remind(now=match.respond_by - datetime.timedelta(days=3))
    notifications.send_pending_emails()
    assert len(mail.outbox) == 2
    assert all("Expiring soon (1):" in m.body for m in mail.outbox)


def test_notify_new_proposals_skips_hidden_and_answered_matches(actors, reference):
    hidden = supply_and_demand_match(actors, reference, hidden=True)
    answered = supply_and_demand_match(
        actors, reference, demand=demand_listing(actors, reference), status="declined"
    )
    assert notifications.notify_new_proposals([hidden, answered]) == 0


def test_unread_count_and_mark_read(actors, reference):
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])
    review.match_accept(match=match, by_user=actors.buyer)
    assert notifications.unread_count(actors.supplier) == 2
    first = Notification.objects.filter(user=actors.supplier).order_by("pk").first()
    others = Notification.objects.filter(user=actors.buyer).values_list("pk", flat=True)
    # Someone else's ids are ignored.
    assert notifications.mark_read(user=actors.supplier, ids=[first.pk, *others]) == 1
    assert notifications.unread_count(actors.supplier) == 1
    assert notifications.unread_count(actors.buyer) == 1
    assert notifications.mark_read(user=actors.supplier) == 1
    assert notifications.unread_count(actors.supplier) == 0


def test_notifications_api(actors, reference):
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])
    review.match_accept(match=match, by_user=actors.buyer)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/api/v1/notifications/").status_code == 401
    client.force_authenticate(actors.supplier)

    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    latest = body["results"][0]
    assert set(latest) == {"id", "kind", "match", "message", "read_at", "created_at"}
    assert latest["kind"] == "other_accepted" and latest["match"] == match.pk
    assert latest["message"].startswith("Công ty Phân phối Sài Gòn accepted the proposal")
    vi = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert "đã chấp nhận" in vi["results"][0]["message"]

    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    response = client.post("/api/v1/notifications/mark-read/", {"ids": [latest["id"]]})
    assert response.json() == {"marked": 1, "unread": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    response = client.post("/api/v1/notifications/mark-read/", {})
    assert response.json() == {"marked": 1, "unread": 0}
    response = client.post("/api/v1/notifications/mark-read/", {"ids": ["x"]})
    assert response.status_code == 400 and "ids" in response.json()

    # Nobody reads another user's notifications.
    client.force_authenticate(actors.outsider)
    assert client.get("/api/v1/notifications/").json()["count"] == 0


def test_an_answer_sends_its_email_once_committed(
    actors, reference, django_capture_on_commit_callbacks
):
    match = supply_and_demand_match(actors, reference)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review.match_accept(match=match, by_user=actors.supplier)
    assert len(callbacks) == 1
    (email,) = mail.outbox  # the eager send_digests ran after the commit
    assert email.to == [actors.buyer.email]


def test_a_name_with_a_carriage_return_still_gets_its_digest_with_a_one_line_subject(
    actors, reference
):
    """An old row holds "\r" (input cleaning came later): the probe's digests all failed."""
    Organization = type(actors.supplier_org)
    Organization.objects.filter(pk=actors.supplier_org.pk).update(name="HTX Ea Tu\r\nBcc: x@y.vn")
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])

    assert notifications.send_pending_emails() == 2
    (digest,) = emails_to(actors.supplier.email)
    assert "\r" not in digest.subject and "\n" not in digest.subject
    assert "HTX Ea Tu Bcc: x@y.vn" in digest.subject
    assert "Bcc" not in digest.message().as_string().split("\n\n")[0].replace(digest.subject, "")


def test_one_organizations_failure_does_not_stop_the_others(actors, reference, caplog):
    """A member's address that cannot be a header fails that digest only; it stays pending."""
    User = type(actors.supplier)
    User.objects.filter(pk=actors.supplier.pk).update(email="a@b.vn\nBcc: x@y.vn")
    match = supply_and_demand_match(actors, reference)
    notifications.notify_new_proposals([match])

    assert notifications.send_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [[actors.buyer.email]]
    pending = Notification.objects.filter(emailed_at__isnull=True, user=actors.supplier)
    assert pending.count() == 1  # rolled back: retried on the next run
    assert "could not send the digest" in caplog.text
