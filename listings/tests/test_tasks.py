"""The nightly expiry job."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from listings.models import Listing
from listings.signals import listing_changed
from listings.tasks import expire_listings
from listings.tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(actors, reference):
    """An open listing whose window ended yesterday (as the clock moved, not as posted)."""
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Listing.objects.filter(pk=listing.pk).update(
        available_from=yesterday - datetime.timedelta(days=30), available_until=yesterday
    )
    return listing


def test_it_expires_open_listings_whose_window_has_ended(actors, reference, ended):
    running = make_listing(organization=actors.supplier_org, reference=reference, title="Còn")
    draft = make_listing(
        organization=actors.supplier_org, reference=reference, status="draft", title="Nháp"
    )
    Listing.objects.filter(pk=draft.pk).update(available_until=ended.available_until)
    announced = []

    def receiver(sender, listing, created, previous_status, **kwargs):
        announced.append((listing.pk, listing.status, previous_status))

    listing_changed.connect(receiver)
    try:
        result = expire_listings.delay()
    finally:
        listing_changed.disconnect(receiver)

    assert result.get() == 1
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert statuses == {ended.pk: "expired", running.pk: "open", draft.pk: "draft"}
    assert announced == [(ended.pk, "expired", "open")]


def test_running_it_twice_expires_nothing_more(ended):
    assert expire_listings.delay().get() == 1
    assert expire_listings.delay().get() == 0


def test_it_takes_an_iso_day_as_json(actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    day_after = (listing.available_until + datetime.timedelta(days=1)).isoformat()

    assert expire_listings.delay(listing.available_until.isoformat()).get() == 0
    assert expire_listings.delay(today=day_after).get() == 1
    listing.refresh_from_db()
    assert listing.status == "expired"


def test_it_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["listings-expire"]
    assert entry["task"] == expire_listings.name == "listings.tasks.expire_listings"
    assert expire_listings.max_retries == 3
