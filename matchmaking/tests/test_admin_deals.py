"""The officers' admin of deals: stage and programme filters, history and deliveries shown."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.models import OFFICERS_GROUP
from catalog.models import Source
from matchmaking.models import CooperationProgramme, Deal
from matchmaking.services import deals, review
from matchmaking.tests.factories import (
    demand_listing,
    supply_and_demand_match,
)
from matchmaking.tests.test_admin_matches import admin_registered  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="matchmaking",
            codename__in=["view_deal", "view_dealevent", "view_delivery"],
        )
    )
    return actors.officer


def connected(actors, reference, **demand):
    match = supply_and_demand_match(
        actors, reference, demand=demand_listing(actors, reference, **demand)
    )
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    return Deal.objects.get(match=match)


def ids(client, **params) -> set[int]:
    response = client.get(reverse("admin:matchmaking_deal_changelist"), params)
    assert response.status_code == 200
    return {int(i) for i in re.findall(r"/admin/matchmaking/deal/(\d+)/change/", response.content.decode())}  # fmt: skip


def test_filters_and_history(actors, reference, officer):
    near = connected(actors, reference)
    far = connected(actors, reference, province=reference.lamdong, title="Cần cà phê Đà Lạt")
    deals.deal_advance(deal=far, by_user=actors.buyer, stage="lost", lost_reason="price")
    source = Source.objects.create(key="t", outlet="Báo", title="HCMC–Central Highlands")
    programme = CooperationProgramme.objects.create(
        slug="hcm-tn", name="HCM – Tây Nguyên", name_en="HCMC – Highlands", source=source
    )
    programme.provinces.add(reference.daklak, reference.hcmc)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert ids(client) == {near.pk, far.pk}
    assert ids(client, stage="lost") == {far.pk}
    assert ids(client, programme="hcm-tn") == {near.pk}
    page = client.get(reverse("admin:matchmaking_deal_change", args=[far.pk])).content.decode()
    assert "Lost" in page and "Price or discounts" in page
    assert page.count("field-to_stage") >= 2  # the history inline: connected, then lost
    assert client.get(reverse("admin:matchmaking_deal_add")).status_code == 403
    outsider = Client()
    outsider.force_login(actors.supplier, backend="django.contrib.auth.backends.ModelBackend")
    assert outsider.get(reverse("admin:matchmaking_deal_changelist")).status_code == 302
