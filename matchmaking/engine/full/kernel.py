"""The block kernel: scores a block in cache-sized row chunks and keeps each side's top pairs."""

from __future__ import annotations

import threading

import numpy as np

from matchmaking.engine.factors import (
    DISTANCE_HALF_KM,
    STRUCTURAL_SAME_CATEGORY,
    STRUCTURAL_SUBCATEGORY,
)
from matchmaking.engine.full.blocks import MAX_COLS, Block
from matchmaking.engine.full.sides import Side
from matchmaking.engine.records import FLAG_RESELLER, FLAG_WANTS_PRODUCER, Context

# Elements per row chunk: ~16 float32 buffers of this size stay inside a 2 MiB L2 cache.
_CHUNK = 32_768
_LEVELS = 254
_local = threading.local()
# The columns both sides bring to a pair, and what each side adds (see ``Side``).
_PAIR_COLUMNS = (
    "cat", "prod", "org", "dim", "qty", "min_order", "start", "end1", "certs", "ocop",
    "sig_lo", "sig_hi", "sig_pop", "mask_lo", "mask_hi", "flags",
)  # fmt: skip
_SUPPLY_COLUMNS = (*_PAIR_COLUMNS, "qty32", "low2w")
_DEMAND_COLUMNS = (*_PAIR_COLUMNS, "prov", "inv_high", "wq_over_qty", "wt_over_len", "rowbase")


def _buffer(name: str, size: int, dtype) -> np.ndarray:
    """A per-thread scratch array of at least ``size`` elements, reused from tile to tile.

    Fresh memory for every tile would cost a page fault per 4 KiB; the biggest buffers are
    about ``Config.tile_pairs`` elements, so a thread holds a few tens of MiB.
    """
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    arr = pool.get(name)
    if arr is None or arr.size < size or arr.dtype != dtype:
        arr = pool[name] = np.empty(max(size, 1), dtype=dtype)
    return arr[:size]


def release_scratch() -> None:
    """Drop this thread's scratch arrays."""
    _local.pool = {}


def fit_lift(intent_penalty: float, min_score: float, D: Side) -> tuple[int, int]:
    """Levels by which a pair that fits the demand's words is lifted, and the levels left
    for the score itself (together at most ``_LEVELS``).

    A misfit scores at most ``intent_penalty``, so its level is at most that of
    ``intent_penalty``; lifting every fitting pair above it makes the per-demand and
    per-supply top lists rank every fit above every misfit (``engine.relevance``). With no
    demand asking for anything specific nothing is lifted and all levels measure the score.
    """
    asks = D.mask_lo is not None and bool((D.mask_lo | D.mask_hi).any())
    band = intent_penalty - min_score  # the score range a misfit can still reach
    if intent_penalty >= 1 or not asks or band < 0:
        return 0, _LEVELS
    w = band / max(1e-9, 1.0 - min_score)
    # The smallest lift above a misfit's highest level once the scale is (LEVELS - lift).
    lift = min(_LEVELS - 1, int(np.ceil((1 + _LEVELS * w) / (1 + w))) + 1)
    return lift, _LEVELS - lift


