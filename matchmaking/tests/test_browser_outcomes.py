"""The outcome dashboard in a real Chromium: every chart drawn by plotly.js (an SVG with a
legend), its table beside it, no console error, and usable on a 390 px phone in English."""

import re

import pytest

from matchmaking.tests.conftest import DESKTOP, PHONE, expect, log_in
from matchmaking.tests.factories_stats import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = ("funnel", "months", "provinces", "categories", "decline-reasons", "lost-reasons")


def _watch_console(page) -> list[str]:
    """Console errors and uncaught exceptions (the browser's own favicon probe aside)."""
    errors: list[str] = []

    def on_console(message):
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_charts_render_with_legends_and_tables(people, actors, reference):
    build_world(actors, reference)
    page = people.new("officer", viewport=DESKTOP)
    errors = _watch_console(page)
    log_in(page, actors.officer.username, "/outcomes/")
    for key in (*CHARTS, "connections"):
        chart = page.locator(f"[data-testid=outcome-{key}] .outcome-chart")
        expect(chart).to_have_attribute("data-drawn", "true")
        expect(chart.locator("svg.main-svg").first).to_be_visible()
        expect(chart.locator("g.legend")).to_have_count(1)
        expect(page.locator(f"[data-testid=outcome-{key}] table caption")).to_be_visible()
    # The funnel's figures are in its legend-less funnel and in the table beside it.
    funnel = page.locator("[data-testid=outcome-funnel]")
    expect(funnel.locator("tbody tr")).to_have_count(5)
    expect(funnel.locator(".outcome-chart")).to_contain_text("Tin cung cầu")
    expect(page.locator("[data-testid=outcome-summary]")).to_contain_text("150.000.000 ₫")
    assert errors == []


def test_phone_in_english_filters_and_draws(people, actors, reference):
    world = build_world(actors, reference)
    page = people.new("officer", viewport=PHONE, locale="en-US")
    errors = _watch_console(page)
    log_in(page, actors.officer.username, "/outcomes/")
    if page.locator(".nav-toggle").is_visible():
        page.click(".nav-toggle")
    page.click("button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#id_programme", world.programme.slug)
    page.click("[data-testid=outcome-filters] button[type=submit]")
    page.wait_for_url(re.compile(r"programme=" + re.escape(world.programme.slug)))
    chart = page.locator("[data-testid=outcome-months] .outcome-chart")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("g.legend")).to_contain_text("Contract value")
    expect(page.locator("[data-testid=outcome-summary]")).to_contain_text("150,000,000 ₫")
    # Nothing wider than the phone: the tables scroll inside their own box.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert errors == []
