"""The matching benchmark: a synthetic market in the configured database, measured end to end.

Used by ``manage.py bench_matching``; the market itself is ``market.py``. Everything it creates
is marked (organization names start with ``BENCH``, category slugs with ``bench-``) and is
removed by the next run or ``--clean``.
"""

from __future__ import annotations

import datetime
import multiprocessing
import resource
import time
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import Organization
from catalog.models import Certification, ProductCategory, Province, Unit
from catalog.text import search_blob
from core.actors import SYSTEM
from listings import search
from listings import services as listing_services
from listings.models import Listing
from matchmaking.benchmarks import catalogue as synthetic_catalogue
from matchmaking.benchmarks import market as synthetic
from matchmaking.benchmarks.geography import PROVINCES
from matchmaking.engine.records import COUNT, MASS, day_number
from matchmaking.models import (
    ListingFeatures,
    ListingMatchState,
    Match,
    MatchRun,
    MatchTransition,
    Notification,
    Pool,
    PoolMember,
)
from matchmaking.services import market, reference, rematch

BENCH_ORG = "BENCH "
BENCH_SLUG = "bench-"
UNIT_FOR = {MASS: "kg", COUNT: "piece"}


def peak_rss_mib() -> float:
    """Peak resident memory of this process and its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


@dataclass
class Report:
    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, value) -> None:
        self.lines.append((name, str(value)))

    def render(self) -> str:
        width = max(len(n) for n, _ in self.lines)
        return "\n".join(f"  {n.ljust(width)}  {v}" for n, v in self.lines)


# --- building the market ------------------------------------------------------------------------


def clear_proposals() -> None:
    """Remove the benchmark's proposals (matches, pools and what hangs on them), keeping the
    market: the next full re-match then inserts afresh, as on a newly built market."""
    bench_listings = Listing.objects.filter(organization__name__startswith=BENCH_ORG)
    bench_matches = Match.objects.filter(supply__in=bench_listings) | Match.objects.filter(
        demand__in=bench_listings
    )
    PoolMember.objects.filter(pool__demand__in=bench_listings)._raw_delete(connection.alias)
    PoolMember.objects.filter(supply__in=bench_listings)._raw_delete(connection.alias)
    Pool.objects.filter(demand__in=bench_listings)._raw_delete(connection.alias)
    Notification.objects.filter(match__in=bench_matches)._raw_delete(connection.alias)
    Notification.objects.filter(organization__name__startswith=BENCH_ORG)._raw_delete(
        connection.alias
    )
    MatchTransition.objects.filter(match__in=bench_matches)._raw_delete(connection.alias)
    Match.history.model.objects.filter(supply_id__in=bench_listings.values("pk"))._raw_delete(
        connection.alias
    )
    for side in ("supply", "demand"):
        Match.objects.filter(**{f"{side}__in": bench_listings})._raw_delete(connection.alias)


def clean() -> None:
    """Remove everything an earlier benchmark created (raw deletes: it is a lot of rows)."""
    clear_proposals()
    bench_listings = Listing.objects.filter(organization__name__startswith=BENCH_ORG)
    MatchRun.objects.filter(listing__in=bench_listings).update(listing=None)
    Listing.certifications.through.objects.filter(listing__in=bench_listings)._raw_delete(
        connection.alias
    )
    Listing.history.model.objects.filter(
        organization_id__in=Organization.objects.filter(name__startswith=BENCH_ORG).values("pk")
    )._raw_delete(connection.alias)
    ListingFeatures.objects.filter(listing__in=bench_listings)._raw_delete(connection.alias)
    ListingMatchState.objects.filter(listing__in=bench_listings)._raw_delete(connection.alias)
    bench_listings._raw_delete(connection.alias)
    Organization.history.model.objects.filter(name__startswith=BENCH_ORG)._raw_delete(
        connection.alias
    )
    Organization.objects.filter(name__startswith=BENCH_ORG)._raw_delete(connection.alias)
    # Categories last: leaves first so parents are free.
    while True:
        leaves = ProductCategory.objects.filter(slug__startswith=BENCH_SLUG, children=None)
        if not leaves.exists():
            break
        leaves.delete()


def market_size() -> tuple[int, int]:
    """(supplies, demands) of the benchmark market in the database."""
    listings = Listing.objects.filter(organization__name__startswith=BENCH_ORG)
    return (
        listings.filter(side=Listing.Side.SUPPLY).count(),
        listings.filter(side=Listing.Side.DEMAND).count(),
    )


def _categories(catalogue) -> list[int]:
    """The synthetic tree as ProductCategory rows; returns their ids by synthetic index."""
    ids: list[int] = []
    for i, parent in enumerate(catalogue.parent.tolist()):
        category, _ = ProductCategory.objects.update_or_create(
            slug=f"{BENCH_SLUG}{i}",
            defaults={
                "name": catalogue.names[i],
                "name_en": catalogue.names_en[i],
                "parent_id": ids[parent] if parent >= 0 else None,
                "order": 900 + int(catalogue.level[i]),
            },
        )
        ids.append(category.pk)
    return ids


def _provinces() -> list[int]:
    """The seeded Province rows of the synthetic provinces (the same facts, by official code)."""
    by_code = dict(Province.objects.values_list("code", "pk"))
    missing = [p.name for p in PROVINCES if p.code not in by_code]
    if missing:
        raise RuntimeError(f"provinces {missing} are missing: run `manage.py seed` first")
    return [by_code[p.code] for p in PROVINCES]


def build_market(n_supply: int, n_demand: int, seed: int, out) -> dict:
    """Insert a synthetic market; returns counts. Uses bulk inserts, not the services."""
    today = timezone.localdate()
    supplies, demands, _ctx = synthetic.synthetic_market(
        n_supply, n_demand, seed=seed, today=day_number(today), declined_share=0.0
    )
    catalogue = synthetic_catalogue.build_catalogue(seed)
    category_ids = _categories(catalogue)
    province_ids = _provinces()
    units = {u.code: u for u in Unit.objects.all()}
    cert_by_bit = {}
    for bit, (code, *_rest) in enumerate(synthetic.CERTIFICATIONS):
        cert = Certification.objects.filter(code=code).first()
        if cert:
            cert_by_bit[bit] = cert.pk

    org_rows: dict[int, Organization] = {}
    for table, kind in ((supplies, "cooperative"), (demands, "distributor")):
        for org_id, prov in zip(table.org.tolist(), table.province.tolist(), strict=True):
            if org_id not in org_rows:
                org_rows[org_id] = Organization(
                    name=f"{BENCH_ORG}{org_id}",
                    kind=kind,
                    province_id=province_ids[prov],
                    search_text=f"bench {org_id}",
                )
    Organization.objects.bulk_create(list(org_rows.values()), batch_size=5000)
    org_pk = {k: o.pk for k, o in org_rows.items()}
    out(f"  {len(org_rows)} organizations")
    # The search document's place names, as listings.search writes them for a saved listing.
    places = {
        p.pk: [p.name, p.name_en, *(legacy.name for legacy in p.legacy_names.all())]
        for p in Province.objects.prefetch_related("legacy_names")
    }

    listing_count = 0
    for table, side in ((supplies, "supply"), (demands, "demand")):
        batch: list[Listing] = []
        cert_rows: list[tuple[int, list[int]]] = []
        for i in range(len(table)):
            dim = int(table.dimension[i])
            unit = units[UNIT_FOR.get(dim, "l")]
            cat = int(table.category[i])
            name = catalogue.names[cat]
            p_min, p_max = table.price_min[i], table.price_max[i]
            listing = Listing(
                side=side,
                organization_id=org_pk[int(table.org[i])],
                title=f"{name} #{int(table.id[i])}",
                category_id=category_ids[cat],
                quantity=Decimal(f"{table.qty[i]:.3f}"),
                unit=unit,
                quantity_base=Decimal(f"{table.qty[i]:.3f}"),
                min_order_quantity=(
                    Decimal(f"{table.min_order[i]:.3f}") if table.min_order[i] > 0 else None
                ),
                min_order_base=(
                    Decimal(f"{table.min_order[i]:.3f}") if table.min_order[i] > 0 else None
                ),
                price_min=int(p_min) if not np.isnan(p_min) else None,
                price_max=int(p_max) if not np.isnan(p_max) else None,
                province_id=province_ids[int(table.province[i])],
                available_from=datetime.date.fromordinal(int(table.start[i])),
                available_until=datetime.date.fromordinal(int(table.end[i])),
                ocop_stars=int(table.ocop[i]) if side == "supply" and table.ocop[i] else None,
                min_ocop_stars=(int(table.ocop[i]) if side == "demand" and table.ocop[i] else None),
                status=Listing.Status.OPEN if table.open[i] else Listing.Status.PAUSED,
                search_text=search_blob(name, catalogue.names_en[cat]),
                **search.document(
                    title=f"{name} #{int(table.id[i])}",
                    categories=[(name, catalogue.names_en[cat], ())],
                    places=[
                        *places[province_ids[int(table.province[i])]],
                        f"{BENCH_ORG}{int(table.org[i])}",
                    ],
                ),
            )
            if listing.price_min and listing.price_max and listing.price_min > listing.price_max:
                listing.price_min, listing.price_max = listing.price_max, listing.price_min
            batch.append(listing)
            bits = int(table.certs[i])
            cert_rows.append(
                (len(batch) - 1, [pk for b, pk in cert_by_bit.items() if bits >> b & 1])
            )
            if len(batch) == 5000 or i == len(table) - 1:
                Listing.objects.bulk_create(batch)
                ListingMatchState.objects.bulk_create(
                    [ListingMatchState(listing_id=x.pk, matched_at=timezone.now()) for x in batch]
                )
                through = Listing.certifications.through
                through.objects.bulk_create(
                    [
                        through(listing_id=batch[pos].pk, certification_id=cert)
                        for pos, certs in cert_rows
                        for cert in certs
                    ],
                    batch_size=10000,
                )
                listing_count += len(batch)
                batch, cert_rows = [], []
        out(f"  {len(table)} {side} listings")
    # Fresh statistics first: with the planner still counting the empty tables, reading the
    # 100k listings' certifications below became a nested loop of bitmap scans (minutes).
    analyze()
    # In use every listing's text signature is stored when it is saved and matched; store
    # them here too, so the full re-match is measured in that steady state.
    ref = reference.load_reference()
    for side in ("supply", "demand"):
        market.build_table(
            Listing.objects.filter(organization__name__startswith=BENCH_ORG, side=side),
            ref,
            side=side,
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE listings_listing")
            cursor.execute("ANALYZE matchmaking_match")
    return {"listings": listing_count, "organizations": len(org_rows)}


# --- measuring ----------------------------------------------------------------------------------


def _run_chunk_in_child(run_id: int, chunk: list[int]) -> dict:
    connections.close_all()
    return rematch.run_chunk(run_id=run_id, category_ids=chunk)


def full_rematch(processes: int) -> tuple[MatchRun, float]:
    """A full re-match, its chunks spread over ``processes`` forked workers.

    The same chunks a Celery chord sends to the workers; forking here measures the work
    without a broker's queueing in between.
    """
    started = time.perf_counter()
    run = MatchRun.objects.create(kind=MatchRun.Kind.FULL)
    chunks = rematch.plan_full_rematch(run_id=run.pk)
    if processes > 1 and connection.vendor == "postgresql":
        connections.close_all()
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes) as pool:
            pool.starmap(_run_chunk_in_child, [(run.pk, c) for c in chunks])
    else:
        for chunk in chunks:
            rematch.run_chunk(run_id=run.pk, category_ids=chunk)
    rematch.finish_full_rematch(run_id=run.pk)
    wall = time.perf_counter() - started
    run.refresh_from_db()
    return run, wall


def pool_figures() -> dict[str, str]:
    """How many pools the run formed, their members and coverage."""
    from django.db.models import Avg, Count

    pools = Pool.objects.filter(demand__organization__name__startswith=BENCH_ORG)
    agg = pools.aggregate(n=Count("pk"), cov=Avg("coverage"))
    members = PoolMember.objects.filter(pool__in=pools).count()
    n = agg["n"] or 0
    return {
        "pools formed": f"{n:,}",
        "pool members (mean)": f"{members / n:.2f}" if n else "-",
        "pool coverage (mean)": f"{(agg['cov'] or 0) * 100:.1f} %",
    }


def exposure_report(run: MatchRun) -> dict[str, float]:
    """Fair-exposure figures of the proposals a full run made (``engine.exposure``): share of
    open supplies with a proposal, Gini of proposals per supply, mean top-5 score per demand."""
    from matchmaking.engine.exposure import exposure_figures

    open_ids = list(
        Listing.objects.filter(
            side=Listing.Side.SUPPLY, status=Listing.Status.OPEN, hidden=False
        ).values_list("pk", flat=True)
    )
    rows = np.array(
        list(
            Match.objects.filter(last_run=run, status__in=Match.PENDING_STATUSES).values_list(
                "supply_id", "demand_id", "score"
            )
        ),
        dtype=np.float64,
    ).reshape(-1, 3)
    index = {pk: i for i, pk in enumerate(open_ids)}
    s_idx = np.array([index.get(int(pk), -1) for pk in rows[:, 0]], dtype=np.int64)
    keep = s_idx >= 0
    return exposure_figures(
        s_idx[keep],
        rows[keep, 1].astype(np.int64),
        rows[keep, 2],
        np.arange(len(open_ids)),
    )


def analyze() -> None:
    """What autovacuum does between two nightly runs, done now: dead rows of the last run
    removed and fresh planner statistics (``VACUUM ANALYZE``). This machine's PostgreSQL runs
    with ``autovacuum = off``: without this, every run measured on a kept market rewrote a
    table grown by the runs before it (1.9 GB for 200k matches after some twenty runs)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "accounts_organization",
                "listings_listing",
                "matchmaking_match",
                "matchmaking_pool",
                "matchmaking_poolmember",
                "matchmaking_listingfeatures",
                "listings_listing_certifications",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def single_listing_latency(samples: int, seed: int) -> list[float]:
    """Seconds from the commit of a new listing to its proposals being stored (eager task)."""
    rng = np.random.default_rng(seed)
    pool = list(
        Listing.objects.filter(
            organization__name__startswith=BENCH_ORG,
            status="open",
            available_until__gt=timezone.localdate(),
        )
        .order_by("?")
        .values_list("pk", flat=True)[: samples * 2]
    )
    rng.shuffle(pool)
    latencies = []
    for pk in pool[:samples]:
        template = Listing.objects.select_related("organization").get(pk=pk)
        with transaction.atomic():
            post_copy(template)
            before_commit = time.perf_counter()
        latencies.append(time.perf_counter() - before_commit)
    return latencies


