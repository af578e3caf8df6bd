"""Listings read through the read cache (``core.readcache``): a repeated search, list, detail
or listing page is served as kept while nothing it read changed, shows any change on the very
next read, and is never served to another caller, role or language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OFFICERS_GROUP
from accounts.tests.factories import UserFactory
from core import readcache
from listings import services
from listings.models import Listing
from listings.tests.factories import make_listing

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/listings/?q=ca+phe"


def _state(response) -> str:
    return response.get(readcache.HEADER, "")


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def coffee(actors, reference) -> Listing:
    return make_listing(organization=actors.supplier_org, reference=reference)


def test_a_repeated_search_is_served_as_kept_with_one_statement(coffee, django_assert_num_queries):
    client = APIClient()
    first = client.get(SEARCH)
    assert _state(first) == "miss" and _ids(first) == [coffee.pk]
    with django_assert_num_queries(1):  # the marks; no listing read
        second = client.get(SEARCH)
    assert _state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_change_shows_on_the_very_next_read(coffee, actors, reference):
    client = APIClient()
    detail = f"/api/v1/listings/{coffee.pk}/"
    client.get(detail)
    assert _state(client.get(detail)) == "hit"
    with connection.cursor() as cursor:  # a write the ORM does not see
        cursor.execute("UPDATE listings_listing SET title = 'Tiêu đen' WHERE id = %s", [coffee.pk])
    changed = client.get(detail)
    assert _state(changed) == "miss" and changed.json()["title"] == "Tiêu đen"
    # A new listing through the service: the kept search is computed again and finds it.
    assert _ids(client.get(SEARCH)) == [coffee.pk]
    other = make_listing(
        organization=actors.outsider_org, reference=reference, title="Cà phê Arabica"
    )
    after = client.get(SEARCH)
    assert _state(after) == "miss" and set(_ids(after)) == {coffee.pk, other.pk}


def test_each_caller_gets_its_own_entry(coffee, actors, reference):
    draft = make_listing(
        organization=actors.supplier_org,
        reference=reference,
        title="Cà phê chưa đăng",
        status=Listing.Status.DRAFT,
    )
    anonymous, member = APIClient(), APIClient()
    member.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=actors.supplier)}")
    assert _ids(anonymous.get(SEARCH)) == [coffee.pk]
    assert _state(anonymous.get(SEARCH)) == "hit"
    assert set(_ids(member.get(SEARCH))) == {coffee.pk, draft.pk}  # the member's own draft
    again = anonymous.get(SEARCH)
    assert _state(again) == "hit" and _ids(again) == [coffee.pk]


def test_a_user_made_officer_sees_what_officers_see_at_once(coffee, actors, reference):
    hidden = make_listing(organization=actors.outsider_org, reference=reference)
    services.listing_hide(listing=hidden, by_user=actors.officer, hidden=True)
    user = UserFactory(username="soon-officer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    assert _ids(client.get(SEARCH)) == [coffee.pk]
    assert _state(client.get(SEARCH)) == "hit"
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    promoted = client.get(SEARCH)
    assert _state(promoted) == "miss"
    assert set(_ids(promoted)) == {coffee.pk, hidden.pk}


def test_the_listing_page_is_kept_per_browser_and_language(coffee, actors):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = f"/listings/{coffee.pk}/"
    # No CSRF cookie yet: the page's token would be new, so it is not kept.
    first = browser.get(page)
    assert _state(first) == "skip" and "csrftoken" in first.cookies
    assert _state(browser.get(page)) == "miss"
    kept = browser.get(page)
    assert _state(kept) == "hit" and coffee.title in kept.content.decode()
    vietnamese = browser.get(page, HTTP_ACCEPT_LANGUAGE="vi")
    assert _state(vietnamese) == "miss"
    assert vietnamese.content != kept.content
    # Another browser (another CSRF cookie) never gets this one's page.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.get(page)
    assert _state(other.get(page)) == "miss"
    services.listing_update(listing=coffee, by_user=actors.supplier, title="Cà phê Robusta loại 1")
    changed = browser.get(page)
    assert _state(changed) == "miss" and "Cà phê Robusta loại 1" in changed.content.decode()
