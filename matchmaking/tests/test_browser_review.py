"""Two strangers meet through a proposed match, in a real Chromium (Playwright, sync API).

A cooperative in Đắk Lắk (Vietnamese, desktop) and a distributor in Hồ Chí Minh City (who
switches the header to English, on a 390 px phone) each sign up, create their organization
and post a listing through the pages. Nobody starts a matching run: saving the listings is
enough. Both find the proposal in their inbox without the other's contact details, accept it
(htmx swaps the card in place) and, once connected, see each other's phone and email.
A second test declines a proposal for its price and reads the reason on the supplier's side.

With ``MATCHES_SCREENSHOTS=<dir>`` set, the first test also saves desktop and phone
screenshots of the inbox with the connected match there (that is how the README's were made),
and the second one the supplier's view of the declined proposal.
Fixtures (one Chromium, a context per person, screenshots on failure): ``conftest.py``.
"""

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from matchmaking.tests.conftest import DESKTOP, PHONE, expect, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ket-noi-cung-cau-2025"
SUPPLIER = {
    "name": "HTX Nông nghiệp Ea H'leo",
    "contact_person": "Y Bih Niê",
    "phone": "0262 3812 345",
    "email": "lienhe@htx-eahleo.vn",
}
BUYER = {
    "name": "Công ty CP Phân phối Sài Gòn Xanh",
    "contact_person": "Trần Thị Mai",
    "phone": "028 3930 1234",
    "email": "muahang@saigonxanh.vn",
}
SUPPLY_TITLE = "Cà phê Robusta Ea H'leo"
DEMAND_TITLE = "Cần mua cà phê Robusta rang xay"


