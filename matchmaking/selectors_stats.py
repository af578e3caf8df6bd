"""What the programmes and conferences produced: every outcome figure, computed from the rows.

One home for the numbers of ``GET /api/v1/stats/``, the officers' outcome dashboard, its CSV
downloads and the public programme pages (which show only aggregates). :func:`outcome_stats`
counts the rows as they are now (six grouped statements, see ``matchmaking.stats_sql``);
:func:`outcome_figures`, what the API and the pages call, gives the same answer from parts kept
in the cache, each counted again only when what it reads has changed
(``matchmaking.outcome_version``). The public page also keeps its figures for a while
(``matchmaking.selectors_programmes``).

What each filter means (DESIGN.md, API contract part 2, "Statistics"):

- ``province`` / ``region``: a listing by its own province; a match, deal or meeting when either
  side is there (for a meeting, either organization);
- ``category``: the category or any below it; a match or deal when either listing is in it;
- ``event``: listings registered for it; matches met there (a meeting at the event, or the
  deal's event); meetings of the event;
- ``programme``: listings in a member province or registered for one of its events; matches
  and deals met at one of its events or linking two member provinces (as the deals API);
  meetings at its events;
- ``from`` / ``to`` (dates, inclusive, Vietnam time): each row by the day it was created —
  listings posted, matches proposed, meetings requested, deals opened (the connection) — so a
  figure follows the cohort that started in the period.

Definitions of the derived figures:

- *time to connection*: days from the later of the two listings' posting (when the pair became
  possible) to the connection; the median over connected matches;
- *small producers*: organizations of kind ``producer`` (farms and household businesses, "hộ
  kinh doanh") and ``cooperative``; a connection involves one when either side is one;
- *remote provinces*: the provinces of the Northern Midlands and Mountains and of the Central
  Highlands (:data:`REMOTE_REGIONS`), the two mountainous regions the programmes target; a
  connection involves one when either listing is there.
"""

from __future__ import annotations

import datetime
import hashlib
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
)
from django.db.models.functions import Greatest, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import is_officer
from catalog.models import ProductCategory, Province, Region
from catalog.regions import CH, NMM
from core.cache import compute_once
from listings.models import Listing
from matchmaking import outcome_version
from matchmaking.models import Deal, Delivery, Match, Meeting, Registration
from matchmaking.stats_sql import LocalMonth, grouped, literal

REMOTE_REGIONS = (NMM, CH)
SMALL_PRODUCER_KINDS = (Organization.Kind.PRODUCER, Organization.Kind.COOPERATIVE)
SIGNED = Q(signed_on__isnull=False)


@dataclass(frozen=True)
class StatsFilters:
    programme: object = None
    event: object = None
    province: object = None
    region: object = None
    category: object = None
    category_ids: tuple[int, ...] = field(default=())
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def require_officer(user) -> None:
    """The outcome figures (with their per-province detail) are for officers only."""
    if not is_officer(user):
        raise PermissionDenied(_("Only trade-promotion officers may see the outcome figures."))


# --- which rows a filter keeps ---------------------------------------------------------------