class Kernel:
    """Scores blocks; holds the per-run constants."""

    def __init__(self, S: Side, D: Side, context: Context, s_ids, d_ids) -> None:
        cfg = context.config
        self._s_ids = s_ids
        self._d_ids = d_ids
        w = cfg.weight_vector
        self.S, self.D = S, D
        self.min_score = float(cfg.min_score)
        self.k_d = cfg.k_demand
        self.k_s = cfg.k_supply
        self.tile_pairs = max(cfg.tile_pairs, _CHUNK)
        self.w_qty = np.float32(w[1])
        self.w_price = np.float32(w[2])
        self.w_price3 = np.float32(3.0 * w[2])
        struct = w[0] * (1.0 - cfg.text_share)
        self.cat_step = np.float32(struct * (STRUCTURAL_SAME_CATEGORY - STRUCTURAL_SUBCATEGORY))
        self.prod_step = np.float32(struct * (1.0 - STRUCTURAL_SAME_CATEGORY))
        self.w_text = np.float32(w[0] * cfg.text_share)
        km = context.distance_km
        geo = w[3] / (1.0 + km / DISTANCE_HALF_KM) + w[4] * (context.programme >= 0)
        # geo[d_prov, s_prov], demand province first: the kernel gathers rows of it.
        self.geo = np.ascontiguousarray(geo.T, dtype=np.float32)
        self.w_trust_half = np.float32(0.5 * w[6])
        self.intent_penalty = np.float32(cfg.intent_penalty)
        self.reseller_penalty = np.float32(cfg.reseller_penalty)
        self.declined = self._declined_positions(context)
        self.supply_thr = np.ones(len(S), dtype=np.uint8)
        # Quantisation: level = 1 + (score - min_score) * scale, 0 below min_score; a pair
        # that fits the demand's words is then lifted by ``fit_lift`` levels (strict intent).
        self.fit_lift, span = fit_lift(cfg.intent_penalty, self.min_score, D)
        self.q_scale = np.float32(span / max(1e-9, 1.0 - self.min_score))
        self.q_offset = np.float32(1.0 - self.min_score * self.q_scale)

    def _declined_positions(self, context: Context) -> np.ndarray:
        """Declined pairs as sorted keys ``d_pos * n_s + s_pos`` of tradeable rows."""
        keys = context.declined
        if not keys.size or not len(self.S) or not len(self.D):
            return np.zeros(0, dtype=np.int64)
        s_ids = keys >> 32
        d_ids = keys & 0xFFFFFFFF
        s_sorted = np.argsort(self._s_ids)
        d_sorted = np.argsort(self._d_ids)
        s_at = np.searchsorted(self._s_ids[s_sorted], s_ids).clip(0, len(s_sorted) - 1)
        d_at = np.searchsorted(self._d_ids[d_sorted], d_ids).clip(0, len(d_sorted) - 1)
        ok = (self._s_ids[s_sorted[s_at]] == s_ids) & (self._d_ids[d_sorted[d_at]] == d_ids)
        return np.sort(d_sorted[d_at[ok]].astype(np.int64) * len(self.S) + s_sorted[s_at[ok]])

    def run_block(self, block: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Candidate pairs of one block: (demand pos, supply pos, score, pairs scored)."""
        S = self.S
        cols = block.s_pos
        c = len(cols)
        # Column-side arrays, gathered once per block.
        sc = {name: getattr(S, name)[cols] for name in _SUPPLY_COLUMNS}
        # C order matters: the kernel copies whole rows of it per demand province.
        geo_cols = np.ascontiguousarray(
            self.geo[:, S.prov[cols]] + self.w_trust_half * S.trust[cols][None, :]
        )
        # A supply's threshold carries over from earlier blocks and tiles: a level reached by
        # k_supply pairs anywhere is a lower bound of its final k-th best, so pairs below it
        # cannot be in its list. (Two threads may race on it; a lost update only keeps more.)
        col_thr = self.supply_thr[cols]
        out_d, out_s, out_v = [], [], []
        # Enough rows per tile that the per-supply threshold prunes (many rows per column),
        # few enough that column counts fit in uint16.
        # (never more than 4 x tile_pairs, whatever k_supply is).
        rows_per_tile = min(
            MAX_COLS,
            max(self.tile_pairs // c, min(32 * self.k_s, 4 * self.tile_pairs // c), 1),
        )
        rows_all = block.d_pos
        for t0 in range(0, len(rows_all), rows_per_tile):
            rows = rows_all[t0 : t0 + rows_per_tile]
            d_loc, s_loc, vals, col_thr = self._tile(rows, cols, sc, geo_cols, col_thr)
            out_d.append(rows[d_loc])
            out_s.append(cols[s_loc])
            out_v.append(vals)
        self.supply_thr[cols] = np.maximum(self.supply_thr[cols], col_thr)
        return (
            np.concatenate(out_d),
            np.concatenate(out_s),
            np.concatenate(out_v),
            block.pairs,
        )

    def _tile(self, rows, cols, sc, geo_cols, col_thr):
        D = self.D
        r, c = len(rows), len(cols)
        dr = {name: getattr(D, name)[rows] for name in _DEMAND_COLUMNS}
        # Which filters and terms can vary inside this tile.
        s_dims = np.unique(sc["dim"])
        d_dims = np.unique(dr["dim"])
        need_dim = not (len(s_dims) == 1 and len(d_dims) == 1 and s_dims[0] == d_dims[0])
        need_org = len(np.intersect1d(dr["org"], sc["org"])) > 0
        need_ocop = int(dr["ocop"].max()) > int(sc["ocop"].min())
        need_smin = float(sc["min_order"].max()) > float(dr["qty"].min())
        need_dmin = float(dr["min_order"].max()) > float(sc["qty"].min())
        s_cats = np.unique(sc["cat"])
        d_cats = np.unique(dr["cat"])
        if len(s_cats) == 1 and len(d_cats) == 1:
            cat_mode = 1 if s_cats[0] == d_cats[0] else 0  # constant: same / different
        else:
            cat_mode = 2 if len(np.intersect1d(s_cats, d_cats)) else 0
        prod_var = bool((dr["prod"] >= 0).any() and (sc["prod"] >= 0).any())
        rowbase = dr["rowbase"] + (self.cat_step if cat_mode == 1 else np.float32(0))
        declined = self._tile_declined(rows, cols)
        # Relevance multipliers (engine.relevance), only where a row can need them.
        no_intent = (dr["mask_lo"] == 0) & (dr["mask_hi"] == 0)
        need_intent = self.intent_penalty < 1 and not no_intent.all()
        wants = (dr["flags"] & FLAG_WANTS_PRODUCER) != 0
        resold = ((sc["flags"] & FLAG_RESELLER) != 0)[None, :]
        need_resold = self.reseller_penalty < 1 and wants.any() and resold.any()

        # The tile's scores (unmasked: only pairs that pass are ever read back) and levels.
        S_t = _buffer("scores", r * c, np.float32).reshape(r, c)
        Q = _buffer("levels", r * c, np.uint8).reshape(r, c)
        row_thr = np.ones(r, dtype=np.uint8)
        rs = max(1, _CHUNK // c)
        n_buf = rs * c
        B_ = _buffer("B", n_buf, np.float32)
        M_ = _buffer("M", n_buf, np.bool_)
        M2_ = _buffer("M2", n_buf, np.bool_)
        M3_ = _buffer("M3", n_buf, np.bool_)
        U64_ = _buffer("U64", n_buf, np.uint64)
        U8_ = _buffer("U8", n_buf, np.uint8)
        U8b_ = _buffer("U8b", n_buf, np.uint8)
        U16_ = _buffer("U16", n_buf, np.uint16)
        UC_ = _buffer("certs", n_buf, sc["certs"].dtype)

        s_end1 = sc["end1"][None, :]
        s_start = sc["start"][None, :]
        s_qty32 = sc["qty32"][None, :]
        s_low2w = sc["low2w"][None, :]
        s_cat = sc["cat"][None, :]
        s_prod = sc["prod"][None, :]
        s_lo = sc["sig_lo"][None, :]
        s_hi = sc["sig_hi"][None, :]
        s_pop = sc["sig_pop"][None, :]
        s_dim = sc["dim"][None, :]
        s_org = sc["org"][None, :]
        s_certs = sc["certs"][None, :]
        s_ocop = sc["ocop"][None, :]
        s_qty = sc["qty"][None, :]
        s_minord = sc["min_order"][None, :]
        for i0 in range(0, r, rs):
            i1 = min(r, i0 + rs)
            n = i1 - i0
            shape = (n, c)
            A = S_t[i0:i1]
            B = B_[: n * c].reshape(shape)
            M = M_[: n * c].reshape(shape)
            M2 = M2_[: n * c].reshape(shape)

            def col(name, i0=i0, i1=i1):
                return dr[name][i0:i1, None]

            # Window overlap (days from today on) and the time factor.
            np.minimum(col("end1"), s_end1, out=A)
            np.maximum(col("start"), s_start, out=B)
            np.subtract(A, B, out=A)
            np.greater(A, 0, out=M)
            np.multiply(A, col("wt_over_len"), out=A)
            # Quantity: w * min(capacity / demand, 1).
            np.multiply(s_qty32, col("wq_over_qty"), out=B)
            np.minimum(B, self.w_qty, out=B)
            A += B
            # Price: w * clip(3 - 2 * ask / offer, 0, 1).
            if self.w_price:
                np.multiply(s_low2w, col("inv_high"), out=B)
                np.subtract(self.w_price3, B, out=B)
                np.minimum(B, self.w_price, out=B)
                np.maximum(B, 0, out=B)
                A += B
            # Distance, programme and supply trust: one row gather per demand province.
            np.take(geo_cols, dr["prov"][i0:i1], axis=0, out=B, mode="clip")
            A += B
            A += rowbase[i0:i1, None]
            # Structural product fit.
            if cat_mode == 2 or prod_var:
                # weighted: cat_step * (same category or product) + prod_step * same product;
                # a constant "same category" is already in rowbase.
                if cat_mode == 2:
                    np.equal(col("cat"), s_cat, out=M2)
                if prod_var:
                    M3 = M3_[: n * c].reshape(shape)
                    np.equal(col("prod"), s_prod, out=M3)
                    if cat_mode == 2:
                        np.logical_or(M2, M3, out=M2)
                    elif cat_mode == 0:
                        np.copyto(M2, M3)
                    np.multiply(M3, self.prod_step, out=B)
                    A += B
                if cat_mode != 1:
                    np.multiply(M2, self.cat_step, out=B)
                    A += B
            # Name similarity |a & b| / |a | b| of the 128-bit signatures.
            if self.w_text:
                U64 = U64_[: n * c].reshape(shape)
                U8 = U8_[: n * c].reshape(shape)
                U8b = U8b_[: n * c].reshape(shape)
                U16 = U16_[: n * c].reshape(shape)
                np.bitwise_and(col("sig_lo"), s_lo, out=U64)
                np.bitwise_count(U64, out=U8)
                np.bitwise_and(col("sig_hi"), s_hi, out=U64)
                np.bitwise_count(U64, out=U8b)
                np.add(U8, U8b, out=U8)
                np.add(col("sig_pop"), s_pop, out=U16)
                np.subtract(U16, U8, out=U16)  # never 0: see sig_pop in prepare()
                np.divide(U8, U16, out=B, dtype=np.float32)
                np.multiply(B, self.w_text, out=B)
                A += B
            # Intent: x penalty where the demand names products and the supply none of them.
            if need_intent:
                U64 = U64_[: n * c].reshape(shape)
                M3 = M3_[: n * c].reshape(shape)
                np.bitwise_and(col("mask_lo"), sc["mask_lo"][None, :], out=U64)
                np.not_equal(U64, 0, out=M2)
                np.bitwise_and(col("mask_hi"), sc["mask_hi"][None, :], out=U64)
                np.not_equal(U64, 0, out=M3)
                M2 |= M3
                M2 |= no_intent[i0:i1, None]
                np.multiply(M2, np.float32(1) - self.intent_penalty, out=B)
                B += self.intent_penalty
                A *= B
                if self.fit_lift:
                    np.copyto(M3, M2)  # kept for the lift below (no filter reads M3)
            # Producer asked: x penalty for a resold supply.
            if need_resold:
                np.logical_and(wants[i0:i1, None], resold, out=M2)
                np.multiply(M2, self.reseller_penalty - np.float32(1), out=B)
                B += np.float32(1)
                A *= B
            # Hard filters that can fail here.
            if need_dim:
                np.equal(col("dim"), s_dim, out=M2)
                M &= M2
            if need_org:
                np.not_equal(col("org"), s_org, out=M2)
                M &= M2
            d_certs = dr["certs"][i0:i1]
            if d_certs.any():
                UC = UC_[: n * c].reshape(shape)
                np.bitwise_and(d_certs[:, None], s_certs, out=UC)
                np.equal(UC, d_certs[:, None], out=M2)
                M &= M2
            if need_ocop:
                np.greater_equal(s_ocop, col("ocop"), out=M2)
                M &= M2
            if need_smin:
                np.greater_equal(col("qty"), s_minord, out=M2)
                M &= M2
            if need_dmin:
                np.greater_equal(s_qty, col("min_order"), out=M2)
                M &= M2
            if declined is not None:
                lo, hi = np.searchsorted(declined[0], [i0, i1])
                if hi > lo:
                    M[declined[0][lo:hi] - i0, declined[1][lo:hi]] = False
            # Quantise to levels 1..255 (0 = dropped) while the chunk is in cache. A score is
            # at most 1 (weights sum to 1), so the level never passes 255.
            np.multiply(A, self.q_scale, out=B)
            np.add(B, self.q_offset, out=B)
            np.maximum(B, 0, out=B)
            np.multiply(B, M, out=B)  # a filtered pair is level 0 even when min_score is 0
            q = Q[i0:i1]
            np.copyto(q, B, casting="unsafe")
            # Strict intent: a kept pair that fits the demand's words moves above every misfit.
            if self.fit_lift:
                if need_intent:
                    np.greater(q, 0, out=M2)
                    M2 &= M3
                    np.add(q, np.uint8(self.fit_lift), out=q, where=M2)
                else:  # no row of this tile asks for anything: every pair fits
                    np.add(q, np.uint8(self.fit_lift), out=q, where=q > 0)
        if c > self.k_d:
            row_thr = _threshold(Q, self.k_d, axis=1)
        if r > self.k_s:
            col_thr = np.maximum(col_thr, _threshold(Q, self.k_s, axis=0))
        sel = _buffer("sel", r * c, np.bool_).reshape(r, c)
        tmp = _buffer("sel2", r * c, np.bool_).reshape(r, c)
        np.greater_equal(Q, row_thr[:, None], out=sel)
        np.greater_equal(Q, col_thr[None, :], out=tmp)
        sel |= tmp
        flat = np.flatnonzero(sel)
        d_loc = flat // c
        s_loc = flat - d_loc * c
        return d_loc, s_loc, S_t.ravel()[flat], col_thr

    def _tile_declined(self, rows: np.ndarray, cols: np.ndarray):
        keys = self.declined
        if not keys.size:
            return None
        n_s = len(self.S)
        d_pos = keys // n_s
        lo, hi = np.searchsorted(d_pos, [rows.min(), rows.max() + 1])
        if hi <= lo:
            return None
        d_pos = d_pos[lo:hi]
        s_pos = keys[lo:hi] - d_pos * n_s
        r_at = np.searchsorted(rows, d_pos).clip(0, len(rows) - 1)
        c_at = np.searchsorted(cols, s_pos).clip(0, len(cols) - 1)
        ok = (rows[r_at] == d_pos) & (cols[c_at] == s_pos)
        if not ok.any():
            return None
        return r_at[ok], c_at[ok]


def _threshold(q: np.ndarray, k: int, axis: int, scratch: np.ndarray | None = None) -> np.ndarray:
    """Per row (axis=1) or column (axis=0): the highest level L with >= k entries >= L.

    Level 1 when fewer than k entries are non-zero, so "keep >= threshold" keeps them all.
    Bisection over the 255 levels: 8 passes of compare-and-count, no sort.
    """
    n = q.shape[0] if axis == 1 else q.shape[1]
    lo = np.ones(n, dtype=np.int16)
    hi = np.full(n, 256, dtype=np.int16)
    mask = scratch if scratch is not None and scratch.shape == q.shape else np.empty(q.shape, bool)
    for _ in range(8):
        mid = ((lo + hi) >> 1).astype(np.uint8)
        if axis == 1:
            np.greater_equal(q, mid[:, None], out=mask)
        else:
            np.greater_equal(q, mid[None, :], out=mask)
        count = np.add.reduce(mask.view(np.uint8), axis=axis, dtype=np.uint16)
        enough = count >= k
        lo = np.where(enough, mid, lo)
        hi = np.where(enough, hi, mid)
    return lo.astype(np.uint8)
