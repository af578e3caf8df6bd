"""What anyone may read of a cooperation programme (the public page ``/programmes/<slug>/``):
member provinces, its public events, aggregate outcomes (no organization is named) and the
figures the articles reported beside the ones the platform measures.

The page is anonymous, so its figures may be a few minutes old (the officers' API and
dashboard are always those of the rows as they are, see ``selectors_stats.outcome_figures``):
:func:`programme_figures` asks ``outcome_figures`` for them at most once per
:data:`FRESH_FOR` per programme and keeps them in the Django cache with the time they were
counted, which the page shows ("figures as of HH:MM"). When they go stale, the one request
that takes a short lock recounts while the others are served the previous figures, so a flood
of anonymous requests costs one count, not one each. Only the numbers are cached (no words),
so one entry serves both languages; the provinces' and events' names are read per request.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from catalog.regions import CH
from core.cache import compute_once
from matchmaking.models import ConnectionEvent, ReportedFigure
from matchmaking.selectors_stats import StatsFilters, outcome_figures

FRESH_FOR = datetime.timedelta(minutes=10)
KEEP_FOR = 24 * 3600  # a stale copy is still served while one request recounts
LOCK_FOR = 60  # the recount's lock, in case the process dies while counting
WAIT_FOR = 5.0  # with nothing cached yet, how long the others wait for the first count

# A reported figure the platform can measure too: its key → what the platform counts.
MEASURED_BESIDE = {
    "partner-provinces": "active_provinces",
    "participating-provinces": "active_provinces",
    "central-highlands-provinces": "active_highlands_provinces",
    "itpc-region-level-activities": "events",
}


def cache_key(programme) -> str:
    return f"programme-figures:v1:{programme.pk}"


def _count(programme) -> dict:
    return {"stats": outcome_figures(StatsFilters(programme=programme)), "at": timezone.now()}


def programme_figures(programme) -> dict:
    """``{"stats": outcome_figures(programme), "at": when they were counted}``, counted at most
    once per :data:`FRESH_FOR` (see the module's docstring)."""
    key = cache_key(programme)
    entry = cache.get(key)
    if entry is not None and timezone.now() - entry["at"] < FRESH_FOR:
        return entry
    return compute_once(
        key,
        lambda: _count(programme),
        keep_for=KEEP_FOR,
        lock_for=LOCK_FOR,
        wait_for=WAIT_FOR,
        stale=entry,
    )


def programme_outcomes(programme) -> dict:
    """Everything the public page shows: the (cached) figures, its member provinces and
    public events (read now), and the reported figures beside the measured ones."""
    figures_entry = programme_figures(programme)
    stats = figures_entry["stats"]
    provinces = list(programme.provinces.select_related("region").order_by("name"))
    events = list(
        programme.events.exclude(status=ConnectionEvent.Status.DRAFT)
        .select_related("place")
        .order_by("-held_on")
    )
    # Member provinces with at least one (counted) listing: from the figures' breakdown.
    active = {row["code"] for row in stats["by_province"] if row["listings"]}
    measured = {
        "active_provinces": sum(1 for p in provinces if p.code in active),
        "active_highlands_provinces": sum(
            1 for p in provinces if p.code in active and p.region.code == CH
        ),
        "events": len(events),
    }
    figures = []
    for figure in ReportedFigure.objects.filter(event__programme=programme).select_related(
        "event", "source"
    ):
        measure = MEASURED_BESIDE.get(figure.key)
        figure.measured = measured[measure] if measure else None
        figures.append(figure)
    return {
        "stats": stats,
        "as_of": figures_entry["at"],
        "fresh_minutes": int(FRESH_FOR.total_seconds() // 60),
        "provinces": provinces,
        "events": events,
        "figures": figures,
        "measured": measured,
    }
