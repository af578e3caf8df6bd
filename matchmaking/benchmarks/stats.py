"""``manage.py bench_stats``: the outcome figures on a big market, p50/p95 of the API and page.

The market (``--listings`` listings, ``--matches`` matches, ``--deals`` deals with contracts,
deliveries and lost reasons, spread over 18 months and the 34 provinces) is written by SQL
``INSERT … SELECT`` over ``generate_series`` in a few seconds, not through the services: the
figures only read rows. Everything it creates is marked (organization names start with
:data:`ORG_PREFIX`) and reused by the next run when the sizes match, removed by ``--clean``.

Each request is timed in this process through Django's test client, after a warm-up: the
server's whole work (middleware, form, queries, serializer or template), without a network or a
web server in front. The officers' figures are timed twice: as served while no counted row
changes (from the cache, ``selectors_stats.outcome_figures``), and after each kind of write in
:data:`WRITES` — a real write to a random counted row before each request, so each one counts
again the part of the figures that row is in — and with nothing counted yet (a cleared cache:
every part counted, as for a new combination of filters).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Organization
from catalog.models import ProductCategory, Province, Unit
from listings.models import Listing
from matchmaking.models import CooperationProgramme, Deal, Delivery, Match
from matchmaking.selectors_programmes import cache_key

ORG_PREFIX = "bench-stats "
OFFICER = "bench-stats-officer"
KINDS = ("cooperative", "producer", "processor", "distributor", "retailer", "exporter")
SUPPLIER_KINDS = ("cooperative", "producer", "processor")


def bench_listings():
    return Listing.objects.filter(organization__name__startswith=ORG_PREFIX)


def size() -> dict:
    listings = bench_listings()
    matches = Match.objects.filter(supply__in=listings.values("pk"))
    return {
        "listings": listings.count(),
        "matches": matches.count(),
        "deals": Deal.objects.filter(match__in=matches.values("pk")).count(),
    }


def clean() -> None:
    with connection.cursor() as cur:
        orgs = "SELECT id FROM accounts_organization WHERE name LIKE %s"
        listings = f"SELECT id FROM listings_listing WHERE organization_id IN ({orgs})"
        matches = f"SELECT id FROM matchmaking_match WHERE supply_id IN ({listings})"
        deals = f"SELECT id FROM matchmaking_deal WHERE match_id IN ({matches})"
        like = [ORG_PREFIX + "%"]
        cur.execute(f"DELETE FROM matchmaking_delivery WHERE deal_id IN ({deals})", like)
        cur.execute(f"DELETE FROM matchmaking_dealevent WHERE deal_id IN ({deals})", like)
        cur.execute(f"DELETE FROM matchmaking_deal WHERE id IN ({deals})", like)
        cur.execute(f"DELETE FROM matchmaking_match WHERE id IN ({matches})", like)
        cur.execute(f"DELETE FROM listings_listing WHERE id IN ({listings})", like)
        cur.execute(
            "DELETE FROM accounts_organization WHERE name LIKE %s AND id NOT IN "
            "(SELECT organization_id FROM listings_listing)",
            like,
        )


@transaction.atomic
def build(n_listings: int, n_matches: int, n_deals: int, out) -> None:
    """Write the market (replacing an earlier one of another size)."""
    clean()
    provinces = list(Province.objects.values_list("pk", flat=True))
    if not provinces:
        raise RuntimeError("no provinces: run `manage.py seed` first")
    categories = list(ProductCategory.objects.values_list("pk", flat=True))
    unit = Unit.objects.get(code="kg").pk
    orgs = Organization.objects.bulk_create(
        [
            Organization(
                name=f"{ORG_PREFIX}{i}",
                kind=KINDS[i % len(KINDS)],
                province_id=provinces[i * 7 % len(provinces)],
                search_text=f"bench stats {i}",
            )
            for i in range(600)
        ]
    )
    out(f"  {len(orgs)} organizations")
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_orgs ON COMMIT DROP AS SELECT id, kind, province_id, "
            "row_number() OVER (ORDER BY id) AS rn FROM accounts_organization WHERE name LIKE %s",
            [ORG_PREFIX + "%"],
        )
        # Listings: half supply (supplier kinds), half demand, posted over 18 months.
        cur.execute(
            """
            INSERT INTO listings_listing (side, title, description, quantity, quantity_base,
                available_from, available_until, status, hidden, created_at, updated_at,
                search_text, category_id, organization_id, province_id, unit_id,
                description_en, title_en, search_title, search_tags, search_place, search_body)
            SELECT CASE WHEN o.kind = ANY(%(supplier)s) THEN 'supply' ELSE 'demand' END,
                'bench ' || g, '', 10, 10, t.ts::date, t.ts::date + 90,
                CASE WHEN g %% 20 = 0 THEN 'draft' WHEN g %% 5 = 0 THEN 'closed' ELSE 'open' END,
                false, t.ts, t.ts, '', (%(cats)s::bigint[])[1 + (g * 31) %% %(ncats)s],
                o.id, o.province_id, %(unit)s, '', '', '', '', '', ''
            FROM generate_series(1, %(n)s) g
            CROSS JOIN LATERAL (SELECT now() - (g %% 540) * interval '1 day'
                                       - (g %% 17) * interval '1 hour' AS ts) t
            JOIN bench_orgs o ON o.rn = 1 + (g %% 600)
            """,
            {
                "supplier": list(SUPPLIER_KINDS),
                "cats": categories,
                "ncats": len(categories),
                "unit": unit,
                "n": n_listings,
            },
        )
        out(f"  {n_listings} listings")
        cur.execute(
            "CREATE TEMP TABLE bench_side ON COMMIT DROP AS SELECT l.id, l.side, l.created_at, "
            "row_number() OVER (PARTITION BY l.side ORDER BY l.id) AS rn FROM listings_listing l "
            "JOIN bench_orgs o ON o.id = l.organization_id WHERE l.status <> 'draft'"
        )
        cur.execute("SELECT side, count(*) FROM bench_side GROUP BY side")
        counts = dict(cur.fetchall())
        # Matches: supply i with demands i·7919 + k (distinct pairs); every tenth connected
        # (until n_deals), two in ten declined with a reason.
        cur.execute(
            """
            INSERT INTO matchmaking_match (score, explanation, factors, facts, suggested_quantity,
                status, origin, engine_version, hidden, decline_reason, decline_note,
                declined_by_side, connected_at, created_at, updated_at, supply_id, demand_id)
            SELECT 0.5 + (g %% 50) / 100.0, '[]', '[]', '[]', 10,
                CASE WHEN g %% 10 = 0 AND g / 10 <= %(deals)s THEN 'connected'
                     WHEN g %% 10 IN (1, 2) THEN 'declined'
                     WHEN g %% 10 = 3 THEN 'expired'
                     ELSE 'proposed' END,
                'engine', 'bench', false,
                CASE WHEN g %% 10 IN (1, 2)
                     THEN (ARRAY['price','quantity','quality','distance','timing','other'])
                          [1 + (g / 10) %% 6] ELSE '' END,
                '', '',
                CASE WHEN g %% 10 = 0 AND g / 10 <= %(deals)s
                     THEN t.made + (g %% 29) * interval '1 day' END,
                t.made, t.made, s.id, d.id
            FROM generate_series(1, %(n)s) g
            JOIN bench_side s ON s.side = 'supply' AND s.rn = 1 + (g %% %(ns)s)
            JOIN bench_side d ON d.side = 'demand'
                 AND d.rn = 1 + ((g %% %(ns)s) * 7919 + g / %(ns)s) %% %(nd)s
            CROSS JOIN LATERAL (SELECT greatest(s.created_at, d.created_at)
                                       + (g %% 13) * interval '1 day' AS made) t
            ON CONFLICT DO NOTHING
            """,
            {"n": n_matches, "deals": n_deals, "ns": counts["supply"], "nd": counts["demand"]},
        )
        out(f"  {cur.rowcount} matches")
        # One deal per connected match: a third negotiating, then signed, delivering,
        # completed and lost (with a reason) in turn.
        cur.execute(
            """
            INSERT INTO matchmaking_deal (stage, contract_quantity, contract_value_vnd,
                signed_on, delivered_quantity, delivered_value_vnd, lost_reason, lost_note,
                created_at, updated_at, contract_unit_id, match_id)
            SELECT st.stage,
                CASE WHEN st.signed THEN 10 END,
                CASE WHEN st.signed THEN 50000000 + (m.id %% 97) * 1000000 END,
                CASE WHEN st.signed THEN (m.connected_at + interval '12 days')::date END,
                CASE WHEN st.stage = 'completed' THEN 10 WHEN st.stage = 'delivering' THEN 5
                     ELSE 0 END,
                CASE WHEN st.stage = 'completed' THEN 50000000 + (m.id %% 97) * 1000000
                     WHEN st.stage = 'delivering' THEN 25000000 ELSE 0 END,
                CASE WHEN st.stage = 'lost'
                     THEN (ARRAY['scale','requirements','price','payment_terms','logistics',
                                 'quality','other'])[1 + m.id %% 7] ELSE '' END,
                '', m.connected_at, m.connected_at,
                CASE WHEN st.signed THEN %(unit)s END, m.id
            FROM matchmaking_match m
            JOIN bench_side s ON s.id = m.supply_id
            CROSS JOIN LATERAL (
                SELECT (ARRAY['connected','negotiating','contract_signed','delivering',
                              'completed','lost'])[1 + m.id %% 6] AS stage) x
            CROSS JOIN LATERAL (SELECT x.stage,
                x.stage IN ('contract_signed','delivering','completed') AS signed) st
            WHERE m.status = 'connected'
            """,
            {"unit": unit},
        )
        out(f"  {cur.rowcount} deals")
        cur.execute(
            """
            INSERT INTO matchmaking_delivery (quantity, quantity_in_contract_unit, value_vnd,
                delivered_on, created_at, deal_id, unit_id)
            SELECT delivered_quantity, delivered_quantity, delivered_value_vnd,
                signed_on + 20, now(), id, contract_unit_id
            FROM matchmaking_deal
            WHERE delivered_value_vnd > 0 AND match_id IN (
                SELECT m.id FROM matchmaking_match m JOIN bench_side s ON s.id = m.supply_id)
            """
        )
        out(f"  {cur.rowcount} deliveries")


BENCH_TABLES = (
    "listings_listing",
    "matchmaking_match",
    "matchmaking_deal",
    "matchmaking_delivery",
    "accounts_organization",
)


def vacuum() -> None:
    """Fresh statistics (with stale ones on organizations the planner chose nested loops over
    100k listings) and the visibility map, which index-only scans need (autovacuum keeps both
    on a live database). Inside a transaction (the tests) VACUUM cannot run: ANALYZE only."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cur:
        for table in BENCH_TABLES:
            cur.execute(f"{command} {table}")


