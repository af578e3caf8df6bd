"""``manage.py bench_matching --supply N --demand N``: measure matching on a synthetic market."""

from __future__ import annotations

import platform
import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection

from catalog.models import Province
from matchmaking.benchmarks import database as bench
from matchmaking.engine import ENGINE_VERSION


class Command(BaseCommand):
    help = "Build a synthetic market in the configured database and time matching on it."

    def add_arguments(self, parser):
        parser.add_argument("--supply", type=int, default=10_000)
        parser.add_argument("--demand", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--processes",
            type=int,
            default=2,
            help="forked workers for the full re-match chunks (PostgreSQL)",
        )
        parser.add_argument(
            "--single",
            type=int,
            default=100,
            help="new listings posted to time single-listing matching",
        )
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="time the straightforward approach instead of the engine",
        )
        parser.add_argument("--keep", action="store_true", help="keep the market afterwards")
        parser.add_argument(
            "--again",
            action="store_true",
            help="measure again on the market a --keep run left (no rebuild; kept afterwards)",
        )
        parser.add_argument("--clean", action="store_true", help="only remove bench data")
        parser.add_argument(
            "--pools",
            choices=["on", "off", "both"],
            default="on",
            help="full re-match with pools (the default), without, or both on the same market "
            "(without first; the proposals are removed in between)",
        )
        parser.add_argument(
            "--exposure",
            choices=("both", "on", "off"),
            default="both",
            help="fair exposure: measure with the term on (timed), then again with it off "
            "(both, the default), or one of them",
        )

    def handle(self, *args, **options):
        out = self.stdout.write
        if options["clean"]:
            bench.clean()
            out("bench data removed")
            return
        if options["again"]:
            n_s, n_d = bench.market_size()
            if not n_s or not n_d:
                raise CommandError("no kept market: run with --keep first")
            out(f"measuring again on the kept market of {n_s} supplies x {n_d} demands")
        else:
            if Province.objects.count() < 34:
                call_command("seed", verbosity=0)
            out(f"cleaning earlier bench data ({connection.vendor})")
            bench.clean()
            n_s, n_d = options["supply"], options["demand"]
            t0 = time.perf_counter()
            out(f"building a synthetic market of {n_s} supplies x {n_d} demands")
            bench.build_market(n_s, n_d, options["seed"], out)
            built = f"built in {time.perf_counter() - t0:.1f} s"
        report = bench.Report()
        report.add(
            "machine",
            f"{platform.processor() or platform.machine()}, "
            f"{__import__('os').cpu_count()} cores, Python "
            f"{platform.python_version()}",
        )
        report.add("database", connection.vendor)
        report.add("engine", ENGINE_VERSION)
        report.add(
            "market", f"{n_s} supplies x {n_d} demands ({'kept' if options['again'] else built})"
        )
        try:
            if options["baseline"]:
                result = bench.baseline(n_s, n_d, options["seed"], out)
                report.add("approach", "baseline: ORM query per demand, Python loops")
                report.add("candidate pairs", result["pairs"])
                report.add("proposals saved", result["saved"])
                report.add("wall time", f"{result['wall']:.2f} s")
                report.add("pair-scores / s", f"{result['pairs'] / result['wall']:,.0f}")
            else:
                bench.analyze()  # a kept market as autovacuum would leave it
                if options["pools"] == "both":
                    settings.MATCHING["POOLS"] = False
                    run, wall = bench.full_rematch(options["processes"])
                    report.add(
                        "full re-match wall, no pools",
                        f"{wall:.2f} s (engine {run.engine_seconds:.2f} s, "
                        f"db {run.db_seconds:.2f} s, {run.proposals_created:,} proposals)",
                    )
                    bench.clear_proposals()
                    bench.analyze()
                settings.MATCHING["POOLS"] = options["pools"] != "off"
                bonus = settings.MATCHING.get("EXPOSURE_BONUS", 0.05)
                if options["exposure"] == "off":
                    settings.MATCHING["EXPOSURE_BONUS"] = 0.0
                run, wall = bench.full_rematch(options["processes"])
                exposure = {
                    "on" if options["exposure"] != "off" else "off": bench.exposure_report(run)
                }
                label = "with pools" if settings.MATCHING["POOLS"] else "no pools"
                report.add(
                    f"full re-match wall, {label}",
                    f"{wall:.2f} s ({options['processes']} processes)",
                )
                if settings.MATCHING["POOLS"]:
                    for name, value in bench.pool_figures().items():
                        report.add(name, value)
                report.add("candidate pairs", f"{run.candidate_pairs:,}")
                report.add("proposals created", f"{run.proposals_created:,}")
                report.add("engine time (sum)", f"{run.engine_seconds:.2f} s")
                report.add("db time (sum)", f"{run.db_seconds:.2f} s")
                report.add(
                    "pair-scores / s (engine)",
                    f"{run.candidate_pairs / max(run.engine_seconds, 1e-9):,.0f}",
                )
                report.add("chunks", f"{run.chunks_done}/{run.chunks_total}")
                if options["exposure"] == "both":
                    # Again with the exposure term off, on the same market (not timed).
                    settings.MATCHING["EXPOSURE_BONUS"] = 0.0
                    again, _ = bench.full_rematch(options["processes"])
                    exposure["off"] = bench.exposure_report(again)
                settings.MATCHING["EXPOSURE_BONUS"] = bonus
                for state in ("off", "on"):
                    if state not in exposure:
                        continue
                    f = exposure[state]
                    label = f"exposure {state}" + (f" (bonus {bonus:g})" if state == "on" else "")
                    report.add(
                        label,
                        f"supplies with a proposal {f['supplies_with_proposal']:.2%}, "
                        f"Gini {f['gini_proposals_per_supply']:.4f}, "
                        f"mean top-5 score {f['mean_top5_score']:.4f}, "
                        f"proposals {f['proposals']:,.0f}",
                    )
                if len(exposure) == 2:
                    off, on = exposure["off"], exposure["on"]
                    report.add(
                        "exposure effect",
                        f"share {off['supplies_with_proposal']:.2%} -> "
                        f"{on['supplies_with_proposal']:.2%}, Gini "
                        f"{off['gini_proposals_per_supply']:.4f} -> "
                        f"{on['gini_proposals_per_supply']:.4f}, top-5 score "
                        f"{(on['mean_top5_score'] / off['mean_top5_score'] - 1):+.2%}",
                    )
                if options["single"]:
                    bench.analyze()
                    lat = bench.single_listing_latency(options["single"], options["seed"])
                    report.add("single listing p50", f"{bench.percentile(lat, 50) * 1000:.1f} ms")
                    report.add("single listing p95", f"{bench.percentile(lat, 95) * 1000:.1f} ms")
                    report.add("single listing max", f"{max(lat) * 1000:.1f} ms")
            report.add("peak memory", f"{bench.peak_rss_mib():.0f} MiB")
            report.add("weights", settings.MATCHING["WEIGHTS"])
        finally:
            if not (options["keep"] or options["again"]):
                bench.clean()
        out("")
        out(report.render())
