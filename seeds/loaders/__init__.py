"""Load the data modules of ``seeds.data`` into the database.

``seed_all`` is what the ``seed`` command runs: one transaction, each loader writing through
``seeds.sync.sync`` so that a second run changes nothing. Reference data first (sources,
regions, provinces, units, certifications, categories, products), then the facts of the
articles (agencies, programmes, events, figures), the officers' group, and with ``demo=True``
the demo organizations, users and listings.

Each job has its module: :mod:`~seeds.loaders.common` (the error, province look-ups),
:mod:`~seeds.loaders.reference`, :mod:`~seeds.loaders.facts`, :mod:`~seeds.loaders.officers`
and :mod:`~seeds.loaders.demo`; this module runs them in order.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from seeds.loaders.common import SeedError, province_named, provinces_named
from seeds.loaders.demo import load_demo
from seeds.loaders.facts import load_agencies, load_events, load_figures, load_programmes
from seeds.loaders.officers import load_officers_group, officer_permissions
from seeds.loaders.reference import (
    category_synonyms,
    legacy_name_rows,
    load_categories,
    load_certifications,
    load_legacy_names,
    load_products,
    load_provinces,
    load_regions,
    load_sources,
    load_units,
)
from seeds.sync import SeedReport

__all__ = [
    "SeedError",
    "category_synonyms",
    "legacy_name_rows",
    "load_agencies",
    "load_categories",
    "load_certifications",
    "load_demo",
    "load_events",
    "load_figures",
    "load_legacy_names",
    "load_officers_group",
    "load_products",
    "load_programmes",
    "load_provinces",
    "load_regions",
    "load_sources",
    "load_units",
    "officer_permissions",
    "province_named",
    "provinces_named",
    "seed_all",
]


@transaction.atomic
def seed_all(*, demo: bool = False, today: datetime.date | None = None) -> SeedReport:
    """Load the reference data and the articles' facts (and the demo data): one transaction."""
    report = SeedReport()
    sources = load_sources(report)
    regions = load_regions(report)
    provinces = load_provinces(report, regions)
    load_legacy_names(report, provinces)
    load_units(report)
    load_certifications(report)
    categories = load_categories(report)
    load_products(report, sources, categories)
    agencies = load_agencies(report, sources)
    programmes = load_programmes(report, sources)
    events = load_events(report, sources, agencies, programmes, categories)
    load_figures(report, sources, events)
    officers = load_officers_group(report)
    if demo:
        load_demo(report, officers=officers, today=today)
    return report
