"""Reference data: sources, regions, provinces and their legacy names and spellings, units,
certifications, the category tree and products."""

from __future__ import annotations

from collections import defaultdict

from catalog import adminunits
from catalog import regions as region_facts
from catalog.models import (
    Certification,
    LegacyName,
    Product,
    ProductCategory,
    Province,
    Region,
    Source,
    Unit,
)
from catalog.text import fold, fold_compact
from catalog.units import ensure_units
from seeds.data import categories as category_data
from seeds.data import regions as region_data
from seeds.data.certifications import CERTIFICATIONS
from seeds.data.products import PRODUCTS
from seeds.data.sources import SOURCES
from seeds.loaders.common import SeedError, province_named
from seeds.sync import CREATED, UNCHANGED, UPDATED, SeedReport, label_of, sync


def load_sources(report: SeedReport) -> dict[str, Source]:
    found = {}
    for row in SOURCES:
        values = {k: v for k, v in row.items() if k != "key"}
        values.setdefault("url", "")
        found[row["key"]], _ = sync(report, Source, lookup={"key": row["key"]}, values=values)
    return found


def load_regions(report: SeedReport) -> dict[str, Region]:
    found = {}
    for order, (code, name, name_en) in enumerate(region_facts.REGIONS, start=1):
        found[code], _ = sync(
            report,
            Region,
            lookup={"code": code},
            values={"name": name, "name_en": name_en, "order": order},
        )
    return found


def load_provinces(report: SeedReport, regions: dict[str, Region]) -> dict[str, Province]:
    found = {}
    package = adminunits.current_provinces()
    if {p.code for p in package} != set(region_facts.PROVINCES):
        raise SeedError("catalog.regions.PROVINCES does not list the package's 34 provinces")
    for unit in package:
        name_en, region_code = region_facts.PROVINCES[unit.code]
        found[unit.code], _ = sync(
            report,
            Province,
            lookup={"code": unit.code},
            values={
                "name": unit.name,
                "name_en": name_en,
                "kind": unit.kind,
                "region": regions[region_code],
                "latitude": unit.latitude,
                "longitude": unit.longitude,
            },
        )
    return found


def legacy_name_rows() -> list[tuple[str, str, str, str]]:
    """(name, kind, pre-2025 code, current code) for every legacy name and useful spelling.

    All 63 pre-2025 provinces are kept, also those whose name did not change (Hà Nội): they
    are part of the list people look up, and the API lists them under ``legacy_names``. A
    spelling is kept only when it adds a look-up: one with the same compact form as a current
    name, English name or legacy name already resolves and is skipped (``compact`` is unique).
    A spelling that would point elsewhere than its compact twin is a data error.
    """
    rows: list[tuple[str, str, str, str]] = []
    taken: dict[str, str] = {}  # compact form -> current province code
    for unit in adminunits.current_provinces():
        taken[fold_compact(unit.name)] = unit.code
        taken[fold_compact(region_facts.PROVINCES[unit.code][0])] = unit.code
    legacy_compacts: set[str] = set()
    for old in adminunits.legacy_provinces():
        name = region_data.LEGACY_NAME_OVERRIDES.get(old.code, old.name)
        compact = fold_compact(name)
        if compact in legacy_compacts:
            raise SeedError(f"two pre-2025 provinces share the name {name!r}")
        legacy_compacts.add(compact)
        taken[compact] = old.current_code
        rows.append((name, LegacyName.Kind.LEGACY_PROVINCE, old.code, old.current_code))
    spellings = [
        (spelling, code) for code, names in region_data.SPELLINGS.items() for spelling in names
    ]
    # The package's own aliases ("hcm", "hn", "vungtau"…) come after ours.
    spellings += [(a, p.code) for p in adminunits.current_provinces() for a in p.aliases]
    spellings += [(a, p.current_code) for p in adminunits.legacy_provinces() for a in p.aliases]
    for spelling, code in spellings:
        compact = fold_compact(spelling)
        if compact in taken:
            if taken[compact] != code:
                raise SeedError(f"spelling {spelling!r} clashes with another province")
            continue
        taken[compact] = code
        rows.append((spelling, LegacyName.Kind.SPELLING, "", code))
    rows += _town_rows(taken)
    return rows


