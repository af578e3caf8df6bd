"""Fixtures of the match tests: the proposed match, its accepted deal, and the browser (one Chromium, a fresh
context per person).

Debian's Chromium (``make browser``) drives the pages against pytest-django's ``live_server``;
Playwright's own browser download is not used. When a test fails, every person's page is saved
to ``test-artifacts/<test>-<person>.png`` (git-ignored).
"""

import contextlib
import re
from pathlib import Path

import pytest

from matchmaking.services import review
from matchmaking.tests.factories import supply_and_demand_match
from matchmaking.tests.factories_pools import cooperatives

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class People:
    """Opens one browser context (cookies, language, viewport) per person."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.pages: dict[str, object] = {}
        self._contexts = []

    def new(self, name: str, *, viewport: dict = DESKTOP, locale: str = "vi-VN"):
        context = self.browser.new_context(locale=locale, viewport=viewport, base_url=self.base_url)
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        self.pages[name] = page
        return page

    def screenshot_all(self, prefix: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in self.pages.items():
            # A crashed page must not hide the test's own failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)

    def close(self) -> None:
        for context in self._contexts:
            context.close()


def expect(locator):
    """Playwright's ``expect``, imported on use (the non-browser tests run without Playwright)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def log_in(page, username: str, next_url: str = "/listings/mine/") -> None:
    """Log ``username`` in (the factories' password) through the login page; wait for
    ``next_url``."""
    from accounts.tests.factories import PASSWORD

    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def match(actors, reference):
    """The supplier's supply proposed to the buyer's demand."""
    return supply_and_demand_match(actors, reference)


@pytest.fixture
def coops(reference):
    """Four robusta cooperatives, each with one member (the pool tests)."""
    return cooperatives(reference)


@pytest.fixture
def deal(actors, reference):
    """The deal of the supplier–buyer match both sides accepted (stage ``connected``)."""
    match = supply_and_demand_match(actors, reference)
    review.match_accept(match=match, by_user=actors.supplier)
    review.match_accept(match=match, by_user=actors.buyer)
    return match.deal


@pytest.fixture
def people(request, chromium, live_server):
    """``people.new("an")`` → a Playwright page in a context of its own (a separate person)."""
    crowd = People(chromium, live_server.url)
    try:
        yield crowd
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            crowd.screenshot_all(re.sub(r"\W+", "-", request.node.name))
        crowd.close()
