"""The match pages: inbox tabs, htmx accept/decline, privacy, listing summary, notifications."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from matchmaking.models import Match, Notification
from matchmaking.services import notifications, review
from matchmaking.tests.factories import (
    demand_listing,
    supply_and_demand_match,
    supply_listing,
)

pytestmark = pytest.mark.django_db
S = Match.Status
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/matches/"}


def browser(user=None, language="en") -> Client:
    """A logged-in page client; pages are asserted in English (Vietnamese is the default)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article id="match-(\d+)"', html)]


def test_anonymous_is_sent_to_log_in(match):
    client = browser()
    for path in ("/matches/", f"/matches/{match.pk}/", "/matches/notifications/",
                 f"/matches/listing/{match.supply_id}/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(f"/matches/{match.pk}/accept/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    match.refresh_from_db()
    assert match.status == S.PROPOSED


def test_inbox_shows_the_proposal_without_contacts(match, actors):
    response = browser(actors.supplier).get("/matches/")
    assert response.status_code == 200
    html = response.content.decode()
    assert card_ids(html) == [match.pk]
    assert 'data-testid="accept-button"' in html and 'data-testid="decline-form"' in html
    assert 'data-testid="contacts"' not in html
    assert actors.buyer_org.email not in html and "0262 3812 345" not in html
    assert "Công ty Phân phối Sài Gòn" in html  # the other side's name is shown
    assert "86<small>%</small>" in html  # the score
    assert "Same category: Robusta coffee" in html  # why, in the page's language
    assert 'style="width: 85%"' in html  # the product factor's bar
    vi = browser(actors.supplier, language="vi").get("/matches/").content.decode()
    assert "Cùng loại hàng: Cà phê Robusta" in vi


def test_tabs_follow_the_viewers_side(actors, reference):
    supply = supply_listing(actors, reference)
    proposed = supply_and_demand_match(actors, reference, supply=supply)
    mine_accepted = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="B")
    )
    theirs_accepted = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="C")
    )
    connected = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="D")
    )
    declined = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="E")
    )
    expired = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="F"),
        status=S.EXPIRED,
    )  # fmt: skip
    withdrawn = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference, title="G"),
        status=S.WITHDRAWN,
    )  # fmt: skip
    review.match_accept(match=mine_accepted, by_user=actors.supplier)
    review.match_accept(match=theirs_accepted, by_user=actors.buyer)
    review.match_accept(match=connected, by_user=actors.buyer)
    review.match_accept(match=connected, by_user=actors.supplier)
    review.match_decline(match=declined, by_user=actors.buyer, reason="distance")

    def tab(user, name):
        html = browser(user).get("/matches/", {"tab": name}).content.decode()
        return set(card_ids(html)), html

    supplier, buyer = actors.supplier, actors.buyer
    ids, html = tab(supplier, "proposed")
    assert ids == {proposed.pk, theirs_accepted.pk}
    assert re.search(r'data-testid="tab-proposed"[^>]*>To answer <span class="tab-count">2<', html)
    assert re.search(r'data-testid="tab-closed"[^>]*>[^<]*<span class="tab-count">2<', html)
    assert tab(supplier, "waiting")[0] == {mine_accepted.pk}
    assert tab(buyer, "waiting")[0] == {theirs_accepted.pk}
    assert tab(buyer, "proposed")[0] == {proposed.pk, mine_accepted.pk}
    ids, html = tab(supplier, "connected")
    assert ids == {connected.pk}
    assert 'data-testid="contacts"' in html and actors.buyer_org.email in html
    ids, html = tab(supplier, "declined")
    assert ids == {declined.pk}
    assert "Declined by the buyer" in html and "Distance or logistics" in html
    assert tab(supplier, "closed")[0] == {expired.pk, withdrawn.pk}
    assert tab(actors.outsider, "proposed")[0] == set()
    assert tab(supplier, "nonsense")[0] == {proposed.pk, theirs_accepted.pk}  # falls back