def _town_rows(taken: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Pre-2025 cities, towns and urban districts (the package's), each under its current
    province, so that "Buôn Ma Thuột" or "Thủ Đức" finds it. A name already taken by a
    province or spelling is skipped, and so is a name of towns now in different provinces
    (it would have to guess)."""
    provinces_of: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for town in adminunits.towns():
        compact = fold_compact(town.name)
        provinces_of[compact].add(town.current_code)
        names.setdefault(compact, town.name)
    return [
        (names[compact], LegacyName.Kind.PLACE, "", next(iter(codes)))
        for compact, codes in provinces_of.items()
        if len(codes) == 1 and compact not in taken and len(compact) > 2
    ]


def load_legacy_names(report: SeedReport, provinces: dict[str, Province]) -> None:
    for name, kind, legacy_code, code in legacy_name_rows():
        sync(
            report,
            LegacyName,
            lookup={"compact": fold_compact(name)},
            values={
                "name": name,
                "kind": kind,
                "legacy_code": legacy_code,
                "province": provinces[code],
            },
        )


def load_units(report: SeedReport) -> None:
    before = Unit.objects.count()
    changed = ensure_units()
    created = Unit.objects.count() - before
    report.add(label_of(Unit), CREATED, created)
    report.add(label_of(Unit), UPDATED, changed - created)
    report.add(label_of(Unit), UNCHANGED, Unit.objects.count() - changed)


def load_certifications(report: SeedReport) -> dict[str, Certification]:
    found = {}
    for order, (code, name, name_en, description) in enumerate(CERTIFICATIONS, start=1):
        found[code], _ = sync(
            report,
            Certification,
            lookup={"code": code},
            values={
                "name": name,
                "name_en": name_en,
                "description": description,
                "order": order,
            },
        )
    return found


def category_synonyms(node: category_data.Cat) -> list[str]:
    """The node's synonyms, then the unaccented form of its Vietnamese names (once each)."""
    result: list[str] = []
    seen: set[str] = {node.name.lower(), node.name_en.lower()}
    for candidate in (*node.synonyms, *(fold(p) for p in (node.name, *node.synonyms))):
        if candidate.lower() not in seen:
            seen.add(candidate.lower())
            result.append(candidate)
    return result


def load_categories(report: SeedReport) -> dict[str, ProductCategory]:
    found: dict[str, ProductCategory] = {}
    order = 0

    def walk(nodes, parent, depth):
        nonlocal order
        if nodes and depth > 3:
            raise SeedError("the category tree is at most three levels deep")
        for node in nodes:
            order += 1
            if node.slug in found:
                raise SeedError(f"category slug {node.slug!r} appears twice")
            found[node.slug], _ = sync(
                report,
                ProductCategory,
                lookup={"slug": node.slug},
                values={
                    "name": node.name,
                    "name_en": node.name_en,
                    "parent": parent,
                    "synonyms": category_synonyms(node),
                    "ocop_group": node.ocop_group,
                    "order": order,
                },
            )
            walk(node.children, found[node.slug], depth + 1)

    walk(category_data.TREE, None, 1)
    return found


def load_products(
    report: SeedReport, sources: dict[str, Source], categories: dict[str, ProductCategory]
) -> None:
    for row in PRODUCTS:
        sync(
            report,
            Product,
            lookup={"name": row.name, "origin_province": province_named(row.province)},
            values={
                "name_en": row.name_en,
                "category": categories[row.category],
                "geographical_indication": row.gi,
                "description": row.description,
                "source": sources[row.source],
            },
        )
