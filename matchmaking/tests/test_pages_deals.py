"""The deal pages: the Deals tab, a deal's life through the forms in vi number formats."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Unit
from matchmaking.models import Deal

pytestmark = pytest.mark.django_db


def client_for(user, language="vi") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_tab_and_list(deal, actors):
    inbox = client_for(actors.buyer).get(reverse("matchmaking:inbox")).content.decode()
    assert reverse("matchmaking:deals") in inbox
    page = client_for(actors.buyer, "en").get(reverse("matchmaking:deals")).content.decode()
    assert reverse("matchmaking:deal", args=[deal.pk]) in page and "Connected" in page
    page = client_for(actors.outsider).get(reverse("matchmaking:deals")).content.decode()
    assert reverse("matchmaking:deal", args=[deal.pk]) not in page
    assert client_for(actors.outsider).get(reverse("matchmaking:deal", args=[deal.pk])).status_code == 404  # fmt: skip


def test_contract_and_delivery_forms_read_vietnamese_numbers(deal, actors):
    url = reverse("matchmaking:deal", args=[deal.pk])
    client = client_for(actors.supplier)
    signed = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    tonne = Unit.objects.get(code="tonne")
    r = client.post(
        url,
        {
            "form": "advance",
            "advance-stage": "contract_signed",
            "advance-contract_quantity": "2,5",
            "advance-contract_unit": tonne.pk,
            "advance-contract_value_vnd": "237.500.000",
            "advance-signed_on": signed,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.CONTRACT_SIGNED
    assert (str(deal.contract_quantity), deal.contract_value_vnd) == ("2.500", 237_500_000)
    page = client.get(url).content.decode()
    assert "2,5" in page and "237.500.000" in page  # shown the Vietnamese way

    kg = Unit.objects.get(code="kg")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    r = client.post(
        url,
        {
            "form": "delivery",
            "delivery-quantity": "-1",
            "delivery-unit": kg.pk,
            "delivery-delivered_on": future,
            "delivery-value_vnd": "1.000",
        },
    )
    assert r.status_code == 400
    assert deal.deliveries.count() == 0
    r = client.post(
        url,
        {
            "form": "delivery",
            "delivery-quantity": "2.500",
            "delivery-unit": kg.pk,
            "delivery-delivered_on": signed,
            "delivery-value_vnd": "237.500.000",
        },
    )
    assert r.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.COMPLETED
    history = client_for(actors.supplier, "en").get(url).content.decode()
    assert history.count("<li>") >= 4 and "Completed" in history


def test_illegal_or_forbidden_moves_show_an_error(deal, actors):
    url = reverse("matchmaking:deal", args=[deal.pk])
    r = client_for(actors.buyer, "en").post(
        url, {"form": "advance", "advance-stage": "lost", "advance-lost_reason": ""}
    )
    assert r.status_code == 400
    assert "Choose a reason" in r.content.decode()
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.CONNECTED
