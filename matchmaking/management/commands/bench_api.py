"""``manage.py bench_api``: requests/s and latency of the read paths, through a real gunicorn.

Run it on a market kept by ``bench_matching --keep`` (or the demo market)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketnoi_bench \\
        python manage.py bench_api --seconds 10 --concurrency 8 --through-worker 50
"""

from __future__ import annotations

import logging

from django.core.management import BaseCommand, CommandError

from matchmaking.benchmarks import api
from matchmaking.benchmarks import database as bench


class Command(BaseCommand):
    help = "Load-test the read paths (search, lists, inbox, detail pages) on a real gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10.0, help="per request")
        parser.add_argument("--warmup", type=float, default=2.0, help="per request, not counted")
        parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--query", default="ca phe", help="the search's q")
        parser.add_argument(
            "--only", default="", help="comma-separated words; measure the requests named so"
        )
        parser.add_argument(
            "--through-worker",
            type=int,
            default=0,
            metavar="N",
            help="also time N new listings from commit to stored proposals through Redis "
            "and a real Celery worker process",
        )
        parser.add_argument(
            "--read-cache",
            choices=["on", "off", "both"],
            default="both",
            help="serve repeated reads from the read cache (core.readcache), compute every "
            "read (what the first read after a write costs), or both, one after the other",
        )
        parser.add_argument(
            "--writes-per-second",
            type=float,
            default=0.0,
            metavar="W",
            help="meanwhile, W writes a second to the listings (a table every measured read "
            "reads), so that the cache-on figures include the reads computed after writes",
        )
        parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        logging.getLogger("httpx").setLevel(logging.WARNING)
        out = self.stdout.write
        try:
            paths, token, session = api.requests_to_measure(options["query"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        wanted = [w.strip() for w in options["only"].split(",") if w.strip()]
        if wanted:
            paths = [p for p in paths if any(w in p[0] for w in wanted) or "yardstick" in p[0]]
        out(
            f"{api.machine()}; gunicorn -w {options['workers']}, {options['concurrency']} "
            f"concurrent connections, {options['seconds']:g} s per request after "
            f"{options['warmup']:g} s of warm-up"
        )
        modes = ["on", "off"] if options["read_cache"] == "both" else [options["read_cache"]]
        for mode in modes:
            # Off: every read computed, as the first read after a write to its tables is.
            env = {"READ_CACHE_SECONDS": "0"} if mode == "off" else {}
            with api.Gunicorn(options["workers"], env) as server:
                results = api.measure(
                    server.base,
                    paths,
                    token,
                    session,
                    seconds=options["seconds"],
                    warmup=options["warmup"],
                    concurrency=options["concurrency"],
                    writes_per_second=options["writes_per_second"],
                )
            self._table(results, mode, options["writes_per_second"])
        if options["through_worker"]:
            stages: list[dict] = []
            latencies = api.through_worker_latency(
                options["through_worker"], options["seed"], options["redis"], stages
            )
            out("")
            out(
                f"new listing, commit to stored proposals through Redis and a Celery worker "
                f"({len(latencies)} listings): p50 {bench.percentile(latencies, 50) * 1000:.1f} "
                f"ms, p95 {bench.percentile(latencies, 95) * 1000:.1f} ms, max "
                f"{max(latencies) * 1000:.1f} ms"
            )
            if stages:
                out(
                    "where it went (p50 / p95 ms): "
                    + ", ".join(
                        f"{key} {bench.percentile([s[key] for s in stages], 50) * 1000:.1f} / "
                        f"{bench.percentile([s[key] for s in stages], 95) * 1000:.1f}"
                        for key in stages[0]
                    )
                )

    def _table(self, results, mode: str, writes: float) -> None:
        out = self.stdout.write
        yardstick = next((r for r in results if "yardstick" in r.name), None)
        out("")
        out(
            "read cache on (repeated reads served while their tables are unchanged):"
            if mode == "on"
            else "read cache off (every read computed, as after a write):"
        )
        if writes:
            out(f"meanwhile {writes:g} writes/s to the listings")
        out("| request | path | requests/s | p50 | p95 | p99 | errors | kept | vs units |")
        out("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            share = f"{r.rps / yardstick.rps:.0%}" if yardstick and yardstick.rps else "—"
            kept = f"{r.hits / r.requests:.0%}" if r.requests else "—"
            out(
                f"| {r.name} | `{r.path}` | {r.rps:,.0f} | {r.ms(50):.1f} ms | "
                f"{r.ms(95):.1f} ms | {r.ms(99):.1f} ms | {r.errors} | {kept} | {share} |"
            )