def test_two_strangers_are_proposed_accept_and_see_each_others_contacts(people, reference):
    today = timezone.localdate()
    a = people.new("supplier", viewport=DESKTOP)
    b = people.new("buyer", viewport=PHONE)

    # --- A: a cooperative in Đắk Lắk posts coffee for sale (Vietnamese, the default). ---
    a.goto("/")
    expect(a.locator("html")).to_have_attribute("lang", "vi")
    _sign_up(a, "htx_eahleo", "xa-vien@htx-eahleo.vn", language="vi")
    _create_organization(
        a, kind="cooperative", typed="dak lak", shown="Đắk Lắk", province="Đắk Lắk", **SUPPLIER
    )
    supply_id = _post_listing(
        a,
        side="supply",
        title=SUPPLY_TITLE,
        category=reference.robusta.pk,
        quantity="20",
        unit="tonne",
        price=("95000000", "110000000"),  # ₫ per tonne: 95,000–110,000 ₫/kg
        province="Đắk Lắk",
        window=(today, today + datetime.timedelta(days=90)),
    )
    summary = a.locator(f"#match-summary-{supply_id}")
    expect(summary).to_be_visible()
    expect(summary.locator(".summary-counts")).to_have_count(0)  # no buyer has posted yet

    # --- B: a distributor in TP HCM, on a phone, switches the header to English first. ---
    b.goto("/")
    expect(b.locator("html")).to_have_attribute("lang", "vi")
    _open_menu(b)
    b.click("button[name=language][value=en]")
    expect(b.locator("html")).to_have_attribute("lang", "en")
    _sign_up(b, "saigonxanh", "thu-mua@saigonxanh.vn", language="en")
    expect(b.locator("h1")).to_have_text("New organization")
    _create_organization(
        b,
        kind="distributor",
        typed="tp hcm",
        shown="TP HCM → Ho Chi Minh City",
        province="Hồ Chí Minh",
        **BUYER,
    )
    demand_id = _post_listing(
        b,
        side="demand",
        title=DEMAND_TITLE,
        category=reference.coffee.pk,
        quantity="5000",
        unit="kg",
        price=("90000", "120000"),
        province="Hồ Chí Minh",
        window=(today + datetime.timedelta(days=7), today + datetime.timedelta(days=60)),
    )

    # --- Nobody starts a run: B opens Matches from the navigation and finds the proposal. ---
    _open_menu(b)
    b.click("[data-testid=nav-matches]")
    b.wait_for_url(re.compile(r"/matches/$"))
    card = b.locator("[data-testid=match-card]")
    expect(card).to_have_count(1)
    match_id = card.get_attribute("data-match-id")
    expect(card).to_have_attribute("data-status", "proposed")
    expect(card).to_have_id(f"match-{match_id}")
    expect(card.locator("[data-testid=match-score]")).to_have_text(re.compile(r"^\d{1,3}\s*%$"))
    expect(card.locator("[data-testid=side-supply]")).to_contain_text(SUPPLY_TITLE)
    expect(card.locator("[data-testid=side-supply]")).to_contain_text(SUPPLIER["name"])
    expect(card.locator("[data-testid=side-demand]")).to_contain_text(DEMAND_TITLE)
    expect(
        card.locator(f"[data-testid=side-demand] a[href='/listings/{demand_id}/']")
    ).to_be_visible()
    # English labels on the card, and the reasons worded in the reader's language.
    expect(card.locator("summary", has_text="Why this match")).to_be_visible()
    expect(card.locator("[data-testid=match-status]")).to_have_text("Proposed")
    expect(card.locator("[data-testid=accept-button]")).to_have_text("Accept")
    reasons = card.locator("[data-testid=explanation] li")
    assert reasons.count() >= 3
    expect(reasons.first).to_contain_text(re.compile(r"\d+%"))
    expect(b.locator("[data-testid=tab-proposed]")).to_contain_text("To answer")
    _assert_contacts_hidden(b, card, SUPPLIER)

    # A sees the same proposal in their inbox (unread badge in the header), in Vietnamese.
    a.reload()  # still on their listing's page, opened before B posted
    expect(a.locator("[data-testid=unread-count]")).to_have_text(re.compile(r"^[1-9]\d*$"))
    # The listing's own summary: one proposal waiting for an answer.
    expect(summary.locator(".summary-counts strong").first).to_have_text("1")
    a.click("[data-testid=nav-matches]")
    a.wait_for_url(re.compile(r"/matches/$"))
    a_card = a.locator(f"#match-{match_id}")
    expect(a_card).to_have_attribute("data-status", "proposed")
    expect(a.locator("html")).to_have_attribute("lang", "vi")
    expect(a_card.locator("details.why > summary")).to_be_visible()
    expect(a_card.locator("details.why > summary")).not_to_have_text("Why this match")
    expect(a_card.locator("[data-testid=accept-button]")).to_have_text("Chấp nhận")
    expect(a_card.locator("[data-testid=side-demand]")).to_contain_text(BUYER["name"])
    _assert_contacts_hidden(a, a_card, BUYER)

    # --- A accepts: the card is swapped in place, no navigation. ---
    a.evaluate("window.__sameDocument = true")
    a.click(f"#accept-{match_id}")
    expect(a_card).to_have_attribute("data-status", "accepted_by_supply")
    expect(a_card.locator("[data-testid=waiting-note]")).to_be_visible()
    expect(a_card.locator("[data-testid=accept-button]")).to_have_count(0)
    assert a.evaluate("window.__sameDocument") is True
    _assert_contacts_hidden(a, a_card, BUYER)

    # --- B sees A's acceptance, accepts too: connected, contacts open on both sides. ---
    b.reload()
    expect(card).to_have_attribute("data-status", "accepted_by_supply")
    expect(card.locator("[data-testid=accepted-supply]")).to_be_visible()
    _assert_contacts_hidden(b, card, SUPPLIER)
    b.evaluate("window.__sameDocument = true")
    b.click(f"#accept-{match_id}")
    expect(card).to_have_attribute("data-status", "connected")
    assert b.evaluate("window.__sameDocument") is True
    their = b.locator(f"#contacts-{match_id}-supply")
    for key in ("phone", "email", "contact_person"):
        expect(their).to_contain_text(SUPPLIER[key])
    expect(their.locator("dt").first).to_have_text("Contact person")
    expect(b.locator(f"#contacts-{match_id}-demand")).to_have_count(0)  # not their own

    a.click("[data-testid=tab-connected]")
    a.wait_for_url(re.compile(r"tab=connected"))
    expect(a_card).to_have_attribute("data-status", "connected")
    theirs_for_a = a.locator(f"#contacts-{match_id}-demand")
    for key in ("phone", "email", "contact_person"):
        expect(theirs_for_a).to_contain_text(BUYER[key])
    expect(theirs_for_a).to_contain_text("Điện thoại")
    expect(a.locator(f"#contacts-{match_id}-supply")).to_have_count(0)
    expect(a.locator("[data-testid=tab-connected] .tab-count")).to_have_text("1")

    b.click("[data-testid=tab-connected]")
    b.wait_for_url(re.compile(r"tab=connected"))
    expect(b.locator(f"#contacts-{match_id}-supply")).to_contain_text(SUPPLIER["phone"])
    expect(b.locator("[data-testid=tab-connected]")).to_contain_text("Connected")

    _docs_screenshots(a, b)


