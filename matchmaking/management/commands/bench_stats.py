"""``manage.py bench_stats``: p50/p95 of ``GET /api/v1/stats/`` and the outcome dashboard on a
market of 100k listings, 200k matches and 20k deals (built once, then reused)::

    DJANGO_STATIC_MANIFEST=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketnoi_bench \\
        python manage.py bench_stats --samples 40
"""

from __future__ import annotations

import os
import platform

from django.core.management import BaseCommand, CommandError

from matchmaking.benchmarks import stats


class Command(BaseCommand):
    help = "Time the outcome figures (API, dashboard, CSV, programme page) on a big market."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--matches", type=int, default=200_000)
        parser.add_argument("--deals", type=int, default=20_000)
        parser.add_argument("--samples", type=int, default=40, help="timed requests per path")
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests per path")
        parser.add_argument("--clean", action="store_true", help="only remove the bench market")
        parser.add_argument(
            "--only", default="", help="comma-separated words: measure the paths named so"
        )

    def handle(self, *args, **options):
        out = self.stdout.write
        if options["clean"]:
            stats.clean()
            out("bench market removed")
            return
        try:
            have = stats.ensure(options["listings"], options["matches"], options["deals"], out)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        load = os.getloadavg()
        out(
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; market {have}, "
            f"{stats.deliveries_count()} deliveries; {options['samples']} requests per path "
            f"after {options['warmup']} of warm-up, in-process test client"
        )
        stats.measure(options["samples"], options["warmup"], out, options["only"])
