"""Fixtures of the listing tests."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP
from listings.tests.factories import coffee_listing, make_listing


@pytest.fixture
def officer_client(client, actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="listings",
            codename__in=["view_listing", "add_listing", "change_listing"],
        )
    )
    client.force_login(actors.officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def listing(actors, reference):
    """The supplier's open robusta supply (``make_listing``'s defaults)."""
    return make_listing(organization=actors.supplier_org, reference=reference)


@pytest.fixture
def coffee(reference, actors):
    """The supply the page tests show (``coffee_listing``), VietGAP-certified."""
    return coffee_listing(actors.supplier_org, reference, certifications=[reference.vietgap])