def test_buyer_declines_for_price_and_the_supplier_reads_why(people, reference):
    """A proposal made from listings saved by the services, answered through the pages."""
    supply, _demand, supplier, buyer = _market_of_two(reference)
    b = people.new("buyer", viewport=DESKTOP)
    a = people.new("supplier", viewport=PHONE)

    log_in(b, buyer.username)
    _open_menu(b)
    b.click("[data-testid=nav-matches]")
    b.wait_for_url(re.compile(r"/matches/$"))
    card = b.locator("[data-testid=match-card]")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", "proposed")
    match_id = card.get_attribute("data-match-id")

    b.evaluate("window.__sameDocument = true")
    card.locator("[data-testid=decline-button]").click()
    form = card.locator("[data-testid=decline-form]")
    form.locator(f"#id_m{match_id}_reason").select_option("price")
    form.locator(f"#id_m{match_id}_note").fill("Giá cao hơn ngân sách quý này")
    form.locator("[data-testid=decline-submit]").click()
    expect(card).to_have_attribute("data-status", "declined")
    expect(card.locator("[data-testid=decline-reason]")).to_contain_text("Giá")
    expect(card.locator("[data-testid=accept-button]")).to_have_count(0)
    assert b.evaluate("window.__sameDocument") is True

    # A's listing page summarises why buyers declined; the listing's match page has the card.
    log_in(a, supplier.username, next_url=f"/listings/{supply.pk}/")
    summary = a.locator(f"#match-summary-{supply.pk}")
    expect(summary.locator("[data-testid=decline-reasons]")).to_contain_text(re.compile(r"^\s*1 "))
    expect(summary.locator(".reason-price")).to_have_text("Giá")
    expect(summary).to_contain_text("Giá cao hơn ngân sách quý này")
    summary.locator(f"a[href='/matches/listing/{supply.pk}/']").click()
    a.wait_for_url(re.compile(rf"/matches/listing/{supply.pk}/$"))
    declined = a.locator(f"#match-{match_id}")
    expect(declined).to_have_attribute("data-status", "declined")
    expect(declined.locator("[data-testid=decline-reason]")).to_contain_text("Giá")
    expect(declined.locator("[data-testid=decline-reason]")).to_contain_text(
        "Giá cao hơn ngân sách quý này"
    )
    expect(a.locator("[data-testid=decline-reasons]")).to_contain_text("Giá")
    if folder := os.environ.get("MATCHES_SCREENSHOTS"):
        a.screenshot(path=str(Path(folder) / "matches-declined-phone.png"), full_page=True)


# --- steps --------------------------------------------------------------------------------------


