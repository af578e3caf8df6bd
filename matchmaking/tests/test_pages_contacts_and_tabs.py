"""A connected buyer reads the supplier's contacts on the listing page (the match pages' rule,
``matchmaking/selectors.py``), and the inbox's tab counts follow an in-place (htmx) answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from matchmaking.services import review
from matchmaking.tests.factories import (
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/matches/"}


def browser(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def match(actors, reference):
    return supply_and_demand_match(actors, reference)


def tab_count(html: str, key: str) -> int:
    found = re.search(rf'data-testid="tab-{key}"[^>]*>[^<]*<span class="tab-count">(\d+)', html)
    return int(found.group(1))


def test_a_connected_buyer_sees_the_suppliers_contacts_on_the_supply_page(match, actors):
    actors.supplier_org.phone = "0262 3812 999"
    actors.supplier_org.save()
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)

    html = browser(actors.buyer).get(f"/listings/{match.supply_id}/").content.decode()

    assert "0262 3812 999" in html
    assert "Contacts are shared when both sides accept" not in html
    assert "your match with this organization is connected" in html


def test_before_connection_the_buyer_reads_that_contacts_open_on_acceptance(match, actors):
    actors.supplier_org.phone = "0262 3812 999"
    actors.supplier_org.save()
    review.match_accept(match=match, by_user=actors.buyer)

    html = browser(actors.buyer).get(f"/listings/{match.supply_id}/").content.decode()

    assert "0262 3812 999" not in html
    assert "Contacts are shared when both sides accept" in html


def test_an_outsider_never_sees_the_contacts(match, actors):
    actors.supplier_org.phone = "0262 3812 999"
    actors.supplier_org.save()
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)

    html = browser(actors.outsider).get(f"/listings/{match.supply_id}/").content.decode()

    assert "0262 3812 999" not in html


def test_a_connected_buyer_sees_the_contacts_on_the_organization_profile(match, actors):
    actors.supplier_org.phone = "0262 3812 999"
    actors.supplier_org.save()
    profile = f"/listings/organizations/{actors.supplier_org.pk}/"
    assert "0262 3812 999" not in browser(actors.buyer).get(profile).content.decode()
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)

    html = browser(actors.buyer).get(profile).content.decode()

    assert "0262 3812 999" in html


def test_an_htmx_accept_from_the_inbox_updates_the_tab_counts(match, actors):
    client = browser(actors.supplier)
    before = client.get("/matches/").content.decode()
    assert (tab_count(before, "proposed"), tab_count(before, "waiting")) == (1, 0)

    response = client.post(f"/matches/{match.pk}/accept/", **HTMX)

    html = response.content.decode()
    assert 'id="match-tabs"' in html and 'hx-swap-oob="true"' in html
    assert (tab_count(html, "proposed"), tab_count(html, "waiting")) == (0, 1)


def test_an_htmx_decline_from_the_inbox_updates_the_tab_counts(match, actors):
    response = browser(actors.buyer).post(
        f"/matches/{match.pk}/decline/", {"reason": "price"}, **HTMX
    )

    html = response.content.decode()
    assert (tab_count(html, "proposed"), tab_count(html, "declined")) == (0, 1)


def test_an_answer_from_another_page_carries_no_tabs(match, actors):
    headers = {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver/matches/{match.pk}/"}

    response = browser(actors.supplier).post(f"/matches/{match.pk}/accept/", **headers)

    assert 'id="match-tabs"' not in response.content.decode()
