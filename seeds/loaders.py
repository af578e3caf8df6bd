"""Load the data modules of ``seeds.data`` into the database.

``seed_all`` is what the ``seed`` command runs: one transaction, each loader writing through
``seeds.sync.sync`` so that a second run changes nothing. Reference data first (sources,
regions, provinces, units, certifications, categories, products), then the facts of the
articles (agencies, programmes, events, figures), the officers' group, and with ``demo=True``
the demo organizations, users and listings.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import OFFICERS_GROUP, Membership, Organization
from accounts.services import organization_verify
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
from listings.models import Listing
from listings.services import listing_create
from matchmaking.models import ConnectionEvent, CooperationProgramme, ReportedFigure
from seeds.data import categories as category_data
from seeds.data import demo as demo_data
from seeds.data import officers as officer_data
from seeds.data import programmes as programme_data
from seeds.data import regions as region_data
from seeds.data.certifications import CERTIFICATIONS
from seeds.data.products import PRODUCTS
from seeds.data.sources import SOURCES
from seeds.sync import CREATED, UNCHANGED, UPDATED, SeedReport, label_of, sync


class SeedError(Exception):
    """The seed data contradicts itself (a name that resolves to no province, a clash…)."""


def province_named(name: str) -> Province:
    """The CURRENT province for a current or pre-2025 name; a typo fails loudly."""
    province = Province.objects.resolve(name)
    if province is None:
        raise SeedError(f"{name!r} does not resolve to a province")
    return province


def provinces_named(names) -> list[Province]:
    """Current provinces for a list of names, each once, in first-seen order."""
    return list({p.pk: p for p in map(province_named, names)}.values())


# --- reference data ------------------------------------------------------------------------


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


# --- facts from the articles -----------------------------------------------------------------


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


# --- the officers' group -------------------------------------------------------------------


def officer_permissions() -> list[Permission]:
    """What the "Trade officers" group may do (see ``seeds.data.officers``)."""
    wanted = []
    perms = Permission.objects.filter(content_type__app_label__in=officer_data.APPS).select_related(
        "content_type"
    )
    for perm in perms:
        model = perm.content_type.model
        action, _, _ = perm.codename.partition("_")
        label = f"{perm.content_type.app_label}.{model}"
        is_default = perm.codename in {f"{a}_{model}" for a in ("add", "change", "delete", "view")}
        if model.startswith("historical"):
            allowed = action == "view"  # audit history is read-only
        elif not is_default:
            allowed = True  # custom permissions of these apps exist for officers' work
        else:
            allowed = action in ("view", "change") or action in officer_data.EXTRA.get(label, ())
        if allowed:
            wanted.append(perm)
    return wanted


def load_officers_group(report: SeedReport) -> Group:
    group, _ = sync(
        report, Group, lookup={"name": OFFICERS_GROUP}, m2m={"permissions": officer_permissions()}
    )
    return group


# --- demo ----------------------------------------------------------------------------------------


def _demo_user(report: SeedReport, username: str, first, last, email, *, staff, superuser):
    User = get_user_model()
    values = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "is_staff": staff,
        "is_superuser": superuser,
        "is_active": True,
    }
    if not User.objects.filter(username=username).exists():
        user = User.objects.create_user(username, password=demo_data.DEMO_PASSWORD, **values)
        report.add(label_of(User), CREATED)
        return user
    user, outcome = sync(report, User, lookup={"username": username}, values=values)
    if not user.check_password(demo_data.DEMO_PASSWORD):
        user.set_password(demo_data.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if outcome == UNCHANGED:
            report.counts[label_of(User)][UNCHANGED] -= 1
            report.add(label_of(User), UPDATED)
    return user


def load_demo(report: SeedReport, *, officers: Group, today: datetime.date | None = None):
    today = today or timezone.localdate()
    users = {}
    for username, (first, last, email, _org) in demo_data.USERS.items():
        users[username] = _demo_user(
            report,
            username,
            first,
            last,
            email,
            staff=username in ("officer", "admin"),
            superuser=username == "admin",
        )
    if not users["officer"].groups.filter(pk=officers.pk).exists():
        users["officer"].groups.add(officers)

    organizations = {}
    for key, (
        name,
        kind,
        province,
        person,
        email,
        what,
        verified,
    ) in demo_data.ORGANIZATIONS.items():
        org, _ = sync(
            report,
            Organization,
            lookup={"name": name, "province": province_named(province)},
            values={
                "kind": kind,
                "contact_person": person,
                "email": email,
                "description": f"{demo_data.DEMO_NOTE} {what}",
            },
        )
        if verified and not org.verified:
            organization_verify(organization=org, by_user=users["officer"])
        organizations[key] = org

    members: dict[int, object] = {}
    for username, (_first, _last, _email, org_key) in demo_data.USERS.items():
        if org_key:
            sync(
                report,
                Membership,
                lookup={"user": users[username], "organization": organizations[org_key]},
                values={"role": Membership.Role.OWNER},
            )
            members[organizations[org_key].pk] = users[username]

    categories = {c.slug: c for c in ProductCategory.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}
    label = label_of(Listing)
    for row in demo_data.LISTINGS:
        org = organizations[row.org]
        if Listing.objects.filter(organization=org, title=row.title).exists():
            report.add(label, UNCHANGED)
            continue
        fields = {
            "title": row.title,
            "description": row.description,
            "category": categories[row.category],
            "product": Product.objects.filter(name=row.product).first() if row.product else None,
            "quantity": Decimal(row.quantity),
            "unit": units[row.unit],
            "min_order_quantity": Decimal(row.min_order) if row.min_order else None,
            "price_min": row.price_min,
            "price_max": row.price_max,
            "province": org.province,
            "available_from": today + datetime.timedelta(days=row.start),
            "available_until": today + datetime.timedelta(days=row.start + row.days),
            "status": Listing.Status.OPEN,
        }
        if row.product and fields["product"] is None:
            raise SeedError(f"demo listing {row.title!r}: no product named {row.product!r}")
        stars_field = "ocop_stars" if row.side == Listing.Side.SUPPLY else "min_ocop_stars"
        fields[stars_field] = row.stars
        listing_create(
            organization=org,
            side=row.side,
            by_user=members.get(org.pk),
            certifications=[certifications[c] for c in row.certs],
            **fields,
        )
        report.add(label, CREATED)

    report.logins = [
        ("admin", demo_data.DEMO_PASSWORD, "superuser: /admin/"),
        ("officer", demo_data.DEMO_PASSWORD, f"staff, group “{OFFICERS_GROUP}”: /admin/"),
        ("supplier", demo_data.DEMO_PASSWORD, f"owner of {organizations['suoi-mo'].name}"),
        ("buyer", demo_data.DEMO_PASSWORD, f"owner of {organizations['phuong-nam'].name}"),
    ]
    return users, organizations


# --- everything ------------------------------------------------------------------------------


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
