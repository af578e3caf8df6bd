"""Browser fixtures for the match pages: one Chromium, a fresh context per person.

Debian's Chromium (``make browser``) drives the pages against pytest-django's ``live_server``;
Playwright's own browser download is not used. When a test fails, every person's page is saved
to ``test-artifacts/<test>-<person>.png`` (git-ignored).
"""

import contextlib
import os
import re
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


@pytest.fixture
def people(request, live_server, settings, monkeypatch):
    """``people.new("an")`` → a Playwright page in a context of its own (a separate person)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test and its fixtures are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        crowd = People(browser, live_server.url)
        try:
            yield crowd
        finally:
            report = getattr(request.node, "report_call", None)
            if report is not None and report.failed:
                crowd.screenshot_all(re.sub(r"\W+", "-", request.node.name))
            crowd.close()
            browser.close()
            # While Playwright's loop runs, Django keys connections by context, not thread:
            # the test's ORM calls got a connection of their own. Close it, or it outlives
            # the session and blocks dropping the test database.
            connections.close_all()
