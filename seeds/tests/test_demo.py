"""``seed --demo``: fictional organizations, users that can log in, and open listings."""

import warnings
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from accounts.models import OFFICERS_GROUP, Membership, Organization
from listings.models import Listing
from seeds.data import demo as demo_data
from seeds.loaders import seed_all
from seeds.sync import CREATED, UPDATED

# The DeprecationWarnings that ``seed --demo`` emitted (filled by ``demo_output``).
DEMO_WARNINGS: list[warnings.WarningMessage] = []


@pytest.fixture(scope="module")
def demo_output(seed_report, django_db_blocker):
    """``seed --demo`` once for this module, in a savepoint rolled back after it."""
    # A fast hasher for the demo users, for as long as this module runs.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DeprecationWarning)
                call_command("seed", "--demo", stdout=out)
            DEMO_WARNINGS[:] = [w for w in caught if issubclass(w.category, DeprecationWarning)]
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_demo_creates_open_listings_on_both_sides(demo):
    listings = Listing.objects.filter(status=Listing.Status.OPEN)
    supply = listings.filter(side=Listing.Side.SUPPLY)
    demand = listings.filter(side=Listing.Side.DEMAND)
    assert supply.count() >= 40
    assert demand.count() >= 25
    assert supply.values("province").distinct().count() >= 10
    assert supply.values("category").distinct().count() >= 20
    assert supply.filter(ocop_stars__isnull=False).exists()
    assert demand.filter(min_ocop_stars__isnull=False).exists()
    assert supply.filter(certifications__code="gi").exists()


def test_every_demand_has_a_compatible_supply(demo):
    """The hard filters of matching pass for at least one supply of every demand."""
    supplies = list(
        Listing.objects.filter(side="supply").prefetch_related("certifications", "product")
    )
    for demand in Listing.objects.filter(side="demand").prefetch_related("certifications"):
        family = set(demand.category.descendant_ids())
        required = {c.code for c in demand.certifications.all()}
        compatible = [
            s
            for s in supplies
            if s.category_id in family
            and s.available_from <= demand.available_until
            and demand.available_from <= s.available_until
            and required <= {c.code for c in s.certifications.all()}
            and (s.effective_ocop_stars or 0) >= (demand.min_ocop_stars or 0)
            and s.unit.dimension == demand.unit.dimension
            and s.organization_id != demand.organization_id
        ]
        assert compatible, demand.title


def test_demo_organizations_are_marked_fictional(demo):
    names = [row[0] for row in demo_data.ORGANIZATIONS.values()]
    organizations = Organization.objects.filter(name__in=names)
    assert organizations.count() == len(names) >= 13
    for organization in organizations:
        assert organization.description.startswith("Dữ liệu minh họa (demo)")
        assert organization.tax_code == "" and organization.phone == ""
        assert organization.email.endswith("@example.com")
    kinds = set(organizations.values_list("kind", flat=True))
    assert {"cooperative", "distributor", "retailer", "exporter", "processor"} <= kinds
    verified = organizations.filter(verified=True).first()
    assert verified.verified_by.username == "officer" and verified.verified_at


def test_demo_logins_work_and_are_printed(demo, client):
    for username in ("supplier", "buyer", "officer", "admin"):
        assert f"  {username}" in demo
        assert client.login(
            request=RequestFactory().get("/"),
            username=username,
            password=demo_data.DEMO_PASSWORD,
        ), username
        client.logout()
    assert "demo12345" in demo
    assert "http://127.0.0.1:8000/accounts/login/" in demo  # the default port
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert users.get(username="officer").is_officer
    assert users.get(username="officer").groups.filter(name=OFFICERS_GROUP).exists()
    assert users.get(username="admin").is_superuser
    supplier = users.get(username="supplier")
    assert supplier.organizations.get().name == "HTX Cà phê Suối Mơ"
    assert Listing.objects.filter(created_by=supplier).exists()


def test_demo_twice_changes_nothing(demo):
    listings = Listing.objects.count()
    history = Organization.history.count()
    report = seed_all(demo=True)
    assert report.total(CREATED) == 0
    assert report.total(UPDATED) == 0
    assert Listing.objects.count() == listings == len(demo_data.LISTINGS)
    assert Organization.history.count() == history


def test_the_matching_engine_finds_a_match_for_every_demo_demand(demo):
    """Every demo demand gets a proposal: a single supply, or a pool of several when none
    covers it alone (then the members' single offers give way to the pool)."""
    from matchmaking.models import Match, Pool
    from matchmaking.services.matching import match_listing

    demands = Listing.objects.filter(side=Listing.Side.DEMAND)
    for demand in demands:
        match_listing(listing_id=demand.pk)
    matched = set(Match.objects.values_list("demand_id", flat=True))
    pooled = set(Pool.objects.values_list("demand_id", flat=True))
    assert [d.title for d in demands if d.pk not in matched | pooled] == []
    assert Match.objects.count() + len(pooled - matched) >= demands.count()


def test_seeding_calls_the_services_the_current_way(demo):
    """No DeprecationWarning (such as ``listing_create(by_user=None)``): listings of demo
    organizations without a member are the platform's writes (``by_user=SYSTEM``)."""
    assert [str(w.message) for w in DEMO_WARNINGS] == []


def test_demo_listings_are_posted_by_their_member_or_by_the_platform(demo):
    members = dict(Membership.objects.values_list("organization_id", "user_id"))
    listings = list(Listing.objects.all())
    assert listings
    for listing in listings:
        assert listing.created_by_id == members.get(listing.organization_id)
    assert any(listing.created_by_id is None for listing in listings)


def test_the_login_address_is_printed_with_the_port_served(demo):
    out = StringIO()
    call_command("seed", "--demo", "--port", "8765", stdout=out)
    assert "Demo logins (http://127.0.0.1:8765/accounts/login/, /admin/):" in out.getvalue()