def post_copy(template: Listing) -> Listing:
    """A new open listing like ``template`` (its title marked "(new)"), posted by the system
    through the service; the caller holds the transaction, so it times the commit."""
    fields = {
        name: getattr(template, name)
        for name in listing_services.EDITABLE_FIELDS
        if name != "status"
    }
    fields["title"] = f"{template.title} (new)"
    return listing_services.listing_create(
        organization=template.organization,
        side=template.side,
        by_user=SYSTEM,
        certifications=list(template.certifications.all()),
        status=Listing.Status.OPEN,
        **fields,
    )


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else float("nan")


def baseline(n_supply: int, n_demand: int, seed: int, out) -> dict:
    """The straightforward approach: one ORM query per demand, scoring in Python loops.

    No arrays, no batching: for every open demand, fetch its candidate supplies with the ORM,
    score each pair with plain Python, keep the best ten and save them one by one. It is the
    yardstick the engine is measured against.
    """
    from matchmaking.engine.factors import trust_score

    ref = reference.load_reference()
    ctx = ref.context
    weights = ctx.config.weight_vector
    started = time.perf_counter()
    pairs = 0
    saved = 0
    demands = Listing.objects.filter(
        organization__name__startswith=BENCH_ORG, side="demand", status="open"
    ).select_related("unit", "organization")
    for demand in demands.iterator():
        subtree = ref.subtree_ids(demand.category_id)
        required = set(demand.certifications.values_list("pk", flat=True))
        candidates = (
            Listing.objects.filter(
                side="supply",
                status="open",
                category_id__in=subtree,
                unit__dimension=demand.unit.dimension,
                available_until__gte=demand.available_from,
                available_from__lte=demand.available_until,
            )
            .exclude(organization_id=demand.organization_id)
            .select_related("organization", "unit")
        )
        scored = []
        for supply in candidates:
            pairs += 1
            held = set(supply.certifications.values_list("pk", flat=True))
            if not required <= held:
                continue
            if demand.min_ocop_stars and (supply.ocop_stars or 0) < demand.min_ocop_stars:
                continue
            s_qty, d_qty = float(supply.quantity_base), float(demand.quantity_base)
            a = ref.province_index[supply.province_id]
            b = ref.province_index[demand.province_id]
            km = float(ctx.distance_km[a, b])
            product = 0.85 if supply.category_id == demand.category_id else 0.7
            quantity = min(s_qty, d_qty) / d_qty if d_qty else 0.0
            price = 1.0
            if supply.price_min and demand.price_max and supply.price_min > demand.price_max:
                price = max(0.0, 1 - (supply.price_min - demand.price_max) / demand.price_max / 0.5)
            distance = max(0.2, 1 - km / 1500)
            programme = 1.0 if ctx.programme[a, b] >= 0 else 0.0
            overlap = (
                min(supply.available_until, demand.available_until)
                - max(supply.available_from, demand.available_from)
            ).days + 1
            window = (demand.available_until - demand.available_from).days + 1
            timing = max(0.0, min(1.0, overlap / window))
            trust = (
                trust_score(supply.organization.verified, supply.ocop_stars or 0, 0, 0)
                + trust_score(demand.organization.verified, 0, 0, 0)
            ) / 2
            values = [product, quantity, price, distance, programme, timing, trust]
            score = sum(w * v for w, v in zip(weights, values, strict=True))
            if score >= ctx.config.min_score:
                scored.append((score, supply, min(s_qty, d_qty), values))
        scored.sort(key=lambda item: -item[0])
        for score, supply, qty, values in scored[:10]:
            Match.objects.update_or_create(
                supply=supply,
                demand=demand,
                defaults={
                    "score": score,
                    "factors": values,
                    "suggested_quantity": Decimal(f"{qty:.3f}"),
                },
            )
            saved += 1
    wall = time.perf_counter() - started
    return {"wall": wall, "pairs": pairs, "saved": saved}
