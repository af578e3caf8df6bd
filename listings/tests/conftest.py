"""Fixtures of the listing tests."""

import pytest

from listings.tests.factories import coffee_listing, make_listing


@pytest.fixture
def listing(actors, reference):
    """The supplier's open robusta supply (``make_listing``'s defaults)."""
    return make_listing(organization=actors.supplier_org, reference=reference)


@pytest.fixture
def coffee(reference, actors):
    """The supply the page tests show (``coffee_listing``), VietGAP-certified."""
    return coffee_listing(actors.supplier_org, reference, certifications=[reference.vietgap])
