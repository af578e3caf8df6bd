"""Numbers typed on the listing form in a real Chromium, the way each language writes them:
"2,5" tấn and "95.000.000" ₫ on a Vietnamese page, "2.5" and "95,000,000" on an English one;
what could be read two ways is refused with how to write it, and nothing is saved."""

import re

import pytest

from listings.models import Listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(context, base: str, username: str):
    from accounts.tests.factories import PASSWORD

    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/listings/mine/"))
    return page


@pytest.mark.parametrize(
    ("language", "good", "shown", "ambiguous", "advice"),
    [
        ("vi", ("2,5", "95.000.000"), ("2,5", "95.000.000"), "2,500", "2,5"),
        ("en", ("2.5", "95,000,000"), ("2.5", "95,000,000"), "2.500", "2.5"),
    ],
)
def test_numbers_typed_as_the_language_writes_them(
    chromium, live_server, reference, actors, language, good, shown, ambiguous, advice
):
    from playwright.sync_api import expect

    user = actors.supplier
    user.preferred_language = language
    user.save()
    context = chromium.new_context(
        locale="vi-VN" if language == "vi" else "en-GB", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    try:
        page = _log_in(context, live_server.url, user.username)
        expect(page.locator("html")).to_have_attribute("lang", language)

        # What could be read two ways is refused, with how to write it; nothing is saved.
        page.goto(f"{live_server.url}/listings/new/?side=supply")
        page.fill("#id_title", "Cà phê Robusta nhân xô")
        page.select_option("#id_category", str(reference.robusta.pk))
        page.fill("#id_quantity", ambiguous)
        page.select_option("#id_unit", "tonne")
        page.click("form.listing-form button[type=submit]")
        error = page.locator(".field-quantity .errorlist")
        expect(error).to_contain_text(advice)
        expect(page.locator("#id_quantity")).to_have_value(ambiguous)  # shown back as typed
        assert not Listing.objects.exists()

        # Written the language's way, it is saved as meant and shown back the same way.
        page.fill("#id_quantity", good[0])
        page.fill("#id_price_min", good[1])
        page.fill("#id_price_max", good[1])
        page.click("form.listing-form button[type=submit]")
        page.wait_for_url(re.compile(r"/listings/\d+/$"))
        listing = Listing.objects.get()
        assert (listing.quantity, listing.price_min) == (2.5, 95_000_000)
        facts = page.locator(".facts.wide")
        expect(facts).to_contain_text(shown[0])
        expect(facts).to_contain_text(shown[1])

        page.goto(f"{live_server.url}/listings/{listing.pk}/edit/")
        expect(page.locator("#id_quantity")).to_have_value(shown[0])
        expect(page.locator("#id_price_min")).to_have_value(shown[1])
        assert page.locator("#id_quantity").get_attribute("inputmode") == "decimal"
    finally:
        context.close()