def ensure(n_listings: int, n_matches: int, n_deals: int, out) -> dict:
    have = size()
    want = {"listings": n_listings, "matches": n_matches, "deals": n_deals}
    close = all(abs(have[k] - v) <= max(1, v // 50) for k, v in want.items())
    if close:
        out(f"reusing the market: {have}")
        return have
    out(f"building the market (had {have}) …")
    started = time.perf_counter()
    build(n_listings, n_matches, n_deals, out)
    vacuum()
    out(f"  built in {time.perf_counter() - started:.1f} s")
    return size()


def _officer():
    user, _ = get_user_model().objects.get_or_create(
        username=OFFICER, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def requests_to_measure() -> list[tuple[str, str]]:
    programme = CooperationProgramme.objects.order_by("pk").first()
    category = ProductCategory.objects.filter(parent__isnull=True).order_by("pk").first()
    paths = [
        # What the stack itself costs under the current load: a list of a dozen rows.
        ("yardstick: /api/v1/units/", "/api/v1/units/"),
        ("api, no filter", "/api/v1/stats/"),
        ("api, province 79", "/api/v1/stats/?province=79"),
        ("api, period 2026", "/api/v1/stats/?from=2026-01-01&to=2026-06-30"),
        ("page, no filter", "/outcomes/"),
        ("csv, months", "/outcomes/months.csv"),
    ]
    if programme:
        paths.insert(1, ("api, programme", f"/api/v1/stats/?programme={programme.slug}"))
        paths.append(("page, programme", f"/outcomes/?programme={programme.slug}"))
        paths.append(("public programme page", f"/programmes/{programme.slug}/"))
        # The same page when its cached figures have just gone stale (one recount).
        paths.append(("public page, recount", f"/programmes/{programme.slug}/"))
    if category:
        paths.insert(3, ("api, root category", f"/api/v1/stats/?category={category.slug}"))
    return paths


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(
    samples: int, warmup: int, out, only: str = ""
) -> list[tuple[str, float, float, float]]:
    client = Client()
    client.force_login(_officer())
    results = []
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    paths = [
        (name, path)
        for name, path in requests_to_measure()
        if not wanted or any(w in name for w in wanted) or name.startswith("yardstick")
    ]
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        for name, path in paths:
            for _ in range(warmup):
                client.get(path, secure=True)
            counted = "stats" in path or "outcomes" in path
            for after_write in (None, *WRITES) if counted else (None,):
                times = []
                for _ in range(samples):
                    if "recount" in name:
                        keys = [cache_key(p) for p in CooperationProgramme.objects.all()]
                        cache.delete_many(keys)
                    if after_write:
                        WRITES[after_write]()
                    started = time.perf_counter()
                    response = client.get(path, secure=True)
                    times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise RuntimeError(f"{path}: HTTP {response.status_code}")
                label = f"{name}, after {after_write}" if after_write else name
                results.append(
                    (label, statistics.median(times), percentile(times, 0.95), max(times))
                )
                out(f"  {label:<36} p50 {results[-1][1]:7.1f} ms   p95 {results[-1][2]:7.1f} ms")
    return results


def _touch(queryset) -> None:
    """A real write to one row of ``queryset``, picked at random (so across blocks): the
    cached figures that read it retire and the next request counts that part again."""
    pk = queryset.order_by("?").values_list("pk", flat=True).first()
    queryset.model.objects.filter(pk=pk).update(updated_at=timezone.now())


def _bench_matches():
    return Match.objects.filter(supply__in=bench_listings().values("pk"))


#: The writes timed before each request, as on a busy platform: a proposal answered, a deal
#: moved on, a listing edited, and a database with the figures of no view counted yet.
WRITES = {
    "an answer": lambda: _touch(_bench_matches()),
    "a deal's change": lambda: _touch(Deal.objects.filter(match__in=_bench_matches().values("pk"))),
    "a listing edit": lambda: _touch(bench_listings()),
    "nothing counted yet": cache.clear,
}


def deliveries_count() -> int:
    return Delivery.objects.filter(deal__match__supply__in=bench_listings().values("pk")).count()
