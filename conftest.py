"""Shared fixtures: a small reference vocabulary and the named actors of permission tests."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory, make_officer, member_of
from catalog.models import ProductCategory, Province, Region
from catalog.tests.factories import CertificationFactory, ensure_units


@pytest.fixture
def reference(db):
    """Units, three provinces in two regions, a small category tree and certifications."""
    ensure_units()
    highlands = Region.objects.create(
        code="central-highlands", name="Tây Nguyên", name_en="Central Highlands", order=4
    )
    southeast = Region.objects.create(
        code="southeast", name="Đông Nam Bộ", name_en="Southeast", order=5
    )
    daklak = Province.objects.create(
        code="66",
        name="Đắk Lắk",
        name_en="Dak Lak",
        kind="province",
        region=highlands,
        latitude=12.7067,
        longitude=108.47,
    )
    lamdong = Province.objects.create(
        code="68",
        name="Lâm Đồng",
        name_en="Lam Dong",
        kind="province",
        region=highlands,
        latitude=11.6739,
        longitude=107.968,
    )
    hcmc = Province.objects.create(
        code="79",
        name="Hồ Chí Minh",
        name_en="Ho Chi Minh City",
        kind="city",
        region=southeast,
        latitude=10.9926,
        longitude=106.638,
    )
    daklak.legacy_names.create(name="Phú Yên", kind="legacy", legacy_code="54")
    lamdong.legacy_names.create(name="Đắk Nông", kind="legacy", legacy_code="67")
    hcmc.legacy_names.create(name="TP HCM", kind="spelling")
    agri = ProductCategory.objects.create(
        slug="agricultural", name="Nông sản", name_en="Agricultural products"
    )
    coffee = ProductCategory.objects.create(
        slug="coffee", name="Cà phê", name_en="Coffee", parent=agri, synonyms=["cà phê", "coffee"]
    )
    robusta = ProductCategory.objects.create(
        slug="robusta",
        name="Cà phê Robusta",
        name_en="Robusta coffee",
        parent=coffee,
        synonyms=["cà phê vối", "robusta"],
    )
    durian = ProductCategory.objects.create(
        slug="durian", name="Sầu riêng", name_en="Durian", parent=agri, synonyms=["durian"]
    )
    vietgap = CertificationFactory(code="vietgap", name="VietGAP", name_en="VietGAP")
    organic = CertificationFactory(code="organic", name="Hữu cơ", name_en="Organic")
    return SimpleNamespace(
        daklak=daklak,
        lamdong=lamdong,
        hcmc=hcmc,
        agri=agri,
        coffee=coffee,
        robusta=robusta,
        durian=durian,
        vietgap=vietgap,
        organic=organic,
    )


@pytest.fixture
def actors(reference):
    """A supplier, a buyer, an outsider (with an organization of their own) and an officer."""
    supplier_org = OrganizationFactory(
        name="HTX Cà phê Ea Tu", kind=Organization.Kind.COOPERATIVE, province=reference.daklak
    )
    buyer_org = OrganizationFactory(
        name="Công ty Phân phối Sài Gòn",
        kind=Organization.Kind.DISTRIBUTOR,
        province=reference.hcmc,
    )
    outsider_org = OrganizationFactory(
        name="Cơ sở Bên ngoài", kind=Organization.Kind.PRODUCER, province=reference.lamdong
    )
    return SimpleNamespace(
        supplier=member_of(supplier_org),
        supplier_org=supplier_org,
        buyer=member_of(buyer_org),
        buyer_org=buyer_org,
        outsider=member_of(outsider_org),
        outsider_org=outsider_org,
        officer=make_officer(),
    )


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates it."""
    client = APIClient()

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def english():
    """Messages asserted in English (Vietnamese, the default, is translated in core/locale/):
    ``pytestmark = pytest.mark.usefixtures("english")`` in a module that wants it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_caches(settings):
    """MD5 hashing keeps user-heavy tests fast; matching caches and the Django cache (the
    programme pages' figures) never leak between tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    from matchmaking.services import matching

    cache.clear()
    matching.clear_caches()
    yield
    matching.clear_caches()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (certificate documents) go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium(live_server, monkeypatch):
    """Debian's Chromium (``make browser``) under Playwright, against ``live_server``.

    Playwright's own browser download does not work here, so the system browser is used.
    """
    import os

    from django.db import connections

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test and its fixtures are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django keys connections by context, not thread:
            # the test's ORM calls got a connection of their own. Close it, or it outlives
            # the session and blocks dropping the test database.
            connections.close_all()
