"""The full re-match: every open demand against every open supply, block by block.

How the work is cut:

1. Both sides are filtered to what can still trade (open, a positive free quantity, a window
   that has not ended) and sorted by the depth-first number of their category (``tree.py``).
   The supplies a demand of category ``c`` may see, its subtree, are then one contiguous slice.
2. A *block* is all demands of one category against that slice (plus, rarely, a block for
   "same product, category outside the subtree"). Blocks are scored as dense 2-D arrays in
   cache-sized row chunks: numpy broadcasting, no Python loop over pairs. Hard filters that
   cannot fail inside a block (one dimension, no certificate asked, ...) are skipped.
3. Scores are quantised to 255 levels above ``min_score`` and each block keeps, exactly per
   block, the top ``k_demand`` pairs of every demand and the top ``k_supply`` pairs of every
   supply (thresholds found by bisection on the levels, which is far cheaper than sorting).
   A pair outside both lists is beaten, on both sides, by many pairs that are kept; dropping
   it bounds memory at a few million candidates for 100k x 100k. The kept pairs go to
   ``allocation.allocate``.
4. Blocks run on a small thread pool (numpy releases the GIL inside its loops). A block larger
   than ``Config.tile_pairs`` is cut into row tiles; the per-supply threshold then carries over
   from tile to tile, which keeps a superset of the exact per-block lists.

Modules: ``sides`` (step 1: the tradeable rows as sorted columns), ``blocks`` (step 2),
``kernel`` (step 3: scoring, quantising, the per-block top lists); ``candidates`` here runs them
on the thread pool (step 4).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from matchmaking.engine.full.blocks import Block, blocks
from matchmaking.engine.full.kernel import Kernel, release_scratch
from matchmaking.engine.full.sides import Side, prepare, tradeable
from matchmaking.engine.records import Context, ListingTable

__all__ = ["Block", "Side", "blocks", "candidates", "prepare", "tradeable"]


def candidates(
    supplies: ListingTable,
    demands: ListingTable,
    context: Context,
    capacity: np.ndarray,
) -> tuple[Side, Side, np.ndarray, np.ndarray, np.ndarray, dict]:
    """Score all blocks; return the sides and the kept (demand pos, supply pos, score)."""
    t0 = time.perf_counter()
    S, D = prepare(supplies, demands, context, capacity)
    kernel = Kernel(S, D, context, supplies.id[S.rows], demands.id[D.rows])
    # Deepest demand categories first: their pairs score higher (same category), so the
    # per-supply thresholds they leave prune the broad "any fruit" blocks that follow.
    depth = context.tree.depth
    work = sorted(blocks(S, D, context), key=lambda b: (-depth[D.cat[b.d_pos[0]]], -b.pairs))
    t1 = time.perf_counter()
    workers = context.config.workers or min(2, os.cpu_count() or 1)
    if workers > 1 and len(work) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(kernel.run_block, work))
    else:
        parts = [kernel.run_block(b) for b in work]
        release_scratch()  # a long-lived worker's main thread should not keep the scratch
    t2 = time.perf_counter()
    if parts:
        d_pos = np.concatenate([p[0] for p in parts]).astype(np.int32)
        s_pos = np.concatenate([p[1] for p in parts]).astype(np.int32)
        score = np.concatenate([p[2] for p in parts])
    else:
        d_pos = np.zeros(0, np.int32)
        s_pos = np.zeros(0, np.int32)
        score = np.zeros(0, np.float32)
    stats = {
        "supplies_tradeable": len(S),
        "demands_tradeable": len(D),
        "blocks": len(work),
        "pairs_scored": int(sum(p[3] for p in parts)),
        "candidates": len(score),
        "prepare_seconds": t1 - t0,
        "score_seconds": t2 - t1,
    }
    return S, D, d_pos, s_pos, score, stats
