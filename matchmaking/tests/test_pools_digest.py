"""Pool notices in the email digest: listed in a section of their own with a link to the pools
page; a step asking for an answer only while the pool waits for one; the pool's end stays in
the app, as a match's decline does."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from matchmaking.models import Notification, Pool
from matchmaking.services import notifications, pool_review
from matchmaking.tests.factories_pools import pool_demand, pool_supply

pytestmark = pytest.mark.django_db(transaction=True)


def _digests(address: str) -> list[str]:
    notifications.send_pending_emails()
    return [m.body for m in mail.outbox if address in m.to]


def test_a_new_pool_reaches_the_buyer_and_each_member_by_email(actors, reference, coops, settings):
    settings.SITE_URL = "https://ketnoi.example.vn"
    for c in coops[:3]:
        pool_supply(c, reference)
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)  # what the saves emailed, sent again here
    pool = Pool.objects.get(demand=pool_demand(actors, reference))
    for person in (actors.buyer, *(c.user for c in coops[:3])):
        (body,) = [b for b in _digests(person.email) if "Pooled supply" in b]
        assert "Nguồn cung gộp (1):" in body and "Pooled supply (1):" in body
        assert "several suppliers together cover 100 % of it" in body
        assert "Thu mua cà phê Robusta xuất khẩu" in body
        assert "https://ketnoi.example.vn/matches/pools/\n" in body
    assert pool.status == Pool.Status.PROPOSED


def test_answers_are_emailed_while_the_pool_waits_and_its_end_stays_in_the_app(
    actors, reference, coops
):
    for c in coops[:3]:
        pool_supply(c, reference)
    pool = Pool.objects.get(demand=pool_demand(actors, reference))
    notifications.send_pending_emails()
    mail.outbox.clear()

    pool_review.pool_accept(pool=pool, by_user=actors.buyer)  # its digest leaves on commit
    member_mail = [m.body for m in mail.outbox if coops[0].user.email in m.to]
    assert any("accepted the pool for “Thu mua cà phê Robusta xuất khẩu”" in b for b in member_mail)

    # A step that asks for an answer is not announced once the pool no longer waits for one.
    Notification.objects.filter(kind=Notification.Kind.POOL).update(emailed_at=None)
    mail.outbox.clear()
    Pool.objects.filter(pk=pool.pk).update(respond_by=timezone.now() - datetime.timedelta(hours=1))
    assert pool_review.expire_pools() == 1  # the digest sent on commit lists nothing
    assert notifications.send_pending_emails() == 0
    assert mail.outbox == []
    # Both sides were told in the app.
    expired = Notification.objects.filter(kind=Notification.Kind.POOL, params__what="expired")
    assert {actors.buyer_org.pk, coops[0].org.pk} <= set(
        expired.values_list("organization_id", flat=True)
    )
    assert "expired: not everyone answered by the deadline" in notifications.render(
        expired.first(), "en"
    )
    assert "hết hạn" in notifications.render(expired.first(), "vi")
