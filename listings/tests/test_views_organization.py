"""The public organization profile (``listings/views/organizations.py``): name, kind, province,
verification, OCOP products, certifications, open listings; contacts only as on the match
pages (members; a connected match: ``matchmaking/tests/test_pages_contacts_and_tabs.py``)."""

import pytest
from django.urls import reverse

from catalog.models import Product
from listings.tests.factories import make_listing

EN = {"accept-language": "en"}
VI = {"accept-language": "vi"}


@pytest.fixture
def profile(reference, actors):
    org = actors.supplier_org
    org.phone, org.verified, org.description = "0262 3812 999", True, "Cà phê sạch Ea H'leo"
    org.save()
    product = Product.objects.create(
        name="Cà phê bột Ea Tu",
        name_en="Ea Tu ground coffee",
        category=reference.robusta,
        origin_province=reference.daklak,
        ocop_stars=4,
    )
    make_listing(
        organization=org,
        reference=reference,
        title="Cà phê bột OCOP",
        product=product,
        certifications=[reference.vietgap],
    )
    make_listing(organization=org, reference=reference, title="Bản nháp riêng", status="draft")
    return org


def page(client, org, headers=EN) -> str:
    response = client.get(reverse("listings:organization", args=[org.pk]), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_shows_who_it_is_what_it_offers_and_holds(client, profile):
    html = page(client, profile)

    assert profile.name in html and "Cooperative" in html and "Dak Lak" in html
    assert "✓ Verified" in html
    assert "Ea Tu ground coffee" in html and "4★" in html
    assert "VietGAP" in html
    assert "Cà phê bột OCOP" in html
    assert "Bản nháp riêng" not in html  # a draft is not public


def test_the_profile_speaks_vietnamese(client, profile):
    html = page(client, profile, VI)

    assert "Cà phê bột Ea Tu" in html and "Đắk Lắk" in html and "Sản phẩm OCOP" in html


def test_contacts_are_hidden_from_strangers_and_shown_to_members(client, profile, actors):
    assert "0262 3812 999" not in page(client, profile)
    client.force_login(actors.outsider)
    assert "0262 3812 999" not in page(client, profile)
    client.force_login(actors.supplier)
    assert "0262 3812 999" in page(client, profile)


def test_the_listing_page_links_to_the_profile(client, profile):
    listing = profile.listings.filter(status="open").first()

    html = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()

    assert reverse("listings:organization", args=[profile.pk]) in html


def test_an_unknown_organization_is_404(client, db):
    assert client.get(reverse("listings:organization", args=[999999])).status_code == 404
