"""Benchmark the engine on a synthetic market (no database).

    python -m matchmaking.benchmarks.engine --supply 100000 --demand 100000

Prints engine wall and CPU time, pairs scored, candidates kept, proposals, pairs per second
and peak resident memory (``ru_maxrss``, which includes building the synthetic market), then
``match_one`` latency over ``--one-calls`` random listings against the whole other side.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

from matchmaking.benchmarks.market import synthetic_market
from matchmaking.engine import ENGINE_VERSION, match_full, match_one


def _rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mib() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply", type=int, default=100_000)
    parser.add_argument("--demand", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one-calls", type=int, default=200)
    parser.add_argument("--workers", type=int, default=0, help="threads (0 = automatic)")
    parser.add_argument(
        "--exposure",
        action="store_true",
        help="also run with the fair-exposure term off and print both sets of figures",
    )
    args = parser.parse_args(argv)

    t = time.perf_counter()
    supplies, demands, context = synthetic_market(args.supply, args.demand, seed=args.seed)
    if args.workers:
        from dataclasses import replace

        context.config = replace(context.config, workers=args.workers)
    gen = time.perf_counter() - t
    rss_before = _current_rss_mib()
    print(f"engine {ENGINE_VERSION}: {args.supply:,} supplies x {args.demand:,} demands")
    print(f"  synthetic market built in {gen:.1f} s, RSS before matching {rss_before:.0f} MiB")

    wall = time.perf_counter()
    cpu = time.process_time()
    result = match_full(supplies, demands, context)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    st = result.stats
    pairs = st["pairs_scored"]
    print(f"  match_full: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(
        f"    prepare {st['prepare_seconds']:.2f} s, score {st['score_seconds']:.2f} s, "
        f"allocate {st['allocate_seconds']:.2f} s ({st['allocation_order']} order won), "
        f"results {st['result_seconds']:.2f} s"
    )
    print(
        f"    candidate pairs scored {pairs:,} ({pairs / wall / 1e6:.1f} M pairs/s), "
        f"kept {st['candidates']:,}, proposals {st['proposals']:,}"
    )
    print(f"    peak RSS {_rss_mib():.0f} MiB")
    if args.exposure:
        _exposure(supplies, demands, context, result)

    rng = np.random.default_rng(args.seed)
    times = []
    for k in range(args.one_calls):
        if k % 2 == 0:
            listing = demands.take([int(rng.integers(len(demands)))])
            side, counter = "demand", supplies
        else:
            listing = supplies.take([int(rng.integers(len(supplies)))])
            side, counter = "supply", demands
        t = time.perf_counter()
        match_one(listing, side, counter, context)
        times.append(time.perf_counter() - t)
    if times:
        ms = np.array(times) * 1000
        print(
            f"  match_one against {len(supplies):,}/{len(demands):,}: "
            f"p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms, "
            f"max {ms.max():.2f} ms over {len(ms)} calls"
        )
    return 0


def _exposure(supplies, demands, context, result) -> None:
    """Fair-exposure figures with the term on (the run above) and off (one more run)."""
    from dataclasses import replace

    from matchmaking.engine.exposure import exposure_figures
    from matchmaking.engine.full import tradeable

    open_rows = tradeable(supplies, context.config.today)
    on = exposure_figures(result.supply_idx, result.demand_idx, result.score, open_rows)
    config = context.config
    context.config = replace(config, exposure_bonus=0.0)
    plain = match_full(supplies, demands, context)
    context.config = config
    off = exposure_figures(plain.supply_idx, plain.demand_idx, plain.score, open_rows)
    for name, f in (("off", off), (f"on (bonus {config.exposure_bonus:g})", on)):
        print(
            f"  exposure {name}: supplies with a proposal {f['supplies_with_proposal']:.2%}, "
            f"Gini {f['gini_proposals_per_supply']:.4f}, "
            f"mean top-5 score {f['mean_top5_score']:.4f}"
        )


if __name__ == "__main__":
    sys.exit(main())
