"""A connection conference run on the platform, in a real Chromium (Playwright, sync API).

A coffee cooperative (Vietnamese, desktop) and a distributor (English, on a 390 px phone) both
register for an open event through its page; the cooperative requests a meeting from its
suggestions, the distributor accepts it from its requests; the officer closes registration and
makes the schedule from the admin; both then read the same time and table on their agendas.
Fixtures (one Chromium, a context per person, screenshots on failure): ``conftest.py``.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP
from accounts.tests.factories import PASSWORD
from matchmaking.models import Match, Meeting
from matchmaking.tests.conftest import DESKTOP, PHONE, expect, log_in
from matchmaking.tests.factories import MatchFactory, demand_listing, open_event, supply_listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(page, event_id: int, listing_id: int, session: int) -> None:
    page.goto(f"/events/{event_id}/")
    page.click("[data-testid=register-link]")
    page.check(f"input[name=listings][value='{listing_id}']")
    page.check(f"input[name=sessions][value='{session}']")
    page.click("[data-testid=register-submit]")
    page.wait_for_url(re.compile(rf"/events/{event_id}/meetings/\?org=\d+$"))


def test_two_participants_meet_at_the_table_the_officer_scheduled(people, actors, reference):
    event = open_event(reference)
    supply = supply_listing(actors, reference)
    demand = demand_listing(actors, reference)
    if not Match.objects.filter(supply=supply, demand=demand).exists():
        MatchFactory(supply=supply, demand=demand)  # matching did not run in this process
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="matchmaking", codename__regex=r"^(view|change)_"
        )
    )

    a = people.new("supplier", viewport=DESKTOP)
    b = people.new("buyer", viewport=PHONE)
    officer = people.new("officer", viewport=DESKTOP)

    # Both register through the event page (the supplier for both sessions, the buyer the 2nd).
    log_in(a, actors.supplier.username, "/events/")
    expect(a.locator("[data-testid=event-card]")).to_have_count(1)
    _register(a, event.pk, supply.pk, session=0)
    log_in(b, actors.buyer.username, f"/events/{event.pk}/")
    if b.locator(".nav-toggle").is_visible():
        b.click(".nav-toggle")
    b.click("button[name=language][value=en]")
    expect(b.locator("html")).to_have_attribute("lang", "en")
    _register(b, event.pk, demand.pk, session=0)
    b.goto(f"/events/{event.pk}/")
    expect(b.locator("[data-testid=registered-counts]")).to_contain_text("1 suppliers")

    # The supplier finds the buyer among its suggestions and asks for a meeting.
    a.goto(f"/events/{event.pk}/meetings/?org={actors.supplier_org.pk}")
    suggestion = a.locator("[data-testid=suggestion]", has_text=actors.buyer_org.name)
    expect(suggestion).to_contain_text("%")
    suggestion.locator("input[name=note]").fill("Xin gặp để bàn giá cà phê")
    suggestion.locator("[data-testid=request]").click()
    expect(a.locator(".messages")).to_contain_text(actors.buyer_org.name)

    # The buyer accepts it from the requests to answer.
    b.goto(f"/events/{event.pk}/meetings/?org={actors.buyer_org.pk}")
    request = b.locator("[data-testid=incoming-request]")
    expect(request).to_contain_text(actors.supplier_org.name)
    expect(request).to_contain_text("Xin gặp để bàn giá cà phê")
    request.locator("[data-testid=accept]").click()
    expect(b.locator("[data-testid=agreed-meeting]")).to_contain_text(actors.supplier_org.name)

    # The officer closes registration and makes the schedule from the admin.
    officer.goto("/admin/login/?next=/admin/matchmaking/connectionevent/")
    officer.fill("#id_username", actors.officer.username)
    officer.fill("#id_password", PASSWORD)
    officer.click("input[type=submit]")
    for action in ("close_registration", "make_schedule"):
        officer.check(f"input[name=_selected_action][value='{event.pk}']")
        officer.select_option("select[name=action]", action)
        officer.click("button[name=index]")
    expect(officer.locator(".messagelist")).to_contain_text("1")

    meeting = Meeting.objects.get()
    assert meeting.status == "scheduled" and meeting.table is not None
    # Both agendas show the same slot and table, each with the other side.
    times = []
    for page, org, other in (
        (a, actors.supplier_org, actors.buyer_org),
        (b, actors.buyer_org, actors.supplier_org),
    ):
        page.goto(f"/events/{event.pk}/meetings/?org={org.pk}")
        page.click("[data-testid=agenda-link]")
        row = page.locator("[data-testid=agenda-row]")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(other.name)
        expect(row.locator("[data-testid=agenda-table]")).to_contain_text(str(meeting.table))
        times.append(row.locator("strong").first.inner_text())
        expect(page.locator("[data-testid=ics-link]")).to_be_visible()
    assert times[0] == times[1] and re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", times[0])
    expect(a.locator("[data-testid=agenda-table]")).to_contain_text("Bàn")
    expect(b.locator("[data-testid=agenda-table]")).to_contain_text("Table")