def test_accept_with_htmx_swaps_the_card_and_connects(match, actors):
    response = browser(actors.supplier).post(f"/matches/{match.pk}/accept/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="match-{match.pk}"')
    assert "<html" not in html
    assert 'data-status="accepted_by_supply"' in html
    assert 'data-testid="waiting-note"' in html
    assert 'data-testid="accept-button"' not in html
    assert 'data-testid="contacts"' not in html

    response = browser(actors.buyer).post(f"/matches/{match.pk}/accept/", **HTMX)
    html = response.content.decode()
    assert 'data-status="connected"' in html
    contacts = re.search(r'<dl class="facts contacts" data-testid="contacts".*?</dl>', html, re.S)
    assert contacts and actors.supplier_org.email in contacts.group(0)
    assert "0262 3812 345" in contacts.group(0)
    assert actors.buyer_org.email not in html  # the buyer's own contacts are not repeated
    match.refresh_from_db()
    assert match.status == S.CONNECTED


def test_accept_without_javascript_redirects_back(match, actors):
    client = browser(actors.supplier)
    response = client.post(f"/matches/{match.pk}/accept/", {"next": "/matches/?tab=proposed"})
    assert response.status_code == 302
    assert response["Location"] == f"/matches/?tab=proposed#match-{match.pk}"
    response = client.post(f"/matches/{match.pk}/accept/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/matches/{match.pk}/"  # already accepted: error, safe URL
    page = client.get(response["Location"]).content.decode()
    assert "This side has already accepted" in page


def test_decline_with_htmx_needs_a_reason(match, actors):
    client = browser(actors.buyer)
    response = client.post(f"/matches/{match.pk}/decline/", {}, **HTMX)
    assert "Choose a reason, so the other side knows why." in response.content.decode()
    response = client.post(f"/matches/{match.pk}/decline/", {"reason": "", "note": "x"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="match-{match.pk}"')
    assert "Choose a reason, so the other side knows why." in html
    assert '<details class="decline" open>' in html
    match.refresh_from_db()
    assert match.status == S.PROPOSED

    response = client.post(
        f"/matches/{match.pk}/decline/", {"reason": "price", "note": "Giá <b>cao</b>"}, **HTMX
    )
    html = response.content.decode()
    assert 'data-status="declined"' in html
    assert "Declined by the buyer" in html and "Giá &lt;b&gt;cao&lt;/b&gt;" in html
    assert 'data-testid="decline-form"' not in html


def test_decline_without_javascript(match, actors):
    client = browser(actors.buyer)
    page = client.get(f"/matches/{match.pk}/decline/")
    assert page.status_code == 200 and '<details class="decline" open>' in page.content.decode()
    response = client.post(f"/matches/{match.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    assert "Choose a reason, so the other side knows why." in response.content.decode()
    response = client.post(f"/matches/{match.pk}/decline/", {"reason": "quality"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decline_reason) == (S.DECLINED, "quality")


def test_illegal_transition_comes_back_in_the_card(match, actors):
    review.match_decline(match=match, by_user=actors.buyer, reason="price")
    response = browser(actors.supplier).post(f"/matches/{match.pk}/accept/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="match-error"' in html
    assert "A match that is “Declined” can no longer be accepted." in html


def test_outsiders_get_404_and_officers_see_everything(match, actors):
    outsider = browser(actors.outsider)
    assert outsider.get(f"/matches/{match.pk}/").status_code == 404
    assert outsider.post(f"/matches/{match.pk}/accept/", **HTMX).status_code == 404
    assert outsider.post(f"/matches/{match.pk}/decline/", {"reason": "price"}).status_code == 404
    assert outsider.get(f"/matches/listing/{match.supply_id}/").status_code == 404
    match.refresh_from_db()
    assert match.status == S.PROPOSED

    officer = browser(actors.officer)
    html = officer.get("/matches/").content.decode()
    assert card_ids(html) == [match.pk]
    assert "Officer view" in html
    assert html.count('data-testid="contacts"') == 2  # both sides' contacts
    assert 'data-testid="accept-button"' not in html


def test_detail_page_has_history(match, actors):
    review.match_accept(match=match, by_user=actors.officer, side="demand")
    html = browser(actors.supplier).get(f"/matches/{match.pk}/").content.decode()
    assert 'data-testid="history"' in html
    assert "by an officer on their behalf" in html
    who = f'<span class="meta small">{actors.officer.username}</span>'
    assert who not in html  # who acted: for officers only
    assert who in browser(actors.officer).get(f"/matches/{match.pk}/").content.decode()


def test_user_text_is_escaped(actors, reference):
    evil = "<script>alert('x')</script>"
    supply = supply_listing(actors, reference, title=f"Cà phê {evil}")
    actors.buyer_org.name = f"Buyer {evil}"
    actors.buyer_org.save()
    supply_and_demand_match(actors, reference, supply=supply)
    for user in (actors.supplier, actors.buyer):
        html = browser(user).get("/matches/").content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_decline_forms_have_distinct_ids(actors, reference):
    supply = supply_listing(actors, reference)
    first = supply_and_demand_match(actors, reference, supply=supply)
    second = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference)
    )
    html = browser(actors.supplier).get("/matches/").content.decode()
    ids = re.findall(r' id="(id_[^"]+)"', html)
    assert len(ids) == len(set(ids)) == 4
    assert f"id_m{first.pk}_reason" in ids and f"id_m{second.pk}_reason" in ids


def test_organization_filter_for_members_of_two_organizations(actors, reference):
    from accounts.tests.factories import member_of

    member_of(actors.outsider_org, actors.supplier)
    mine = supply_and_demand_match(actors, reference)
    other_supply = supply_listing(actors, reference, organization=actors.outsider_org)
    theirs = supply_and_demand_match(actors, reference, supply=other_supply)
    client = browser(actors.supplier)
    html = client.get("/matches/").content.decode()
    assert 'data-testid="org-filter"' in html
    assert set(card_ids(html)) == {mine.pk, theirs.pk}
    html = client.get("/matches/", {"org": actors.outsider_org.pk}).content.decode()
    assert card_ids(html) == [theirs.pk]
    # Someone else's organization is not a filter a member can use.
    html = browser(actors.buyer).get("/matches/", {"org": actors.outsider_org.pk}).content
    assert set(card_ids(html.decode())) == {mine.pk, theirs.pk}


# --- a listing's summary ------------------------------------------------------------------------


def test_listing_summary_shows_why_buyers_declined(actors, reference):
    supply = supply_listing(actors, reference)
    for i, reason in enumerate(["price", "price", "price", "timing"]):
        m = supply_and_demand_match(
            actors, reference, supply=supply, demand=demand_listing(actors, reference, title=f"{i}")
        )
        review.match_decline(match=m, by_user=actors.buyer, reason=reason)
    supply_and_demand_match(actors, reference, supply=supply)
    response = browser(actors.supplier).get(f"/matches/listing/{supply.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'data-testid="decline-reasons">(.*?)</p>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
    assert text == "4 buyers declined: Price (3) Timing (1)"
    assert len(card_ids(html)) == 5
    assert browser(actors.buyer).get(f"/matches/listing/{supply.pk}/").status_code == 404
    assert browser(actors.officer).get(f"/matches/listing/{supply.pk}/").status_code == 200


def test_listing_summary_include_renders_only_for_the_owner(match, actors):
    template = Template(
        '{% include "matchmaking/partials/listing_summary.html" with listing=listing %}'
    )
    request = RequestFactory().get("/")
    for user, shown in ((actors.supplier, True), (actors.buyer, False), (actors.officer, True)):
        request.user = user
        html = template.render(Context({"listing": match.supply, "request": request}))
        assert ('data-testid="match-summary"' in html) is shown


# --- notifications and the navigation -----------------------------------------------------------


def test_nav_partial_shows_the_unread_count(match, actors):
    template = Template('{% include "matchmaking/partials/nav.html" %}')
    request = RequestFactory().get("/")
    request.user = actors.supplier
    html = template.render(Context({"request": request, "user": actors.supplier}))
    assert 'href="/matches/"' in html and 'data-testid="unread-count"' not in html
    notifications.notify_new_proposals([match])
    request = RequestFactory().get("/")
    request.user = actors.supplier
    html = template.render(Context({"request": request, "user": actors.supplier}))
    assert re.search(r'data-testid="unread-count">1</span>', html)


def test_notifications_page_mark_read_and_open(match, actors):
    notifications.notify_new_proposals([match])
    review.match_accept(match=match, by_user=actors.buyer)
    client = browser(actors.supplier)
    html = client.get("/matches/notifications/").content.decode()
    assert html.count('data-testid="notification"') == 2
    assert "Công ty Phân phối Sài Gòn accepted the proposal" in html
    assert 'data-testid="mark-all-read"' in html

    note = Notification.objects.filter(user=actors.supplier, kind="other_accepted").get()
    response = client.get(f"/matches/notifications/{note.pk}/")
    assert response["Location"] == f"/matches/{match.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert browser(actors.buyer).get(f"/matches/notifications/{note.pk}/").status_code == 404

    response = client.post("/matches/notifications/read/")
    assert response.status_code == 302
    assert notifications.unread_count(actors.supplier) == 0
    assert (
        'data-testid="mark-all-read"' not in client.get("/matches/notifications/").content.decode()
    )


def test_email_toggle(actors):
    client = browser(actors.supplier)
    html = client.get("/matches/notifications/").content.decode()
    assert re.search(r'data-testid="email-toggle" checked', html)
    response = client.post("/matches/notifications/settings/", {}, **HTMX)
    assert response.status_code == 200
    assert "Email notifications are off" in response.content.decode()
    actors.supplier.refresh_from_db()
    assert actors.supplier.email_notifications is False
    response = client.post("/matches/notifications/settings/", {"email_notifications": "1"})
    assert response.status_code == 302
    actors.supplier.refresh_from_db()
    assert actors.supplier.email_notifications is True


def test_inbox_query_count_does_not_grow_with_matches(
    actors, reference, django_assert_max_num_queries
):
    supply = supply_listing(actors, reference)
    for i in range(12):
        demand = demand_listing(actors, reference, title=f"Cần mua {i}")
        supply_and_demand_match(actors, reference, supply=supply, demand=demand)
    client = browser(actors.supplier)
    client.get("/matches/")  # warm the session
    # A fixed cost (the page frame, the tabs, the verified-certificate and contact reads); the
    # same with 1 match or 30 (test_read_path), so it does not grow with the matches; two for
    # what declines taught (the reasons' weights, the "what we learned" panel).
    with django_assert_max_num_queries(24):
        html = client.get("/matches/").content.decode()
    assert len(card_ids(html)) == 12


# --- the permission matrix of the pages ---------------------------------------------------------

PAGE_MATRIX = [
    # who, inbox shows the card, detail, accept (htmx), decline (htmx)
    ("supplier", True, 200, (200, 'data-status="accepted_by_supply"'), (200, 'data-status="declined"')),
    ("buyer", True, 200, (200, 'data-status="accepted_by_demand"'), (200, 'data-status="declined"')),
    ("outsider", False, 404, (404, ""), (404, "")),
    ("officer", True, 200, (200, "say which side you act for"), (200, "say which side you act for")),
    ("anonymous", None, 302, (302, ""), (302, "")),
]  # fmt: skip


@pytest.mark.parametrize("who,in_inbox,detail,accept,decline", PAGE_MATRIX)
def test_page_permissions(who, in_inbox, detail, accept, decline, match, actors):
    client = browser(getattr(actors, who, None))
    response = client.get("/matches/")
    if in_inbox is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200
        assert (card_ids(response.content.decode()) == [match.pk]) is in_inbox

    response = client.get(f"/matches/{match.pk}/")
    assert response.status_code == detail
    if detail == 200:
        assert 'data-testid="match-card"' in response.content.decode()

    for (status, marker), path, data in (
        (accept, "accept", {}),
        (decline, "decline", {"reason": "price"}),
    ):
        match.refresh_from_db()
        Match.objects.filter(pk=match.pk).update(status=S.PROPOSED, supply_accepted_at=None,
                                                 demand_accepted_at=None)  # fmt: skip
        response = client.post(f"/matches/{match.pk}/{path}/", data, **HTMX)
        assert response.status_code == status
        if marker:
            assert marker in response.content.decode()
        if status != 200 or who == "officer":
            match.refresh_from_db()
            assert match.status == S.PROPOSED
