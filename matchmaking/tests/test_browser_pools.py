"""A pool answered in a real Chromium (Playwright, sync API): two cooperatives of 30 t
together fill a buyer's 50 t order. The buyer (English, on a phone) accepts the pool, each
cooperative (Vietnamese, desktop) accepts its own share from the pools page (htmx swaps the
card in place); once the last one accepts, the pool is connected and the buyer sees both
cooperatives' phones, each cooperative the buyer's, not the other cooperative's.
Fixtures (one Chromium, a context per person, screenshots on failure): ``conftest.py``.
"""

from decimal import Decimal

import pytest

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, member_of
from listings.tests.factories import make_listing
from matchmaking.models import Pool
from matchmaking.tests.conftest import DESKTOP, PHONE, expect, log_in
from matchmaking.tests.factories_pools import pool_demand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_and_two_cooperatives_connect_through_a_pool(people, actors, reference):
    coops = []
    for i, phone in enumerate(("0262 3000 111", "0262 3000 222")):
        org = OrganizationFactory(
            name=f"HTX Robusta Krông Năng {i + 1}",
            kind=Organization.Kind.COOPERATIVE,
            province=reference.daklak,
            phone=phone,
        )
        user = member_of(org)
        make_listing(
            organization=org,
            reference=reference,
            certifications=[reference.vietgap],
            by_user=user,
            title=f"Cà phê Robusta HTX {i + 1}",
            quantity=Decimal(30),
        )
        coops.append((org, user))
    pool_demand(actors, reference, title="Thu mua 50 tấn cà phê Robusta xuất khẩu")
    pool = Pool.objects.get()
    card = f"#pool-{pool.pk}"

    buyer = people.new("buyer", viewport=PHONE, locale="en-US")
    log_in(buyer, actors.buyer.username, "/matches/pools/")
    if buyer.locator(".nav-toggle").is_visible():
        buyer.click(".nav-toggle")
    buyer.click("button[name=language][value=en]")
    expect(buyer.locator("html")).to_have_attribute("lang", "en")
    expect(buyer.locator(f"{card} [data-testid=pool-coverage]")).to_contain_text("100")
    expect(buyer.locator(f"{card} [data-testid=pool-member]")).to_have_count(2)
    expect(buyer.locator(f"{card} [data-testid=member-contacts]")).to_have_count(0)
    buyer.click(f"{card} [data-testid=buyer-accept]")
    expect(buyer.locator(f"{card} [data-testid=buyer-accepted]")).to_be_visible()
    expect(buyer.locator(f"{card} [data-testid=pool-status]")).to_have_text("Proposed")

    for i, (_org, user) in enumerate(coops):
        page = people.new(f"coop{i}", viewport=DESKTOP)
        log_in(page, user.username, "/matches/pools/")
        mine = page.locator(f"{card} [data-testid=pool-member].is-mine")
        expect(mine).to_have_count(1)
        expect(page.locator(f"{card} [data-testid=buyer-contacts]")).to_have_count(0)
        mine.locator("[data-testid=member-accept]").click()
        expect(mine.locator("[data-testid=member-status]")).to_have_text("Đã chấp nhận")

    # The last acceptance connected it: contacts open buyer <-> each member.
    expect(page.locator(f"{card} [data-testid=pool-connected]")).to_be_visible()
    expect(page.locator(f"{card} [data-testid=buyer-contacts]")).to_contain_text(
        actors.buyer_org.email
    )
    other = page.locator(f"{card} [data-testid=pool-member]:not(.is-mine)")
    expect(other.locator("[data-testid=member-contacts]")).to_have_count(0)
    buyer.reload()
    expect(buyer.locator(f"{card} [data-testid=pool-status]")).to_have_text("Connected")
    contacts = buyer.locator(f"{card} [data-testid=member-contacts]")
    expect(contacts).to_have_count(2)
    expect(contacts.first).to_contain_text("0262 3000")
    pool.refresh_from_db()
    assert pool.status == Pool.Status.CONNECTED
