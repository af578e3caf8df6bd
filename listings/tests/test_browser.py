"""A person's path through the pages in a real Chromium (Playwright, sync API).

Sign up → create an organization (province picked from a legacy-name suggestion) → post a
supply listing → find it on the browse page with an unaccented query → open it → pause it
from "my listings" without a page reload → switch to English.

Needs Debian's Chromium (``make browser``); Playwright's own browser download is not used.
With ``PAGES_SCREENSHOTS=<dir>`` set, it also saves phone- and desktop-width screenshots of
the main pages there (that is how docs/screenshots/ was made).
"""

import os
import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TITLE = "Cà phê Robusta Ea H'leo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _shoot(page, name: str) -> None:
    """Screenshots for the docs, only when PAGES_SCREENSHOTS names a folder."""
    folder = os.environ.get("PAGES_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(folder) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_sign_up_post_find_and_open_a_listing(browser_page, live_server, reference):
    page = browser_page
    try:
        _journey(page, live_server.url, reference)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser-failure.png"), full_page=True)
        raise


def _journey(page, base: str, reference) -> None:
    from playwright.sync_api import expect

    # Sign up: the new user lands on the organization form.
    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.fill("#id_username", "htx_eahleo")
    page.fill("#id_email", "htx@eahleo.vn")
    page.fill("#id_password1", "Ca-phe-Ea-Hleo-2025")
    page.fill("#id_password2", "Ca-phe-Ea-Hleo-2025")
    page.check("input[name=preferred_language][value=vi]")
    page.click("form[action='/accounts/signup/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/organizations/new/"))

    # The organization: the province is found under its pre-2025 name.
    page.fill("#id_name", "HTX Nông nghiệp Ea H'leo")
    page.select_option("#id_kind", "cooperative")
    page.fill("#id_province", "phu yen")
    suggestion = page.locator("#id_province-suggestions .suggestion").first
    expect(suggestion).to_contain_text("Phú Yên → Đắk Lắk")
    suggestion.click()
    expect(page.locator("#id_province")).to_have_value("Đắk Lắk")
    page.fill("#id_phone", "0262 3812 345")
    page.fill("#id_contact_person", "Y Bih Niê")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/organizations/\?created=\d+$"))
    expect(page.locator(".org-card")).to_contain_text("HTX Nông nghiệp Ea H'leo")

    # Post a supply listing.
    page.goto(f"{base}/listings/new/?side=supply")
    expect(page.locator("input[name=side][value=supply]")).to_be_checked()
    expect(page.locator(".field-min_ocop_stars")).to_be_hidden()  # demand-only field
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", str(reference.robusta.pk))
    page.fill("#id_quantity", "20")
    page.select_option("#id_unit", "tonne")
    page.fill("#id_price_min", "95000")
    page.fill("#id_price_max", "110000")
    page.fill("#id_province", "Đắk Lắk")
    page.check("input[name=certifications] >> nth=0")
    page.select_option("#id_ocop_stars", "4")
    page.click("form.listing-form button[type=submit]")
    page.wait_for_url(re.compile(r"/listings/\d+/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    detail_url = page.url

    # Browse: an unaccented query finds it (htmx swaps the results in place).
    page.goto(f"{base}/listings/")
    page.fill("#id_q", "ca phe robusta")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q=ca(\+|%20)phe(\+|%20)robusta"))
    card = page.locator("#results .listing-card", has_text=TITLE)
    expect(card).to_have_count(1)
    card.locator("a").click()
    page.wait_for_url(detail_url)
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".org-box")).to_contain_text("HTX Nông nghiệp Ea H'leo")

    # My listings: pausing swaps the card without reloading the page.
    page.goto(f"{base}/listings/mine/")
    page.evaluate("window.__notReloaded = true")
    card = page.locator(".mine-card", has_text=TITLE)
    card.locator("input[name=status][value=paused] + button").click()
    expect(page.locator(".mine-card [data-status]")).to_have_attribute("data-status", "paused")
    assert page.evaluate("window.__notReloaded") is True
    card.locator("input[name=status][value=open] + button").click()
    expect(page.locator(".mine-card [data-status]")).to_have_attribute("data-status", "open")

    # Switch the language once: the page and the reference names turn English.
    page.goto(detail_url)
    page.click(".nav-toggle")  # on a phone the navigation is folded away
    page.click("button[name=language][value=en]")
    page.wait_for_url(detail_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".facts.wide")).to_contain_text("Robusta coffee")
    expect(page.locator(".facts.wide")).to_contain_text("20 tonne")

    if os.environ.get("PAGES_SCREENSHOTS"):
        _demo_listings(reference)
        for name, path in (
            ("home", "/"),
            ("browse", "/listings/?q=ca+phe"),
            ("listing", detail_url.removeprefix(base)),
            ("mine", "/listings/mine/"),
            ("post", "/listings/new/?side=supply"),
        ):
            page.goto(f"{base}{path}")
            _shoot(page, name)


def _demo_listings(reference) -> None:
    """A few more listings from other organizations, so the screenshots show a market."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import Organization
    from catalog.models import Unit
    from core.actors import SYSTEM
    from listings.services import listing_create

    today = timezone.localdate()
    buyer = Organization.objects.create(
        name="Công ty CP Phân phối Sài Gòn Xanh", kind="distributor", province=reference.hcmc
    )
    grower = Organization.objects.create(
        name="HTX Sầu riêng Krông Pắc", kind="cooperative", province=reference.daklak
    )
    rows = [
        (buyer, "demand", "Cần mua cà phê Robusta rang xay", reference.robusta, 5, "tonne"),
        (grower, "supply", "Sầu riêng Ri6 VietGAP vụ chính", reference.durian, 30, "tonne"),
        (buyer, "demand", "Thu mua sầu riêng Monthong", reference.durian, 80, "ta"),
        (grower, "supply", "Cà phê vối hữu cơ Krông Pắc", reference.coffee, 12, "tonne"),
    ]
    for organization, side, title, category, quantity, unit in rows:
        listing_create(
            organization=organization,
            side=side,
            title=title,
            category=category,
            quantity=Decimal(quantity),
            unit=Unit.objects.get(code=unit),
            province=organization.province,
            available_from=today,
            available_until=today + datetime.timedelta(days=120),
            price_min=60_000,
            price_max=85_000,
            certifications=[reference.vietgap],
            by_user=SYSTEM,
        )
