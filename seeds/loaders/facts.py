"""The facts of the articles: agencies, cooperation programmes, connection events and the
figures they report."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Organization
from catalog.models import ProductCategory, Source
from matchmaking.models import ConnectionEvent, CooperationProgramme, ReportedFigure
from seeds.data import programmes as programme_data
from seeds.loaders.common import province_named, provinces_named
from seeds.sync import SeedReport, sync


def load_agencies(report: SeedReport, sources: dict[str, Source]) -> dict[str, Organization]:
    found = {}
    for key, (name, province, source, description) in programme_data.AGENCIES.items():
        found[key], _ = sync(
            report,
            Organization,
            lookup={"name": name, "province": province_named(province)},
            values={
                "kind": Organization.Kind.AGENCY,
                "description": description,
                "source": sources[source],
                "verified": True,
            },
        )
    return found


def load_programmes(
    report: SeedReport, sources: dict[str, Source]
) -> dict[str, CooperationProgramme]:
    found = {}
    for row in programme_data.PROGRAMMES:
        values = {k: v for k, v in row.items() if k not in ("slug", "provinces", "source")}
        values["source"] = sources[row["source"]]
        found[row["slug"]], _ = sync(
            report,
            CooperationProgramme,
            lookup={"slug": row["slug"]},
            values=values,
            m2m={"provinces": provinces_named(row["provinces"])},
        )
    return found


def load_events(
    report: SeedReport,
    sources: dict[str, Source],
    agencies: dict[str, Organization],
    programmes: dict[str, CooperationProgramme],
    categories: dict[str, ProductCategory],
) -> dict[str, ConnectionEvent]:
    found = {}
    for row in programme_data.EVENTS:
        found[row["slug"]], _ = sync(
            report,
            ConnectionEvent,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "name_en": row["name_en"],
                "held_on": row["held_on"],
                "place": province_named(row["place"]),
                "organiser": agencies[row["organiser"]],
                "programme": programmes[row["programme"]],
                "themes": row["themes"],
                "source": sources[row["source"]],
                "status": ConnectionEvent.Status.FINISHED,
            },
            m2m={
                "provinces": provinces_named(row["provinces"]),
                "product_categories": [categories[slug] for slug in row["categories"]],
            },
        )
    return found


def load_figures(
    report: SeedReport, sources: dict[str, Source], events: dict[str, ConnectionEvent]
) -> None:
    for event, key, label, label_en, value, unit, period, source in programme_data.FIGURES:
        sync(
            report,
            ReportedFigure,
            lookup={"event": events[event], "key": key},
            values={
                "label": label,
                "label_en": label_en,
                "value": Decimal(value),
                "unit": unit,
                "period": period,
                "source": sources[source],
            },
        )
