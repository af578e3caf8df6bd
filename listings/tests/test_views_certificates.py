"""A listing page shows its supplier's verified certificates (accounts' public partial)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CertificateFactory
from listings.tests.factories import make_listing

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_a_listing_page_shows_the_supplier_s_verified_certificates(client, actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    CertificateFactory(organization=actors.supplier_org, number="VG-PUBLIC-1", state="verified")
    CertificateFactory(organization=actors.supplier_org, number="VG-PENDING-2")

    html = client.get(reverse("listings:detail", args=[listing.pk]), headers=EN).content.decode()

    assert "Verified certificates" in html and "VG-PUBLIC-1" in html
    assert "VG-PENDING-2" not in html
    assert "/document/" not in html  # the owner did not make the document public
