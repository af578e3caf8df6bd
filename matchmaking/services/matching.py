"""Matching: load listings into the engine's arrays, run it, store the proposals.

The engine (``matchmaking.engine``) is pure numpy; this module is the only place that turns
database rows into its tables and its results back into ``Match`` rows. Writes are
idempotent: a pair is unique, re-running changes scores in place, a declined pair is never
proposed again, and pending proposals whose listings no longer qualify are withdrawn.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Organization
from catalog.models import Certification, ProductCategory, Province
from listings.models import Listing
from matchmaking import engine
from matchmaking.engine import records
from matchmaking.engine.factors import trust_score
from matchmaking.engine.filters import hard_filter_mask
from matchmaking.engine.text import listing_text, signatures
from matchmaking.models import CooperationProgramme, Match, MatchRun
from matchmaking.services import certificates, notifications
from matchmaking.services.review import review_deadline

log = logging.getLogger(__name__)

DIMENSIONS = {"mass": records.MASS, "volume": records.VOLUME, "count": records.COUNT}
BASE_UNIT = {records.MASS: "kg", records.VOLUME: "l", records.COUNT: "piece"}
PENDING = [str(s) for s in Match.PENDING_STATUSES]


# --- reference data ---------------------------------------------------------------------------


@dataclass
class Reference:
    """Index maps from database ids to the engine's positions, and the engine's Context."""

    category_index: dict[int, int]
    category_ids: list[int]
    province_index: dict[int, int]
    cert_bit: dict[int, int]
    context: records.Context

    def subtree_ids(self, category_id: int) -> list[int]:
        idx = self.category_index[category_id]
        inside = self.context.tree.is_within(
            np.arange(len(self.category_ids), dtype=np.int32),
            np.full(len(self.category_ids), idx, dtype=np.int32),
        )
        return [self.category_ids[i] for i in np.flatnonzero(inside)]

    def ancestor_ids(self, category_id: int) -> list[int]:
        parent = self.context.parent
        chain, node = [], self.category_index[category_id]
        while node >= 0:
            chain.append(self.category_ids[node])
            node = int(parent[node])
        return chain

    def root_of(self, category_id: int) -> int:
        return self.ancestor_ids(category_id)[-1]


def matching_config(today: datetime.date | None = None) -> records.Config:
    options = settings.MATCHING
    return records.Config(
        weights=options["WEIGHTS"],
        max_per_demand=options["MAX_PER_DEMAND"],
        max_per_supply=options["MAX_PER_SUPPLY"],
        min_score=options["MIN_SCORE"],
        today=records.day_number(today or timezone.localdate()),
    )


# Reference data and organization histories change rarely but are read on every listing
# save; a short per-process cache keeps single-listing matching fast. ``clear_caches()``
# drops them (tests, admin edits of the catalogue).
CACHE_SECONDS = 60
_cache: dict[str, tuple[float, object]] = {}


def clear_caches() -> None:
    _cache.clear()


def _cached(key: str, build):
    hit = _cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = build()
    _cache[key] = (now, value)
    return value


def load_reference(*, declined=None, today: datetime.date | None = None) -> Reference:
    """The reference data as the engine wants it; ``declined`` and ``today`` vary per call."""
    import dataclasses

    fingerprint = _reference_fingerprint()
    hit = _cache.get("reference")
    if hit and hit[1][0] != fingerprint:
        _cache.pop("reference")
    base = _cached("reference", lambda: (fingerprint, _build_reference()))[1]
    context = dataclasses.replace(
        base.context,
        declined=np.zeros(0, dtype=np.int64) if declined is None else declined,
        config=matching_config(today),
    )
    # The tree and the distance matrix are derived once per cached reference.
    context.__dict__["tree"] = base.context.tree
    context.__dict__["distance_km"] = base.context.distance_km
    return dataclasses.replace(base, context=context)


def _reference_fingerprint() -> tuple:
    """Changes whenever a category, province, certification or programme row is added,
    removed or re-parented, so a cached reference is never used with unknown ids."""
    tables = {
        "catalog_productcategory": "COALESCE(SUM(id + COALESCE(parent_id, 0) * 7), 0)",
        "catalog_province": "COUNT(*)",
        "catalog_certification": "COALESCE(SUM(id), 0)",
        "matchmaking_cooperationprogramme_provinces": "COALESCE(SUM(id), 0)",
    }
    sql = "SELECT " + ", ".join(f"(SELECT {expr} FROM {table})" for table, expr in tables.items())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _build_reference() -> Reference:
    categories = list(
        ProductCategory.objects.order_by("pk").values_list("pk", "parent_id", "name", "name_en")
    )
    category_index = {pk: i for i, (pk, *_rest) in enumerate(categories)}
    parent = [category_index.get(p, -1) if p else -1 for _, p, _, _ in categories]

    provinces = list(
        Province.objects.order_by("pk").values_list(
            "pk",
            "name",
            "name_en",
            "latitude",
            "longitude",
            "region_id",
            "region__name",
            "region__name_en",
        )
    )
    province_index = {row[0]: i for i, row in enumerate(provinces)}
    region_ids = sorted({row[5] for row in provinces})
    region_pos = {rid: i for i, rid in enumerate(region_ids)}
    region_names = dict.fromkeys(region_ids, ("", ""))
    for row in provinces:
        region_names[row[5]] = (row[6], row[7])

    n = len(provinces)
    programme = np.full((n, n), -1, dtype=np.int16)
    programme_names: list[str] = []
    programme_names_en: list[str] = []
    members: dict[int, list[int]] = defaultdict(list)
    through = CooperationProgramme.provinces.through.objects.values_list(
        "cooperationprogramme_id", "province_id"
    )
    for programme_id, province_id in through:
        if province_id in province_index:
            members[programme_id].append(province_index[province_id])
    for programme_obj in CooperationProgramme.objects.order_by("pk"):
        idx = len(programme_names)
        programme_names.append(programme_obj.name)
        programme_names_en.append(programme_obj.name_en)
        cells = np.array(members.get(programme_obj.pk, []), dtype=np.intp)
        if len(cells):
            block = programme[np.ix_(cells, cells)]
            block[block < 0] = idx
            programme[np.ix_(cells, cells)] = block

    certs = list(Certification.objects.order_by("pk").values_list("pk", "name", "name_en")[:64])
    cert_bit = {pk: i for i, (pk, _, _) in enumerate(certs)}

    context = records.Context(
        parent=np.array(parent, dtype=np.int32),
        category_names=[c[2] for c in categories],
        category_names_en=[c[3] for c in categories],
        province_lat=np.array([p[3] for p in provinces]),
        province_lon=np.array([p[4] for p in provinces]),
        province_names=[p[1] for p in provinces],
        province_names_en=[p[2] for p in provinces],
        programme=programme,
        programme_names=programme_names,
        programme_names_en=programme_names_en,
        province_region=np.array([region_pos[p[5]] for p in provinces], dtype=np.int16),
        region_names=[region_names[r][0] for r in region_ids],
        region_names_en=[region_names[r][1] for r in region_ids],
        cert_names=[(c[1], c[2]) for c in certs],
    )
    return Reference(
        category_index=category_index,
        category_ids=[c[0] for c in categories],
        province_index=province_index,
        cert_bit=cert_bit,
        context=context,
    )


# --- listings as engine tables ------------------------------------------------------------------

_COLUMNS = (
    "pk",
    "organization_id",
    "category_id",
    "product_id",
    "province_id",
    "unit__dimension",
    "unit__factor",
    "quantity_base",
    "min_order_base",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "ocop_stars",
    "min_ocop_stars",
    "product__ocop_stars",
    "organization__verified",
    "title",
    "product__name",
    "product__name_en",
    "category__name",
    "category__name_en",
    "status",
    "hidden",
    "match_features__text_key",
    "match_features__sig_lo",
    "match_features__sig_hi",
)


def _to_signed(value: int) -> int:
    return value - 2**64 if value >= 2**63 else value


def organization_history() -> dict[int, tuple[int, int]]:
    """(accepted, declined) proposals per organization (cached briefly)."""
    return _cached("history", _organization_history)


def _organization_history(org_ids=None) -> dict[int, tuple[int, int]]:
    """(accepted, declined) proposals per organization: trust grows with answered matches."""
    accepted: dict[int, int] = defaultdict(int)
    declined: dict[int, int] = defaultdict(int)
    for side in ("supply", "demand"):
        field = f"{side}__organization_id"
        rows = Match.objects.filter(status=Match.Status.CONNECTED)
        if org_ids is not None:
            rows = rows.filter(**{f"{field}__in": org_ids})
        for org_id, n in rows.values_list(field).annotate(n=Count("pk")).values_list(field, "n"):
            accepted[org_id] += n
        # An organization whose listing was declined by the other side.
        other = "demand" if side == "supply" else "supply"
        rows = Match.objects.filter(status=Match.Status.DECLINED, declined_by_side=other)
        if org_ids is not None:
            rows = rows.filter(**{f"{field}__in": org_ids})
        for org_id, n in rows.values_list(field).annotate(n=Count("pk")).values_list(field, "n"):
            declined[org_id] += n
    return {k: (accepted.get(k, 0), declined.get(k, 0)) for k in {*accepted, *declined}}


def build_table(
    queryset, ref: Reference, *, side: str, history: dict[int, tuple[int, int]] | None = None
) -> records.ListingTable:
    """The engine table of the listings in ``queryset`` (one SQL query plus one for certs)."""
    rows = list(queryset.order_by().values_list(*_COLUMNS))
    n = len(rows)
    if history is None:
        history = organization_history()
    cert_masks: dict[int, int] = defaultdict(int)
    if rows:
        through = Listing.certifications.through.objects.filter(
            listing_id__in=queryset.order_by().values("pk")
        ).values_list("listing_id", "certification_id")
        for listing_id, cert_id in through:
            bit = ref.cert_bit.get(cert_id)
            if bit is not None:
                cert_masks[listing_id] |= 1 << bit
    is_supply = side == Listing.Side.SUPPLY
    # Verified certificates prove schemes too (matchmaking.services.certificates).
    proven = (
        certificates.verified_scheme_bits(((r[0], r[1], r[2]) for r in rows), ref.cert_bit)
        if is_supply
        else {}
    )
    # An OCOP rating older than 36 months holds no stars (catalog.ocop).
    stale_ocop = (
        set(queryset.order_by().stale_ocop().values_list("pk", flat=True)) if is_supply else set()
    )
    cols: dict[str, list] = {name: [None] * n for name in records._COLUMNS if name != "name_sig"}
    sigs = np.zeros((n, 2), dtype=np.uint64)
    missing: list[tuple[int, int, str, str]] = []
    trust_cache: dict[tuple, float] = {}
    for i, row in enumerate(rows):
        (
            pk,
            org,
            cat,
            prod,
            prov,
            dim,
            factor,
            qty,
            min_order,
            p_min,
            p_max,
            start,
            end,
            stars,
            min_stars,
            product_stars,
            verified,
            title,
            prod_name,
            prod_name_en,
            cat_name,
            cat_name_en,
            status,
            hidden,
            text_key,
            sig_lo,
            sig_hi,
        ) = row
        factor = float(factor)
        if pk in stale_ocop:
            stars = product_stars = None
        ocop = (stars or product_stars or 0) if is_supply else (min_stars or 0)
        accepted, declined = history.get(org, (0, 0))
        key = (verified, stars or product_stars or 0, accepted, declined)
        if key not in trust_cache:
            trust_cache[key] = trust_score(verified, key[1], accepted, declined)
        cols["id"][i] = pk
        cols["org"][i] = org
        cols["category"][i] = ref.category_index[cat]
        cols["product"][i] = prod if prod is not None else -1
        cols["province"][i] = ref.province_index[prov]
        cols["dimension"][i] = DIMENSIONS[dim]
        cols["qty"][i] = float(qty)
        cols["min_order"][i] = float(min_order) if min_order is not None else 0.0
        cols["price_min"][i] = p_min / factor if p_min is not None else np.nan
        cols["price_max"][i] = p_max / factor if p_max is not None else np.nan
        cols["start"][i] = start.toordinal()
        cols["end"][i] = end.toordinal()
        cols["certs"][i] = cert_masks.get(pk, 0) | proven.get(pk, 0)
        cols["ocop"][i] = ocop
        cols["trust"][i] = min(
            1.0,
            trust_cache[key]
            + certificates.verified_trust_bonus(cert_masks.get(pk, 0), proven.get(pk, 0)),
        )
        cols["open"][i] = status == Listing.Status.OPEN and not hidden
        text = listing_text(title, prod_name, prod_name_en, cat_name, cat_name_en)
        key = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
        if key == text_key:
            sigs[i] = (sig_lo & 0xFFFFFFFFFFFFFFFF, sig_hi & 0xFFFFFFFFFFFFFFFF)
        else:
            missing.append((i, pk, key, text))
    if missing:
        computed = signatures([text for *_, text in missing])
        sigs[[i for i, *_ in missing]] = computed
        _store_features(
            [
                (pk, key, int(lo), int(hi))
                for (_, pk, key, _), (lo, hi) in zip(missing, computed.tolist(), strict=True)
            ]
        )
    return records.ListingTable(name_sig=sigs, **cols)


def _store_features(rows: list[tuple[int, str, int, int]]) -> None:
    """Keep computed signatures (upsert); a listing deleted meanwhile is skipped."""
    from matchmaking.models import ListingFeatures

    objs = [
        ListingFeatures(listing_id=pk, text_key=key, sig_lo=_to_signed(lo), sig_hi=_to_signed(hi))
        for pk, key, lo, hi in rows
    ]
    try:
        with transaction.atomic():
            ListingFeatures.objects.bulk_create(
                objs,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["listing"],
                update_fields=["text_key", "sig_lo", "sig_hi"],
            )
    except IntegrityError:  # a listing vanished between reading and writing: next time
        log.info("listing features not stored; a listing was deleted meanwhile")


def open_listings(side: str):
    return Listing.objects.filter(side=side, status=Listing.Status.OPEN, hidden=False)


class MarketCache:
    """The open listings of both sides as engine tables, kept in this process's memory.

    Loading 100k listings takes seconds; a saved listing must be matched in milliseconds.
    So a worker loads the market once and then, on each use, reads only the listings changed
    since its last look (by ``updated_at``, with a 10-second margin for transactions that committed
    late), patching its tables in place. Trust scores and everything else are reloaded in
    full every ``FULL_RELOAD_SECONDS`` and whenever the reference data changes.
    """

    FULL_RELOAD_SECONDS = 600
    MARGIN = datetime.timedelta(seconds=10)

    def __init__(self) -> None:
        self.tables: dict[str, records.ListingTable] = {}
        self.positions: dict[str, dict[int, int]] = {}
        self.watermark: datetime.datetime | None = None
        self.loaded_at = 0.0
        self.fingerprint: tuple | None = None

    def get(self, ref: Reference) -> tuple[records.ListingTable, records.ListingTable]:
        fingerprint = _cache.get("reference", (0, (None,)))[1][0]
        stale = (
            not self.tables
            or fingerprint != self.fingerprint
            or time.monotonic() - self.loaded_at > self.FULL_RELOAD_SECONDS
        )
        if stale:
            self._load(ref, fingerprint)
        else:
            self._refresh(ref)
        return self.tables[Listing.Side.SUPPLY], self.tables[Listing.Side.DEMAND]

    def _load(self, ref: Reference, fingerprint) -> None:
        self.watermark = timezone.now() - self.MARGIN
        history = organization_history()
        for side in (Listing.Side.SUPPLY, Listing.Side.DEMAND):
            table = build_table(open_listings(side), ref, side=side, history=history)
            self.tables[side] = table
            self.positions[side] = {int(v): i for i, v in enumerate(table.id)}
        self.loaded_at = time.monotonic()
        self.fingerprint = fingerprint

    def _refresh(self, ref: Reference) -> None:
        since = self.watermark
        self.watermark = timezone.now() - self.MARGIN
        changed = Listing.objects.filter(updated_at__gte=since)
        history = organization_history()
        for side in (Listing.Side.SUPPLY, Listing.Side.DEMAND):
            fresh = build_table(changed.filter(side=side), ref, side=side, history=history)
            if len(fresh):
                self._patch(side, fresh)

    def _patch(self, side: str, fresh: records.ListingTable) -> None:
        table, positions = self.tables[side], self.positions[side]
        names = list(records._COLUMNS)
        known = [i for i, v in enumerate(fresh.id.tolist()) if v in positions]
        if known:
            rows = np.array([positions[int(fresh.id[i])] for i in known], dtype=np.intp)
            for name in names:
                getattr(table, name)[rows] = getattr(fresh, name)[known]
        new = [i for i, v in enumerate(fresh.id.tolist()) if v not in positions]
        if new:
            extra = fresh.take(np.array(new, dtype=np.intp))
            start = len(table)
            table = records.ListingTable(
                **{n: np.concatenate([getattr(table, n), getattr(extra, n)]) for n in names}
            )
            for offset, listing_id in enumerate(extra.id.tolist()):
                positions[int(listing_id)] = start + offset
            self.tables[side] = table


def warm_up() -> int:
    """Load the reference data and the open market into this process; returns listings."""
    supplies, demands = market_cache().get(load_reference())
    return len(supplies) + len(demands)


def market_cache() -> MarketCache:
    market = _cache.get("market")
    if market is None:
        market = (0.0, MarketCache())
        _cache["market"] = market
    return market[1]


def declined_pairs(queryset=None) -> np.ndarray:
    qs = queryset if queryset is not None else Match.objects.all()
    pairs = np.array(
        list(qs.filter(status=Match.Status.DECLINED).values_list("supply_id", "demand_id")),
        dtype=np.int64,
    )
    return records.declined_keys(pairs)


# --- storing results -----------------------------------------------------------------------------


@dataclass
class StoreCounts:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    new_ids: list[int] | None = None
    new_pairs: list[tuple[int, int]] = field(default_factory=list)


def _rows(result, supplies: records.ListingTable, demands: records.ListingTable):
    s_ids = supplies.id[result.supply_idx]
    d_ids = demands.id[result.demand_idx]
    factors = np.round(result.factors.astype(np.float64), 4)
    scores = np.round(result.score.astype(np.float64), 4)
    qty = np.round(result.suggested_qty, 3)
    for i in range(len(result)):
        yield (int(s_ids[i]), int(d_ids[i]), float(scores[i]), factors[i].tolist(), float(qty[i]))


def store_result(
    *,
    run: MatchRun,
    result,
    supplies: records.ListingTable,
    demands: records.ListingTable,
    scope_supply_ids=None,
    scope_demand_ids=None,
    withdraw_keys: set[tuple[int, int]] = frozenset(),
) -> StoreCounts:
    """Upsert proposals and withdraw pending ones that no longer qualify.

    New pairs are inserted as ``proposed``; pending pairs get their new score and quantity;
    a withdrawn pair that qualifies again is proposed again; declined, expired and connected
    pairs are left as they are.
    """
    rows = list(_rows(result, supplies, demands))
    counts = StoreCounts(new_ids=[])
    now = timezone.now()
    due = review_deadline(now)
    if connection.vendor == "postgresql":
        _upsert_postgres(run, rows, now, due, counts)
    else:
        _upsert_portable(run, rows, now, due, counts)
    for supply_id, demand_id in withdraw_keys:
        counts.withdrawn += _withdraw(supply_id=supply_id, demand_id=demand_id, run=run)
    return counts


def _upsert_postgres(run, rows, now, due, counts: StoreCounts) -> None:
    import json

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS tmp_match_upsert ("
            " supply_id bigint, demand_id bigint, score double precision, factors jsonb,"
            " qty numeric(20,3)) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE tmp_match_upsert")
        raw = cursor.cursor
        with raw.copy(
            "COPY tmp_match_upsert (supply_id, demand_id, score, factors, qty) FROM STDIN"
        ) as copy:
            for s, d, score, factors, qty in rows:
                copy.write_row((s, d, score, json.dumps(factors), qty))
        cursor.execute(
            """
            INSERT INTO matchmaking_match AS m (
                supply_id, demand_id, score, factors, suggested_quantity, status, origin,
                engine_version, hidden, explanation, decline_reason, decline_note,
                declined_by_side, respond_by, last_run_id, created_at, updated_at)
            SELECT t.supply_id, t.demand_id, t.score, t.factors, t.qty, 'proposed', 'engine',
                   %(version)s, false, '[]'::jsonb, '', '', '', %(due)s, %(run)s, %(now)s, %(now)s
            FROM tmp_match_upsert t
            ON CONFLICT (supply_id, demand_id) DO UPDATE SET
                score = EXCLUDED.score,
                factors = EXCLUDED.factors,
                suggested_quantity = EXCLUDED.suggested_quantity,
                engine_version = EXCLUDED.engine_version,
                last_run_id = EXCLUDED.last_run_id,
                updated_at = EXCLUDED.updated_at,
                status = CASE WHEN m.status = 'withdrawn' THEN 'proposed' ELSE m.status END,
                respond_by = CASE WHEN m.status = 'withdrawn' THEN EXCLUDED.respond_by
                                  ELSE m.respond_by END
            WHERE m.status IN ('proposed', 'accepted_by_supply', 'accepted_by_demand',
                               'withdrawn')
              AND m.origin = 'engine'
            RETURNING m.id, (xmax = 0) AS inserted, m.supply_id, m.demand_id
            """,
            {"version": engine.ENGINE_VERSION, "due": due, "run": run.pk, "now": now},
        )
        for match_id, inserted, supply_id, demand_id in cursor.fetchall():
            if inserted:
                counts.created += 1
                counts.new_ids.append(match_id)
                counts.new_pairs.append((supply_id, demand_id))
            else:
                counts.updated += 1
        cursor.execute("TRUNCATE tmp_match_upsert")


def _upsert_portable(run, rows, now, due, counts: StoreCounts) -> None:
    """SQLite (the embedded run): the same rules through the ORM, fine for small markets."""
    existing = {}
    keys = [(s, d) for s, d, *_ in rows]
    supply_ids = {s for s, _ in keys}
    for m in Match.objects.filter(supply_id__in=supply_ids).only(
        "pk", "supply_id", "demand_id", "status", "origin"
    ):
        existing[(m.supply_id, m.demand_id)] = m
    to_create, to_update = [], []
    for s, d, score, factors, qty in rows:
        match = existing.get((s, d))
        if match is None:
            to_create.append(
                Match(
                    supply_id=s,
                    demand_id=d,
                    score=score,
                    factors=factors,
                    suggested_quantity=Decimal(str(qty)),
                    engine_version=engine.ENGINE_VERSION,
                    respond_by=due,
                    last_run=run,
                )
            )
            continue
        if match.origin != Match.Origin.ENGINE or match.status not in (
            *PENDING,
            Match.Status.WITHDRAWN,
        ):
            continue
        match.score, match.factors = score, factors
        match.suggested_quantity = Decimal(str(qty))
        match.engine_version, match.last_run, match.updated_at = engine.ENGINE_VERSION, run, now
        if match.status == Match.Status.WITHDRAWN:
            match.status, match.respond_by = Match.Status.PROPOSED, due
        to_update.append(match)
    created = Match.objects.bulk_create(to_create, batch_size=500)
    counts.new_pairs.extend((m.supply_id, m.demand_id) for m in created)
    Match.objects.bulk_update(
        to_update,
        [
            "score",
            "factors",
            "suggested_quantity",
            "engine_version",
            "last_run",
            "updated_at",
            "status",
            "respond_by",
        ],
        batch_size=500,
    )
    counts.created += len(created)
    counts.updated += len(to_update)
    counts.new_ids.extend(m.pk for m in created)


def _withdraw(*, supply_id: int, demand_id: int, run: MatchRun) -> int:
    """Withdraw a pending engine proposal through the review service (audit, notices)."""
    from matchmaking.services import review

    match = Match.objects.filter(
        supply_id=supply_id, demand_id=demand_id, status__in=PENDING, origin=Match.Origin.ENGINE
    ).first()
    if match is None:
        return 0
    review.match_withdraw(match=match, reason=f"no longer qualifies (run {run.pk})")
    return 1


def _announce(new_ids: list[int]) -> None:
    """Notify both sides of new proposals; emails go out as one digest per organization."""
    if not new_ids:
        return
    matches = Match.objects.filter(pk__in=new_ids).select_related("supply", "demand")
    notifications.notify_new_proposals(matches)
    from matchmaking import tasks

    transaction.on_commit(lambda: _safe_delay(tasks.send_digests))


def _safe_delay(task, *args) -> None:
    try:
        task.apply_async(args=list(args), retry=False)
    except Exception:  # the broker being down must not undo stored matches
        log.warning("could not enqueue %s", task.name, exc_info=True)


# --- one listing -------------------------------------------------------------------------------


def match_listing(*, listing_id: int) -> dict:
    """Propose matches for one listing; withdraw its pending ones that no longer qualify."""
    started = time.perf_counter()
    listing = (
        Listing.objects.select_related("unit", "category", "organization")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        return {"listing": listing_id, "skipped": "deleted"}
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.LISTING,
        listing=listing,
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now(),
        weights=settings.MATCHING["WEIGHTS"],
        engine_version=engine.ENGINE_VERSION,
    )
    try:
        with transaction.atomic():
            counts = _match_listing(listing, run)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    Listing.objects.filter(pk=listing.pk).update(matched_at=timezone.now())
    return {
        "listing": listing_id,
        "run": run.pk,
        "created": counts.created,
        "updated": counts.updated,
        "withdrawn": counts.withdrawn,
        "seconds": round(time.perf_counter() - started, 4),
    }


def _match_listing(listing: Listing, run: MatchRun) -> StoreCounts:
    own_side = listing.side
    counter_side = Listing.Side.DEMAND if listing.is_supply else Listing.Side.SUPPLY
    pending = list(
        Match.objects.for_listing(listing.pk)
        .filter(status__in=PENDING, origin=Match.Origin.ENGINE)
        .values_list("supply_id", "demand_id")
    )
    if listing.status != Listing.Status.OPEN or listing.hidden:
        withdrawn = sum(_withdraw(supply_id=s, demand_id=d, run=run) for s, d in pending)
        _finish_run(run, withdrawn=withdrawn, listings=1)
        return StoreCounts(withdrawn=withdrawn, new_ids=[])

    t0 = time.perf_counter()
    own_filter = {"supply_id": listing.pk} if listing.is_supply else {"demand_id": listing.pk}
    ref = load_reference(declined=declined_pairs(Match.objects.filter(**own_filter)))
    supplies_all, demands_all = market_cache().get(ref)
    counter = supplies_all if counter_side == Listing.Side.SUPPLY else demands_all
    own = build_table(Listing.objects.filter(pk=listing.pk), ref, side=own_side)
    load_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    result = engine.match_one(own, own_side, counter, ref.context)
    engine_seconds = time.perf_counter() - t1
    chosen = result.demand_idx if listing.is_supply else result.supply_idx
    candidate_rows = np.unique(chosen)
    # Capacity and proposal slots already taken elsewhere, for the few candidates only;
    # if any is taken, decide again on just those candidates with it accounted for.
    t2 = time.perf_counter()
    counter_ids = counter.id[candidate_rows].tolist()
    busy = _busy(listing, counter_ids)
    if busy["any"]:
        counter = counter.take(candidate_rows)
        t3 = time.perf_counter()
        if listing.is_supply:
            result = engine.match_one(
                own,
                own_side,
                counter,
                ref.context,
                already_promised=busy["promised"].get(listing.pk, 0.0),
                supply_slots_used=busy["supply_slots"].get(listing.pk, 0),
                demand_slots_used=np.array(
                    [busy["demand_slots"].get(int(i), 0) for i in counter.id]
                ),
            )
        else:
            result = engine.match_one(
                own,
                own_side,
                counter,
                ref.context,
                already_promised=np.array([busy["promised"].get(int(i), 0.0) for i in counter.id]),
                supply_slots_used=np.array(
                    [busy["supply_slots"].get(int(i), 0) for i in counter.id]
                ),
                demand_slots_used=busy["demand_slots"].get(listing.pk, 0),
            )
        engine_seconds += time.perf_counter() - t3
    supplies, demands = (own, counter) if listing.is_supply else (counter, own)

    # Pending pairs of this listing that no longer pass the hard filters are withdrawn.
    proposed = set(
        zip(
            supplies.id[result.supply_idx].tolist(),
            demands.id[result.demand_idx].tolist(),
            strict=True,
        )
    )
    withdraw = set()
    check_s, check_d = (own, demands_all) if listing.is_supply else (supplies_all, own)
    todo = [(s, d) for s, d in pending if (s, d) not in proposed]
    s_pos = {int(v): i for i, v in enumerate(check_s.id)} if todo else {}
    d_pos = {int(v): i for i, v in enumerate(check_d.id)} if todo else {}
    for s, d in todo:
        if (s, d) in proposed:
            continue
        if s not in s_pos or d not in d_pos:
            withdraw.add((s, d))
            continue
        ok = hard_filter_mask(
            check_s, check_d, np.array([s_pos[s]]), np.array([d_pos[d]]), ref.context
        )
        if not bool(ok[0]):
            withdraw.add((s, d))

    counts = store_result(
        run=run, result=result, supplies=supplies, demands=demands, withdraw_keys=withdraw
    )
    _announce(counts.new_ids or [])
    db_seconds = time.perf_counter() - t2 + load_seconds
    _finish_run(
        run,
        created=counts.created,
        updated=counts.updated,
        withdrawn=counts.withdrawn,
        listings=1 + len(counter),
        pairs=int(result.stats.get("pairs_scored", 0)),
        engine_seconds=engine_seconds,
        db_seconds=db_seconds,
    )
    return counts


def _busy(listing: Listing, counter_ids: list[int]) -> dict:
    """Capacity promised and proposal slots used by other active proposals."""
    if listing.is_supply:
        supply_ids, demand_ids = [listing.pk], counter_ids
    else:
        supply_ids, demand_ids = counter_ids, [listing.pk]
    active = Match.objects.filter(status__in=Match.ACTIVE_STATUSES)
    promised: dict[int, float] = defaultdict(float)
    supply_slots: dict[int, int] = defaultdict(int)
    demand_slots: dict[int, int] = defaultdict(int)
    # Two queries, each on its own index, rather than one OR the planner may scan for.
    for supply_id, demand_id, qty in active.filter(supply_id__in=supply_ids).values_list(
        "supply_id", "demand_id", "suggested_quantity"
    ):
        if demand_id not in demand_ids:
            promised[supply_id] += float(qty)
            supply_slots[supply_id] += 1
    for supply_id, demand_id in active.filter(demand_id__in=demand_ids).values_list(
        "supply_id", "demand_id"
    ):
        if supply_id not in supply_ids:
            demand_slots[demand_id] += 1
    return {
        "any": bool(promised or demand_slots),
        "promised": promised,
        "supply_slots": supply_slots,
        "demand_slots": demand_slots,
    }


def _finish_run(
    run: MatchRun,
    *,
    created=0,
    updated=0,
    withdrawn=0,
    listings=0,
    pairs=0,
    engine_seconds=0.0,
    db_seconds=0.0,
) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.DONE,
        proposals_created=created,
        proposals_updated=updated,
        proposals_withdrawn=withdrawn,
        listings_count=listings,
        candidate_pairs=pairs,
        engine_seconds=round(engine_seconds, 4),
        db_seconds=round(db_seconds, 4),
        finished_at=timezone.now(),
        chunks_total=1,
        chunks_done=1,
    )


# --- full re-match ------------------------------------------------------------------------------


def start_full_rematch(*, requested_by=None) -> MatchRun:
    """Create a full run and enqueue it after commit (runs inline in the embedded mode)."""
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.FULL,
        requested_by=requested_by,
        weights=settings.MATCHING["WEIGHTS"],
        engine_version=engine.ENGINE_VERSION,
    )
    from matchmaking import tasks

    transaction.on_commit(lambda: _enqueue_full(tasks, run.pk))
    return run


def _enqueue_full(tasks, run_id: int) -> None:
    try:
        tasks.run_full_rematch.apply_async(args=[run_id], retry=False)
    except Exception as exc:
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED,
            error=f"could not enqueue: {exc!r}"[:2000],
            finished_at=timezone.now(),
        )


def plan_full_rematch(*, run_id: int) -> list[list[int]]:
    """Chunks of category ids whose listings can only match each other (whole root subtrees).

    A supply's category lies in its demand's subtree, so two different root subtrees never
    share a pair: each chunk allocates its supplies' capacity completely on its own.
    """
    run = MatchRun.objects.get(pk=run_id)
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    ref = load_reference()
    counts = dict(
        Listing.objects.filter(status=Listing.Status.OPEN, hidden=False)
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    by_root: dict[int, list[int]] = defaultdict(list)
    weight: dict[int, int] = defaultdict(int)
    for category_id in ref.category_ids:
        root = ref.root_of(category_id)
        by_root[root].append(category_id)
        weight[root] += counts.get(category_id, 0)
    chunks = [by_root[root] for root in sorted(by_root, key=lambda r: -weight[r]) if weight[root]]
    total = Listing.objects.filter(status=Listing.Status.OPEN, hidden=False).count()
    MatchRun.objects.filter(pk=run.pk).update(chunks_total=len(chunks), listings_count=total)
    return chunks


def run_chunk(*, run_id: int, category_ids: list[int]) -> dict:
    run = MatchRun.objects.get(pk=run_id)
    t0 = time.perf_counter()
    ref = load_reference(
        declined=declined_pairs(Match.objects.filter(supply__category_id__in=category_ids))
    )
    history = organization_history()
    supplies_qs = open_listings(Listing.Side.SUPPLY).filter(category_id__in=category_ids)
    demands_qs = open_listings(Listing.Side.DEMAND).filter(category_id__in=category_ids)
    supplies = build_table(supplies_qs, ref, side=Listing.Side.SUPPLY, history=history)
    demands = build_table(demands_qs, ref, side=Listing.Side.DEMAND, history=history)
    # Connected deals keep their quantity; pending ones are re-decided by this run.
    connected = defaultdict(float)
    for supply_id, qty in Match.objects.filter(
        supply__category_id__in=category_ids, status=Match.Status.CONNECTED
    ).values_list("supply_id", "suggested_quantity"):
        connected[supply_id] += float(qty)
    already = np.array([connected.get(int(i), 0.0) for i in supplies.id], dtype=np.float64)
    load_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    result = engine.match_full(supplies, demands, ref.context, already_promised=already)
    engine_seconds = time.perf_counter() - t1

    t2 = time.perf_counter()
    with transaction.atomic():
        counts = store_result(run=run, result=result, supplies=supplies, demands=demands)
        withdrawn = _withdraw_unqualified(run, category_ids, supplies, demands, ref)
        _announce_counts(counts.new_pairs, supplies, demands)
        MatchRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1,
            candidate_pairs=F("candidate_pairs") + int(result.stats.get("pairs_scored", 0)),
            proposals_created=F("proposals_created") + counts.created,
            proposals_updated=F("proposals_updated") + counts.updated,
            proposals_withdrawn=F("proposals_withdrawn") + withdrawn,
            engine_seconds=F("engine_seconds") + engine_seconds,
            db_seconds=F("db_seconds") + (time.perf_counter() - t2) + load_seconds,
        )
    return {
        "run": run_id,
        "created": counts.created,
        "updated": counts.updated,
        "withdrawn": withdrawn,
        "pairs": int(result.stats.get("pairs_scored", 0)),
    }


def _withdraw_unqualified(run, category_ids, supplies, demands, ref) -> int:
    """Pending engine proposals in this chunk whose pair fails a hard filter now."""
    pending = list(
        Match.objects.filter(
            supply__category_id__in=category_ids,
            status__in=PENDING,
            origin=Match.Origin.ENGINE,
        ).values_list("supply_id", "demand_id")
    )
    if not pending:
        return 0
    s_pos = {int(v): i for i, v in enumerate(supplies.id)}
    d_pos = {int(v): i for i, v in enumerate(demands.id)}
    candidates = [(s, d) for s, d in pending if s in s_pos and d in d_pos]
    gone = [(s, d) for s, d in pending if s not in s_pos or d not in d_pos]
    if candidates:
        s_idx = np.array([s_pos[s] for s, _ in candidates], dtype=np.intp)
        d_idx = np.array([d_pos[d] for _, d in candidates], dtype=np.intp)
        ok = hard_filter_mask(supplies, demands, s_idx, d_idx, ref.context)
        gone.extend(pair for pair, good in zip(candidates, ok.tolist(), strict=True) if not good)
    return sum(_withdraw(supply_id=s, demand_id=d, run=run) for s, d in gone)


def _announce_counts(
    new_pairs, supplies: records.ListingTable, demands: records.ListingTable
) -> None:
    """A full run may create thousands of proposals: one notification per member and
    organization ("12 new proposals"), counted from the tables, not one per match."""
    if not new_pairs:
        return
    from accounts.models import Membership
    from matchmaking.models import Notification

    org_of = dict(zip(supplies.id.tolist(), supplies.org.tolist(), strict=True))
    org_of.update(zip(demands.id.tolist(), demands.org.tolist(), strict=True))
    per_org: dict[int, int] = defaultdict(int)
    for supply_id, demand_id in new_pairs:
        per_org[org_of[supply_id]] += 1
        per_org[org_of[demand_id]] += 1
    members = Membership.objects.filter(
        organization_id__in=list(per_org), user__is_active=True
    ).values_list("organization_id", "user_id")
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                organization_id=org_id,
                kind=Notification.Kind.NEW_PROPOSALS,
                message=f"{per_org[org_id]} đề xuất kết nối mới đang chờ bạn xem xét.",
                message_en=f"{per_org[org_id]} new proposed matches are waiting for your review.",
            )
            for org_id, user_id in members
        ],
        batch_size=1000,
    )
    from matchmaking import tasks

    transaction.on_commit(lambda: _safe_delay(tasks.send_digests))


def finish_full_rematch(*, run_id: int) -> dict:
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.FAILED:
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.DONE, finished_at=timezone.now()
        )
        # Mark what this run covered, so the sweep does not match it again; rows already
        # marked since their last change are left alone (an update of every row is costly).
        Listing.objects.filter(
            status=Listing.Status.OPEN, hidden=False, updated_at__lt=run.started_at
        ).filter(Q(matched_at__isnull=True) | Q(matched_at__lt=F("updated_at"))).update(
            matched_at=timezone.now()
        )
    run.refresh_from_db()
    return {"run": run_id, "status": run.status, "created": run.proposals_created}


def sweep_unmatched(*, older_than_seconds: int = 60) -> int:
    """Enqueue matching for open listings saved but never matched since (broker outage)."""
    from matchmaking import tasks

    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        Listing.objects.filter(status=Listing.Status.OPEN, hidden=False, updated_at__lt=cutoff)
        .filter(Q(matched_at__isnull=True) | Q(matched_at__lt=F("updated_at")))
        .values_list("pk", flat=True)[:1000]
    )
    for listing_id in ids:
        tasks.match_listing.apply_async(args=[listing_id])
    return len(ids)


def organizations_of(user) -> list[int]:
    return list(Organization.objects.for_user(user).values_list("pk", flat=True))
