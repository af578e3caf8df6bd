"""Notifications store the event, not a sentence, and are worded in the reader's language."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from matchmaking.models import Match, Notification
from matchmaking.services import expiry, notifications, review
from matchmaking.tests.factories import (
    _fast_password_hasher,  # noqa: F401 - autouse fixture
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db


def test_a_stored_notification_holds_parameters_and_no_sentence(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_decline(match=match, by_user=actors.buyer, reason="price", note="đắt")
    note = Notification.objects.get(user=actors.supplier)
    assert note.params == {
        "org": actors.buyer_org.name,
        "other": match.supply.title,
        "reason": "price",
    }
    assert not hasattr(note, "message") and not hasattr(note, "message_en")


def test_one_row_reads_in_vietnamese_or_english(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_decline(match=match, by_user=actors.buyer, reason="distance")
    note = Notification.objects.get(user=actors.supplier)
    vi, en = notifications.render(note, "vi"), notifications.render(note, "en")
    assert vi == (
        f"{actors.buyer_org.name} đã từ chối đề xuất cho “{match.supply.title}” "
        "(lý do: khoảng cách hoặc vận chuyển)."
    )
    assert en == (
        f"{actors.buyer_org.name} declined the proposal for “{match.supply.title}” "
        "(reason: distance or logistics)."
    )
    # The decline reason is worded by the model's choice labels: one wording of reasons.
    with translation.override("en"):
        assert str(Match.DeclineReason.DISTANCE.label).lower() in en


def test_the_page_and_the_api_word_it_in_the_readers_language(actors, reference):
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.buyer)
    client = Client()
    client.force_login(actors.supplier)
    english = client.get("/matches/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "accepted the proposal" in english and "đã chấp nhận đề xuất" not in english
    vietnamese = client.get("/matches/notifications/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "đã chấp nhận đề xuất" in vietnamese


def test_the_digest_carries_both_languages_from_one_row(actors, reference, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.buyer)
    assert notifications.send_pending_emails() == 1
    body = mail.outbox[0].body
    assert "đã chấp nhận đề xuất" in body and "accepted the proposal" in body
    assert "Bên kia đã chấp nhận" in body and "The other side accepted" in body


def test_the_reminder_date_is_written_as_each_language_writes_it(actors, reference):
    now = timezone.now()
    match = supply_and_demand_match(actors, reference, respond_by=now + datetime.timedelta(days=3))
    expiry.expire_and_remind(now=now)
    note = Notification.objects.filter(kind="expiring").first()
    due = timezone.localtime(match.respond_by).date()
    assert note.params["due"] == due.isoformat()
    assert due.strftime("%d/%m/%Y") in notifications.render(note, "vi")
    assert due.strftime("%d %b %Y") in notifications.render(note, "en")


def test_a_full_run_counts_proposals_and_english_says_one_or_many(actors):
    notifications.announce_proposal_counts({actors.supplier_org.pk: 1, actors.buyer_org.pk: 12})
    one = Notification.objects.get(user=actors.supplier)
    many = Notification.objects.get(user=actors.buyer)
    assert one.params == {"count": 1} and one.match_id is None
    assert notifications.render(one, "en") == "1 new proposed match is waiting for your review."
    assert notifications.render(many, "en").startswith("12 new proposed matches are")
    assert notifications.render(many, "vi").startswith("12 đề xuất kết nối mới")


def test_a_row_with_a_missing_parameter_shows_its_kind_instead_of_failing(actors):
    note = Notification(user=actors.supplier, kind="connected", params={"supply": "x"})
    assert notifications.render(note, "en") == "Connected"


def test_the_data_migration_reads_the_parameters_back_from_each_match(actors, reference):
    migration = importlib.import_module(
        "matchmaking.migrations.0004_listing_match_state_and_notification_params"
    )
    match = supply_and_demand_match(actors, reference)
    supply, demand = match.supply, match.demand
    old = SimpleNamespace(
        kind="new_proposals", match=match, organization_id=actors.buyer_org.pk, message="…"
    )
    assert migration._params(old) == {
        "listing": demand.title,
        "other_org": actors.supplier_org.name,
        "other": supply.title,
    }
    counted = SimpleNamespace(
        kind="new_proposals",
        match=None,
        organization_id=actors.buyer_org.pk,
        message="12 đề xuất kết nối mới đang chờ bạn xem xét.",
    )
    assert migration._params(counted) == {"count": 12}
    closed = SimpleNamespace(
        kind="withdrawn", match=match, organization_id=actors.supplier_org.pk, message="…"
    )
    assert migration._params(closed) == {"supply": supply.title, "demand": demand.title}