def _open_menu(page) -> None:
    """On a phone the navigation is folded behind the menu button."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible():
        toggle.click()
        expect(page.locator("#site-nav")).to_be_visible()


def _sign_up(page, username: str, email: str, *, language: str) -> None:
    page.goto("/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check(f"input[name=preferred_language][value={language}]")
    page.click("form[action='/accounts/signup/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/organizations/new/"))


def _create_organization(
    page, *, name, kind, typed, shown, province, contact_person, phone, email
) -> None:
    page.fill("#id_name", name)
    page.select_option("#id_kind", kind)
    # The province box suggests the official name (in the page's language) for what was
    # typed ("tp hcm", "dak lak"); picking it fills in the Vietnamese name.
    page.fill("#id_province", typed)
    suggestion = page.locator("#id_province-suggestions .suggestion", has_text=shown).first
    suggestion.click()
    expect(page.locator("#id_province")).to_have_value(province)
    page.fill("#id_contact_person", contact_person)
    page.fill("#id_phone", phone)
    page.fill("#id_email", email)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/organizations/\?created=\d+$"))
    expect(page.locator(".org-card")).to_contain_text(name)


def _post_listing(page, *, side, title, category, quantity, unit, price, province, window) -> int:
    page.goto(f"/listings/new/?side={side}")
    expect(page.locator(f"input[name=side][value={side}]")).to_be_checked()
    page.fill("#id_title", title)
    page.select_option("#id_category", str(category))
    page.fill("#id_quantity", quantity)
    page.select_option("#id_unit", unit)
    page.fill("#id_price_min", price[0])
    page.fill("#id_price_max", price[1])
    page.fill("#id_province", province)
    page.fill("#id_available_from", window[0].isoformat())
    page.fill("#id_available_until", window[1].isoformat())
    page.check("input[name=status][value=open]")
    page.click("form.listing-form button[type=submit]")
    page.wait_for_url(re.compile(r"/listings/\d+/$"))
    expect(page.locator("h1")).to_have_text(title)
    return int(re.search(r"/listings/(\d+)/$", page.url).group(1))


def _assert_contacts_hidden(page, card, other: dict) -> None:
    """Before both accept: no contacts block, and none of the other side's details."""
    expect(card.locator("[data-testid=contacts]")).to_have_count(0)
    html = page.content()
    for key in ("phone", "email", "contact_person"):
        assert other[key] not in html, f"the other side's {key} leaked before connection"


def _market_of_two(reference):
    """A supplier and a buyer organization, each with a member and an open listing."""
    from accounts.models import Organization
    from accounts.tests.factories import OrganizationFactory, UserFactory, member_of
    from catalog.models import Unit
    from listings.services import listing_create

    today = timezone.localdate()
    supplier_org = OrganizationFactory(
        kind=Organization.Kind.COOPERATIVE, province=reference.daklak, **SUPPLIER
    )
    buyer_org = OrganizationFactory(
        kind=Organization.Kind.DISTRIBUTOR, province=reference.hcmc, **BUYER
    )
    supplier = member_of(supplier_org, UserFactory(username="htx_eahleo"))
    buyer = member_of(buyer_org, UserFactory(username="saigonxanh"))
    common = {
        "available_from": today,
        "available_until": today + datetime.timedelta(days=90),
    }
    supply = listing_create(
        organization=supplier_org,
        side="supply",
        by_user=supplier,
        title=SUPPLY_TITLE,
        category=reference.robusta,
        quantity=Decimal(20),
        unit=Unit.objects.get(code="tonne"),
        province=reference.daklak,
        price_min=120_000_000,  # ₫ per tonne: above what the buyer means to pay per kg
        price_max=130_000_000,
        **common,
    )
    demand = listing_create(
        organization=buyer_org,
        side="demand",
        by_user=buyer,
        title=DEMAND_TITLE,
        category=reference.coffee,
        quantity=Decimal(5000),
        unit=Unit.objects.get(code="kg"),
        province=reference.hcmc,
        price_min=90_000,
        price_max=100_000,
        **common,
    )
    return supply, demand, supplier, buyer


def _docs_screenshots(supplier_page, buyer_page) -> None:
    """The README's screenshots of a connected match, only when MATCHES_SCREENSHOTS is set."""
    folder = os.environ.get("MATCHES_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for page, label, size in (
        (supplier_page, "desktop", DESKTOP),
        (buyer_page, "phone", PHONE),
    ):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(folder) / f"matches-{label}.png"), full_page=True)