def _period(f: StatsFilters, name: str) -> Q:
    q = Q()
    tz = timezone.get_current_timezone()
    if f.date_from:
        start = datetime.datetime.combine(f.date_from, datetime.time.min, tzinfo=tz)
        q &= Q(**{f"{name}__gte": start})
    if f.date_to:
        end = datetime.datetime.combine(
            f.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        q &= Q(**{f"{name}__lt": end})
    return q


def _member_ids(programme) -> list[int]:
    return list(programme.provinces.values_list("pk", flat=True))


def _registered_listings(**event_lookup):
    return Registration.listings.through.objects.filter(
        **{f"registration__{k}": v for k, v in event_lookup.items()}
    ).values("listing_id")


def _met_at(**event_lookup):
    return Meeting.objects.filter(match__isnull=False, **event_lookup).values("match_id")


def listing_q(f: StatsFilters) -> Q:
    q = ~Q(status=Listing.Status.DRAFT)
    if f.programme is not None:
        q &= Q(province_id__in=_member_ids(f.programme)) | Q(
            pk__in=_registered_listings(event__programme=f.programme)
        )
    if f.event is not None:
        q &= Q(pk__in=_registered_listings(event=f.event))
    if f.province is not None:
        q &= Q(province=f.province)
    if f.region is not None:
        q &= Q(province_id__in=_region_ids(f.region))
    if f.category_ids:
        q &= Q(category_id__in=f.category_ids)
    return q & _period(f, "created_at")


def _dealt_at(**event_lookup):
    return Deal.objects.filter(**event_lookup).values("match_id")


def _region_ids(region) -> list[int]:
    return list(Province.objects.filter(region=region).values_list("pk", flat=True))


def match_q(f: StatsFilters, *, prefix: str = "", period: str = "created_at") -> Q:
    """Matches (``prefix=""``) or deals (``prefix="match__"``) the filters keep.

    "Met at" is a set of match ids (a meeting at the event or the deal's event), not a join,
    so PostgreSQL probes a small hashed set per row instead of joining every deal."""
    match_id = "match_id" if prefix else "id"
    s, d = f"{prefix}supply__", f"{prefix}demand__"
    q = Q()
    if f.programme is not None:
        members = _member_ids(f.programme)
        q &= (
            Q(**{f"{match_id}__in": _dealt_at(event__programme=f.programme)})
            | Q(**{f"{match_id}__in": _met_at(event__programme=f.programme)})
            | Q(**{f"{s}province_id__in": members, f"{d}province_id__in": members})
        )
    if f.event is not None:
        q &= Q(**{f"{match_id}__in": _dealt_at(event=f.event)}) | Q(
            **{f"{match_id}__in": _met_at(event=f.event)}
        )
    if f.province is not None:
        q &= Q(**{f"{s}province": f.province}) | Q(**{f"{d}province": f.province})
    if f.region is not None:
        ids = _region_ids(f.region)
        q &= Q(**{f"{s}province_id__in": ids}) | Q(**{f"{d}province_id__in": ids})
    if f.category_ids:
        q &= Q(**{f"{s}category_id__in": f.category_ids}) | Q(
            **{f"{d}category_id__in": f.category_ids}
        )
    return q & _period(f, period)


def meeting_q(f: StatsFilters) -> Q:
    q = Q()
    if f.programme is not None:
        q &= Q(event__programme=f.programme)
    if f.event is not None:
        q &= Q(event=f.event)
    if f.province is not None:
        q &= Q(requester__province=f.province) | Q(counterpart__province=f.province)
    if f.region is not None:
        q &= Q(requester__province__region=f.region) | Q(counterpart__province__region=f.region)
    if f.category_ids:
        q &= Q(match__supply__category_id__in=f.category_ids) | Q(
            match__demand__category_id__in=f.category_ids
        )
    return q & _period(f, "created_at")


def filtered(f: StatsFilters):
    """The four filtered querysets: listings, matches, meetings, deals."""
    return (
        Listing.objects.filter(listing_q(f)),
        Match.objects.filter(match_q(f)),
        Meeting.objects.filter(meeting_q(f)),
        Deal.objects.filter(match_q(f, prefix="match__")),
    )


# --- the figures -------------------------------------------------------------------------------


class _DaysBetween(Func):
    """(later − earlier) in days, as a float (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "
    output_field = FloatField()


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


@dataclass
class Part:
    """The figures of some of the rows, to be added to those of the others: counts and sums
    under tuple keys (``("month", "2026-11", "proposed")``, ``("status", "declined")``…), and
    the days from posting to connection of the connected matches (for the median)."""

    counts: Counter = field(default_factory=Counter)
    days: list = field(default_factory=list)

    def add(self, other: Part) -> None:
        self.counts.update(other.counts)
        self.days.extend(other.days)


def _block(prefix: str, column: str = "id"):
    """The block of a row's id (``outcome_version.BLOCKS``), as the triggers compute it."""
    size = outcome_version.BLOCKS[prefix]
    return ExpressionWrapper(F(column) / size, output_field=IntegerField())


def _in_blocks(prefix: str, blocks: list[int]) -> Q:
    q = Q()
    size = outcome_version.BLOCKS[prefix]
    for b in blocks:
        q |= Q(id__gte=b * size, id__lt=(b + 1) * size)
    return q


def _connections_parts(connected) -> dict[int, Part]:
    """The connected matches, per block: counted by month of connection, how many involve
    small producers and remote provinces, and the days from the later posting to the
    connection — one grouped read."""
    remote_ids = list(
        Province.objects.filter(region__code__in=REMOTE_REGIONS).values_list("pk", flat=True)
    )
    small = Q(supply__organization__kind__in=SMALL_PRODUCER_KINDS) | Q(
        demand__organization__kind__in=SMALL_PRODUCER_KINDS
    )
    remote = Q(supply__province_id__in=remote_ids) | Q(demand__province_id__in=remote_ids)
    columns = {"small": _flag(small), "remote": _flag(remote)}
    aggregates = {
        "n": "COUNT(*)",
        "small": "COUNT(*) FILTER (WHERE {small})",
        "remote": "COUNT(*) FILTER (WHERE {remote})",
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        later = Greatest("supply__created_at", "demand__created_at")
        columns["days"] = _DaysBetween(F("connected_at"), later)
        aggregates["days"] = "array_agg(({days})::float8) FILTER (WHERE {days} IS NOT NULL)"
    (rows,) = grouped(
        connected,
        keys={"b": _block("match"), "m": LocalMonth("connected_at")},
        columns=columns,
        sets=[("b", "m")],
        aggregates=aggregates,
    )
    parts: dict[int, Part] = defaultdict(Part)
    for r in rows:
        part = parts[r["b"]]
        if r["m"] is not None:
            part.counts["month", _month(r["m"]), "connected"] += r["n"]
        part.counts["small",] += r["small"] or 0
        part.counts["remote",] += r["remote"] or 0
        part.days.extend(r.get("days") or ())
    if not postgres:  # the embedded SQLite run: few rows, counted in Python
        spans = connected.filter(connected_at__isnull=False).values_list(
            "id", "connected_at", "supply__created_at", "demand__created_at"
        )
        for pk, c, s, d in spans:
            parts[pk // outcome_version.BLOCKS["match"]].days.append(
                (c - max(s, d)).total_seconds() / 86400
            )
    return parts


def _month(value) -> str | None:
    if isinstance(value, str):  # SQLite's TruncMonth: "YYYY-MM-01 …"
        return value[:7]
    return None if value is None else f"{value.year:04d}-{value.month:02d}"


FIGURES = (
    "listings",
    "proposed",
    "connected",
    "contracts",
    "contract_value_vnd",
    "delivered_value_vnd",
)


def _blank() -> dict:
    return dict.fromkeys(FIGURES, 0)


def _named(rows: dict, model, ident: str) -> list[dict]:
    """Per-province or per-category figures with the object's code and names, most
    connections first (then contract value, listings, code)."""
    objects = model.objects.filter(pk__in=[pk for pk in rows if pk is not None])
    out = []
    for obj in objects.only("pk", ident, "name", "name_en"):
        out.append({ident: getattr(obj, ident), "name": obj.name, "name_en": obj.name_en})
        out[-1].update(rows[obj.pk])
    out.sort(key=lambda r: (-r["connected"], -r["contract_value_vnd"], -r["listings"], r[ident]))
    return out


def _listings_parts(listings) -> dict[int, Part]:
    """The listings, per block: by side and month, by province and by category."""
    by_month, by_place, by_kind = grouped(
        listings,
        keys={
            "b": _block("listing"),
            "side": "side",
            "m": LocalMonth("created_at"),
            "p": "province_id",
            "c": "category_id",
        },
        sets=[("b", "side", "m"), ("b", "p"), ("b", "c")],
        aggregates={"n": "COUNT(*)"},
    )
    parts: dict[int, Part] = defaultdict(Part)
    for r in by_month:
        n = parts[r["b"]].counts
        n["side", r["side"]] += r["n"]
        n["month", _month(r["m"]), "listings"] += r["n"]
    for rows, table, key in ((by_place, "place", "p"), (by_kind, "kind", "c")):
        for r in rows:
            parts[r["b"]].counts[table, r[key], "listings"] += r["n"]
    return parts


def _matches_parts(matches) -> dict[int, Part]:
    """The matches (joined to their supply), per block: by month, status and decline reason,
    and by the supply's province and by its category."""
    by_month, by_place, by_kind = grouped(
        matches,
        keys={
            "b": _block("match"),
            "m": LocalMonth("created_at"),
            "status": "status",
            "reason": "decline_reason",
            "p": "supply__province_id",
            "c": "supply__category_id",
        },
        sets=[("b", "m", "status", "reason"), ("b", "p"), ("b", "c")],
        aggregates={
            "n": "COUNT(*)",
            "connected": f"COUNT(*) FILTER (WHERE {{status}} = {literal(Match.Status.CONNECTED)})",
        },
    )
    parts: dict[int, Part] = defaultdict(Part)
    for r in by_month:
        n = parts[r["b"]].counts
        n["status", r["status"]] += r["n"]
        n["month", _month(r["m"]), "proposed"] += r["n"]
        if r["status"] == Match.Status.DECLINED:
            n["decline", r["reason"] or Match.DeclineReason.OTHER] += r["n"]
    for rows, table, key in ((by_place, "place", "p"), (by_kind, "kind", "c")):
        for r in rows:
            n = parts[r["b"]].counts
            n[table, r[key], "proposed"] += r["n"]
            n[table, r[key], "connected"] += r["connected"]
    return parts


def _deals_parts(deals) -> dict[int, Part]:
    """The deals, per block: by month of signature, stage and lost reason, by their supply's
    province and by its category, and their deliveries by month — one statement."""
    by_month, by_place, by_kind, delivered = grouped(
        deals,
        keys={
            "b": _block("deal"),
            "m": TruncMonth("signed_on"),
            "status": "stage",
            "reason": "lost_reason",
            "p": "match__supply__province_id",
            "c": "match__supply__category_id",
        },
        columns={
            "id": "pk",
            "signed": _flag(SIGNED),
            "cv": "contract_value_vnd",
            "dv": "delivered_value_vnd",
        },
        sets=[("b", "m", "status", "reason"), ("b", "p"), ("b", "c")],
        aggregates={
            "n": "COUNT(*)",
            "signed": "COUNT(*) FILTER (WHERE {signed})",
            "cv": "SUM({cv}) FILTER (WHERE {signed})",
            "dv": "SUM({dv})",
        },
        joined=lambda ids: (
            Delivery.objects.filter(deal_id__in=ids)
            .order_by()
            .values(b=_block("deal", "deal_id"), m=TruncMonth("delivered_on"))
            .annotate(dv=Sum("value_vnd"))
        ),
    )
    parts: dict[int, Part] = defaultdict(Part)
    for r in by_month:
        n = parts[r["b"]].counts
        n["value", "delivered"] += r["dv"] or 0
        if r["m"] is not None:  # signed
            n["deal", "contract_signed"] += r["n"]
            n["value", "contract"] += r["cv"] or 0
            n["month", _month(r["m"]), "contracts"] += r["n"]
            n["month", _month(r["m"]), "contract_value_vnd"] += r["cv"] or 0
        if r["status"] == Deal.Stage.COMPLETED:
            n["deal", "completed"] += r["n"]
        elif r["status"] == Deal.Stage.LOST:
            n["deal", "lost"] += r["n"]
            n["lost", r["reason"] or Deal.LostReason.OTHER] += r["n"]
    for rows, table, key in ((by_place, "place", "p"), (by_kind, "kind", "c")):
        for r in rows:
            n = parts[r["b"]].counts
            n[table, r[key], "contracts"] += r["signed"]
            n[table, r[key], "contract_value_vnd"] += r["cv"] or 0
            n[table, r[key], "delivered_value_vnd"] += r["dv"] or 0
    for r in delivered:
        parts[r["b"]].counts["month", _month(r["m"]), "delivered_value_vnd"] += r["dv"] or 0
    return parts


def _meetings_part(meetings) -> Part:
    counts = meetings.aggregate(
        requested=Count("pk"),
        scheduled=Count("pk", filter=Q(status__in=Meeting.AGENDA_STATUSES)),
        held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
    )
    part = Part()
    part.counts.update({("meetings", k): v for k, v in counts.items()})
    return part


def _assemble(total: Part) -> dict:
    """The answer of ``GET /api/v1/stats/`` from the figures of all the rows."""
    n = total.counts
    tables: dict = {"month": defaultdict(_blank), "place": defaultdict(_blank)}
    tables["kind"] = defaultdict(_blank)
    statuses: Counter = Counter()
    decline_reasons = dict.fromkeys(Match.DeclineReason.values, 0)
    lost_reasons = dict.fromkeys(Deal.LostReason.values, 0)
    for key, value in n.items():
        if key[0] in tables:
            tables[key[0]][key[1]][key[2]] += value
        elif key[0] == "status":
            statuses[key[1]] += value
        elif key[0] == "decline":
            decline_reasons[key[1]] = decline_reasons.get(key[1], 0) + value
        elif key[0] == "lost":
            lost_reasons[key[1]] = lost_reasons.get(key[1], 0) + value
    months = tables["month"]
    n_connected = statuses[Match.Status.CONNECTED]
    median = statistics.median(total.days) if total.days else None

    def share(count: int) -> float | None:
        return round(count / n_connected, 4) if n_connected else None

    return {
        "listings": {
            "supply": n["side", Listing.Side.SUPPLY],
            "demand": n["side", Listing.Side.DEMAND],
        },
        "matches": {
            "proposed": sum(statuses.values()),
            "connected": n_connected,
            "declined": statuses[Match.Status.DECLINED],
        },
        "meetings": {k: n["meetings", k] for k in ("requested", "scheduled", "held")},
        "deals": {k: n["deal", k] for k in ("contract_signed", "completed", "lost")},
        "contract_value_vnd": n["value", "contract"],
        "delivered_value_vnd": n["value", "delivered"],
        "decline_reasons": decline_reasons,
        "lost_reasons": lost_reasons,
        "median_days_to_connection": None if median is None else round(max(median, 0.0), 1),
        "connections": {
            "total": n_connected,
            "small_producers": n["small",],
            "small_producer_share": share(n["small",]),
            "remote_provinces": n["remote",],
            "remote_province_share": share(n["remote",]),
        },
        "by_month": [{"month": k, **months[k]} for k in sorted(m for m in months if m)],
        "by_province": _named(tables["place"], Province, "code"),
        "by_category": _named(tables["kind"], ProductCategory, "slug"),
    }


def outcome_stats(f: StatsFilters) -> dict:
    """Every figure of ``GET /api/v1/stats/`` for these filters, counted from the rows now
    (call :func:`require_officer` first where a user asks).

    Each table is read once, grouped several ways at once (:func:`stats_sql.grouped`): the
    listings by side and month and by province and category; the matches (joined to their
    supply) by month, status and decline reason and by the supply's province and category; the
    connected matches by month of connection, with the small-producer and remote counts and
    the days to connection; the deals likewise, and their deliveries by month in the same
    statement; the meetings. The groups are added up here, so each total is the sum of its
    breakdown.
    """
    listings, matches, meetings, deals = filtered(f)
    total = Part()
    for part in _listings_parts(listings).values():
        total.add(part)
    for part in _matches_parts(matches).values():
        total.add(part)
    for part in _connections_parts(matches.filter(status=Match.Status.CONNECTED)).values():
        total.add(part)
    for part in _deals_parts(deals).values():
        total.add(part)
    total.add(_meetings_part(meetings))
    return _assemble(total)


# --- the same figures, counted once per state of the rows --------------------------------------

KEEP_FOR = 7 * 24 * 3600  # seconds a count is kept; a change to what it read retires it at once
COUNT_LOCK_FOR = 60  # the count's lock, in case the process dies while counting
COUNT_WAIT_FOR = 5.0  # how long a request waits for another's count of the same view
HAND_OVER_FOR = 60  # seconds the figures counted for a digest wait for those who waited

# What each part of the figures reads (``outcome_version``'s concerns); a block of the listings,
# matches or deals also depends on its own ``listing:N``, ``match:N`` or ``deal:N``.
LISTING_CONCERNS = ("listing:all", "registration", "reference")
MATCH_CONCERNS = ("match:all", "listing:keys", "deal:keys", "meeting:keys", "reference")
DEAL_CONCERNS = ("deal:all", "listing:keys", "match:keys", "meeting:keys", "reference")
MEETING_CONCERNS = ("meeting", "match:keys", "listing:keys", "reference")


def _filters_key(f: StatsFilters) -> str:
    def pk(obj):
        return "" if obj is None else str(obj.pk)

    parts = [
        pk(f.programme),
        pk(f.event),
        pk(f.province),
        pk(f.region),
        ",".join(map(str, sorted(f.category_ids))),
        f.date_from.isoformat() if f.date_from else "",
        f.date_to.isoformat() if f.date_to else "",
        timezone.get_current_timezone_name(),
    ]
    return hashlib.md5("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def _counted_parts(f: StatsFilters, state: outcome_version.Marks, view: str) -> Part:
    """The figures of all the rows, each part from the cache when none of what it reads has
    changed since it was counted, counted (and kept) otherwise — the listings, matches and
    deals block by block, in one statement for every block of the table that changed."""
    listings, matches, meetings, deals = filtered(f)
    connected = matches.filter(status=Match.Status.CONNECTED)
    simple = {"meetings": (MEETING_CONCERNS, lambda: _meetings_part(meetings))}
    # name: (table's block prefix, concerns, count of the rows in some blocks → parts by block)
    blocked = {
        "listings": ("listing", LISTING_CONCERNS, _listings_parts, listings),
        "matches": ("match", MATCH_CONCERNS, _matches_parts, matches),
        "connected": ("match", MATCH_CONCERNS, _connections_parts, connected),
        "deals": ("deal", DEAL_CONCERNS, _deals_parts, deals),
    }
    # One cache entry per view and part (and block), holding (the digest it was counted
    # under, the part): a change overwrites it, so the cache holds one copy of each part.
    keys = {
        name: (f"outcome-part:v2:{view}:{name}", state.digest(concerns))
        for name, (concerns, _count) in simple.items()
    }
    for name, (prefix, concerns, _count, _rows) in blocked.items():
        for b in state.blocks(prefix):
            digest = state.digest((*concerns, f"{prefix}:{b}"))
            keys[name, b] = (f"outcome-part:v2:{view}:{name}:{b}", digest)
    stored = cache.get_many([key for key, _digest in keys.values()])
    found = {
        key: stored[key][1]
        for key, digest in keys.values()
        if key in stored and stored[key][0] == digest
    }
    fresh: dict = {}
    for name, (_concerns, count) in simple.items():
        if keys[name][0] not in found:
            fresh[keys[name][0]] = count()
    for name, (prefix, _concerns, count, rows) in blocked.items():
        blocks = state.blocks(prefix)
        changed = [b for b in blocks if keys[name, b][0] not in found]
        if changed:
            if len(changed) < len(blocks):
                rows = rows.filter(_in_blocks(prefix, changed))
            counted = count(rows)
            for b in changed:
                fresh[keys[name, b][0]] = counted.get(b, Part())
    if fresh:
        digests = dict(keys.values())
        cache.set_many({k: (digests[k], part) for k, part in fresh.items()}, timeout=KEEP_FOR)
    total = Part()
    for key, _digest in keys.values():
        total.add(found[key] if key in found else fresh[key])
    return total


def outcome_figures(f: StatsFilters) -> dict:
    """:func:`outcome_stats` for these filters, from the cache while the counted rows are in the
    state they were counted in (``outcome_version``). After a change only the parts it touched
    are counted again (a new proposal: one block of the matches; a deal's new stage: the
    deals). Where the database keeps no such state (SQLite) every call counts."""
    state = outcome_version.marks()
    if state is None:
        return outcome_stats(f)
    view = _filters_key(f)
    key = f"outcome-stats:v3:{view}"  # (the digest of every concern, the figures)
    entry = cache.get(key)
    if entry is not None and entry[0] == state.whole:
        return entry[1]

    def count() -> dict:
        figures = _assemble(_counted_parts(f, state, view))
        cache.set(key, (state.whole, figures), timeout=KEEP_FOR)
        return figures

    # Officers who open the same view at once after a change wait for one count instead of
    # each counting (on two cores, concurrent counts slow every one of them); the hand-over
    # entry is named by the digest and kept only for that.
    return compute_once(
        f"{key}:{state.whole}",
        count,
        keep_for=HAND_OVER_FOR,
        lock_for=COUNT_LOCK_FOR,
        wait_for=COUNT_WAIT_FOR,
    )


def standard_views() -> list[StatsFilters]:
    """The views the dashboard's selects offer one filter at a time, and no filter: what
    :func:`warm_standard_views` keeps counted."""
    from matchmaking.models import ConnectionEvent, CooperationProgramme

    views = [StatsFilters()]
    views += [StatsFilters(programme=p) for p in CooperationProgramme.objects.all()]
    views += [StatsFilters(event=e) for e in ConnectionEvent.objects.all()]
    views += [StatsFilters(province=p) for p in Province.objects.all()]
    views += [StatsFilters(region=r) for r in Region.objects.all()]
    views += [
        StatsFilters(category=c, category_ids=tuple(c.descendant_ids()))
        for c in ProductCategory.objects.all()
    ]
    return views


def warm_standard_views() -> int:
    """Count ahead, in the background, the figures of every :func:`standard_views` view (only
    the parts changed since the last time), so that the first officer to open one after a
    quiet week or a burst of writes finds it counted. Returns how many views; none where the
    database keeps no marks (SQLite: nothing is cached there)."""
    if outcome_version.marks() is None:
        return 0
    views = standard_views()
    for f in views:
        outcome_figures(f)
    return len(views)
