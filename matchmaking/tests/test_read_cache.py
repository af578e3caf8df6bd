"""Matches read through the read cache (``core.readcache``): the inbox and a match's detail,
in the API and on the pages, are served as kept while nothing they read changed; an answer, a
new membership or a message shows on the very next read; one member's inbox is never another's."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.tests.factories import UserFactory
from core import readcache
from matchmaking.services import review

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/matches/"


def _state(response) -> str:
    return response.get(readcache.HEADER, "")


def _token_client(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def _statuses(response) -> dict[int, str]:
    return {row["id"]: row["status"] for row in response.json()["results"]}


def test_the_inbox_is_kept_until_an_answer(match, actors, django_assert_num_queries):
    supplier = _token_client(actors.supplier)
    first = supplier.get(INBOX)
    assert _state(first) == "miss" and _statuses(first) == {match.pk: "proposed"}
    with django_assert_num_queries(2):  # the token, the marks
        kept = supplier.get(INBOX)
    assert _state(kept) == "hit" and kept.content == first.content
    detail = f"{INBOX}{match.pk}/"
    supplier.get(detail)
    assert _state(supplier.get(detail)) == "hit"
    review.match_accept(match=match, by_user=actors.buyer)
    answered = supplier.get(INBOX)
    assert _state(answered) == "miss"
    assert _statuses(answered) == {match.pk: "accepted_by_demand"}
    assert supplier.get(detail).json()["status"] == "accepted_by_demand"


def test_one_members_inbox_is_never_anothers(match, actors):
    supplier, outsider = _token_client(actors.supplier), _token_client(actors.outsider)
    assert _statuses(supplier.get(INBOX)) == {match.pk: "proposed"}
    assert _statuses(outsider.get(INBOX)) == {}
    assert _statuses(supplier.get(INBOX)) == {match.pk: "proposed"}
    assert outsider.get(f"{INBOX}{match.pk}/").status_code == 404


def test_a_new_membership_shows_its_matches_at_once(match, actors):
    newcomer = UserFactory(username="newcomer")
    client = _token_client(newcomer)
    assert _statuses(client.get(INBOX)) == {}
    assert _state(client.get(INBOX)) == "hit"
    Membership.objects.create(user=newcomer, organization=actors.buyer_org)
    joined = client.get(INBOX)
    assert _state(joined) == "miss" and _statuses(joined) == {match.pk: "proposed"}


def test_the_inbox_page_is_kept_and_an_answers_message_is_shown(match, actors):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(actors.buyer, backend="django.contrib.auth.backends.ModelBackend")
    page = f"/matches/{match.pk}/"
    browser.get("/matches/")  # the CSRF cookie
    assert _state(browser.get(page)) == "miss"
    kept = browser.get(page)
    assert _state(kept) == "hit" and 'data-testid="accept-button"' in kept.content.decode()
    assert _state(browser.get("/matches/")) == "miss"
    assert _state(browser.get("/matches/")) == "hit"

    answered = browser.post(f"/matches/{match.pk}/accept/")
    assert answered.status_code == 302 and answered["Location"] == page
    with_message = browser.get(page)
    html = with_message.content.decode()
    assert _state(with_message) == "skip"  # a message was waiting: computed, not kept
    assert "Accepted. We will tell you when the other side answers." in html
    assert 'data-testid="accept-button"' not in html
    after = browser.get(page)
    assert "Accepted. We will tell you" not in after.content.decode()  # shown once
    assert _state(after) == "miss"
    inbox = browser.get("/matches/").content.decode()
    assert f'id="match-{match.pk}"' not in inbox  # no longer waiting for the buyer's answer


def test_htmx_requests_from_different_pages_are_kept_apart(match, actors):
    """A card's forms send the answer back to the page htmx says it came from."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(actors.buyer, backend="django.contrib.auth.backends.ModelBackend")
    browser.get("/matches/")  # the CSRF cookie

    def fragment(current: str) -> str:
        url = f"http://testserver{current}"
        return browser.get("/matches/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=url)

    first = fragment("/matches/?org=1")
    assert _state(first) == "miss"
    assert 'name="next" value="/matches/?org=1"' in first.content.decode()
    assert _state(fragment("/matches/?org=1")) == "hit"
    other = fragment("/matches/?tab=all")
    assert _state(other) == "miss"
    assert 'name="next" value="/matches/?tab=all"' in other.content.decode()
