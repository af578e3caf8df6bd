"""Choosing the proposals: best scores first, within each supply's capacity.

The problem: from candidate pairs with a score, pick pairs and a suggested quantity ``q`` each,
maximising ``sum(score * q)`` such that

* a supply's suggested quantities add up to at most its free capacity,
* ``q`` is at most the demand's quantity and at least both sides' minimum order,
* a demand gets at most ``max_per_demand`` proposals and a supply at most ``max_per_supply``.

Demands carry no quantity constraint across proposals: a buyer is shown alternatives, while a
supplier must not be promised twice ("a supply of 20 tonnes is not promised to ten buyers of 20
tonnes each").

The heuristic is a greedy, run twice: take pairs in a given order, give each ``min(demand
quantity, capacity left)``, skip a pair whose supply or demand is full or that cannot get its
minimum order. The first order is by score: without count caps and minimum orders this is
optimal (supplies are then independent, each a fractional knapsack with per-unit value
``score``). With tight caps it can spend a supply's last slot on a small order, so the second
order is by the value a pair could bring, ``score * min(demand quantity, capacity)``. The run
with the larger total value wins. ``test_engine_allocation.py`` measures the result against
an exact MIP on small random instances.

The greedy is sequential by nature; it is computed here without a Python loop over pairs. A
pair is *ready* when it is the best undecided pair of both its supply and its demand: its
fate then depends on nothing still undecided, so all ready pairs are decided at once, and a
round repeats until nothing is left (about a hundred rounds for 100k x 100k). Pairs that will
surely be rejected (their supply is full or has less left than their minimum, their demand
is full) are skipped in bulk, and a round only looks at the lists its predecessor touched.
The result is identical to the sequential greedy (the tests compare both).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

_EPS = 1e-9


def greedy_order(
    key: np.ndarray, log_scale: bool = False, behind: np.ndarray | None = None
) -> np.ndarray:
    """Pairs by ``key`` descending, ties in input order; pairs marked ``behind`` after all
    the others (strict intent: a misfit never goes before a pair that fits).

    A score in [0, 1] is ranked at 1/65535 resolution (1/32767 with ``behind``: the top bit
    is the tier; ``log_scale`` ranks any positive key on a log scale instead), so that a
    16-bit radix sort does the work.
    """
    key = np.asarray(key)
    if log_scale and len(key):
        logs = np.log(np.maximum(key.astype(np.float64), 1e-300))
        lo, hi = float(logs.min()), float(logs.max())
        key = (logs - lo) / (hi - lo) if hi > lo else np.zeros_like(logs)
    top = 65535.0 if behind is None else 32767.0
    # Millions of pairs: in place, one temporary.
    level = np.multiply(key, top, dtype=np.float64)
    np.rint(level, out=level)
    np.clip(level, 0, top, out=level)
    np.subtract(65535, level, out=level)
    if behind is not None:
        level[~behind] -= 32768.0
    return np.argsort(level.astype(np.uint16), kind="stable")


def _group(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable grouping: positions sorted by key (order kept inside a key) and group starts."""
    if n_keys <= 65536:
        order = np.argsort(keys.astype(np.uint16), kind="stable").astype(np.int32)
    else:
        # Two-pass LSD radix sort on 16-bit halves: far faster than a 32-bit comparison sort.
        order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable").astype(np.int32)
        high = (keys[order] >> 16).astype(np.uint16)
        order = order[np.argsort(high, kind="stable")]
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=starts[1:])
    return order, starts


def _spans(start: np.ndarray, end: np.ndarray, owner: np.ndarray | None = None):
    """All positions in the ranges [start, end), concatenated (and each one's owner)."""
    lengths = end - start
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths
    pos = np.repeat(start - offsets, lengths) + np.arange(total)
    if owner is None:
        return pos
    return pos, np.repeat(owner, lengths)


def _advance(act: np.ndarray, head: np.ndarray, end: np.ndarray, valid_at) -> None:
    """Move each list's head (for lists in ``act``) to its first valid entry, or to its end.

    Usually the head is valid already; lists with a run of dead entries are scanned in
    windows growing 1, 4, 16, ... so a run of thousands costs a handful of vectorised steps.
    """
    cur = act
    width = 1
    while len(cur):
        h = head[cur]
        e = end[cur]
        pos = h[:, None] + np.arange(width)[None, :]
        inside = pos < e[:, None]
        ok = valid_at(np.minimum(pos, e[:, None] - 1), cur) & inside
        found = ok.any(axis=1)
        head[cur[found]] = h[found] + ok[found].argmax(axis=1)
        rest = cur[~found]
        head[rest] = np.minimum(h[~found] + width, e[~found])
        cur = rest[head[rest] < end[rest]]
        width = min(width * 4, 4096)


def allocate(
    d: np.ndarray,
    s: np.ndarray,
    score: np.ndarray,
    demand_qty: np.ndarray,
    demand_min: np.ndarray,
    supply_cap: np.ndarray,
    supply_min: np.ndarray,
    max_per_demand: int | np.ndarray,
    max_per_supply: int | np.ndarray,
    stats: dict | None = None,
    strategy: str = "best",
    workers: int = 2,
    behind: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Allocate candidate pairs ``(d[i], s[i])`` with ``score[i]`` (each pair at most once).

    ``d``/``s`` index the per-demand arrays (``demand_qty``, ``demand_min``, and
    ``max_per_demand`` when it is an array) and the per-supply arrays (``supply_cap``: free
    capacity, ``supply_min``, ``max_per_supply``). Returns the indices of the chosen pairs and
    their suggested quantities. ``strategy`` is ``"score"``, ``"value"`` (the greedy order,
    see the module docstring) or ``"best"`` of both. ``stats`` (optional) receives the
    rounds and the order that won. Pairs marked ``behind`` (misfits of a demand's words)
    come after every other pair in both orders, so they never take a slot or capacity a
    fitting pair could have had.
    """
    # 32-bit positions: the arrays below are per candidate pair, millions of them.
    d = np.asarray(d).astype(np.int32, copy=False)
    s = np.asarray(s).astype(np.int32, copy=False)
    if len(d) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    score = np.asarray(score)
    demand_qty = np.asarray(demand_qty, dtype=np.float64)
    supply_cap = np.asarray(supply_cap, dtype=np.float64)
    k_d = np.broadcast_to(np.asarray(max_per_demand, dtype=np.int64), (len(demand_qty),))
    k_s = np.broadcast_to(np.asarray(max_per_supply, dtype=np.int64), (len(supply_cap),))
    floor = np.maximum(
        np.asarray(supply_min, dtype=np.float64)[s], np.asarray(demand_min, dtype=np.float64)[d]
    )
    floor = np.maximum(floor, _EPS)
    if behind is not None:
        behind = np.asarray(behind, dtype=bool)
        behind = behind if behind.any() else None  # no misfit: the full 16-bit resolution
    orders = {}
    if strategy in ("score", "best"):
        orders["score"] = greedy_order(score, behind=behind)
    if strategy in ("value", "best"):
        potential = np.minimum(demand_qty[d], supply_cap[s])
        orders["value"] = greedy_order(score * potential, log_scale=True, behind=behind)
        del potential
    if not orders:
        raise ValueError(f"unknown allocation strategy {strategy!r}")

    def run(order: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        return _greedy(order, d, s, demand_qty, floor, supply_cap, k_d, k_s)

    if len(orders) > 1 and len(d) > 200_000 and workers > 1:
        # The two orders are independent; numpy releases the GIL inside its loops.
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = dict(zip(orders, pool.map(run, orders.values()), strict=True))
    else:
        runs = {name: run(order) for name, order in orders.items()}
    best = None
    for name, (chosen, qty, rounds) in runs.items():
        value = float(np.dot(score[chosen].astype(np.float64), qty))
        if stats is not None:
            stats[f"allocation_rounds_{name}"] = rounds
            stats[f"allocation_value_{name}"] = value
        if best is None or value > best[0] * (1 + 1e-12):
            best = (value, name, chosen, qty)
    assert best is not None
    if stats is not None:
        stats["allocation_order"] = best[1]
    return best[2], best[3]


def _greedy(
    order: np.ndarray,
    d: np.ndarray,
    s: np.ndarray,
    demand_qty: np.ndarray,
    floor_by_pair: np.ndarray,
    supply_cap: np.ndarray,
    k_d: np.ndarray,
    k_s: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The greedy in the given order, without a Python loop over pairs (module docstring)."""
    if len(k_d) == 1 or len(k_s) == 1:
        return _greedy_one_listing(order, d, s, demand_qty, floor_by_pair, supply_cap, k_d, k_s)
    n_d = len(k_d)
    n_s = len(k_s)
    # Pair i below is the i-th in greedy order.
    order = order.astype(np.int32, copy=False)
    dr = d[order]
    sr = s[order]

    # Each supply's pairs, and each demand's, in greedy order, with what the scans read laid
    # out in list order so a window reads contiguous memory.
    s_pair, s_start = _group(sr, n_s)
    s_dem = dr[s_pair]
    s_floor = floor_by_pair[order[s_pair]]
    d_pair, d_start = _group(dr, n_d)
    d_sup = sr[d_pair]
    d_floor = floor_by_pair[order[d_pair]]
    head_s = s_start[:-1].copy()
    end_s = s_start[1:]
    head_d = d_start[:-1].copy()
    end_d = d_start[1:]

    rem = supply_cap.copy()
    cnt_s = np.zeros(n_s, dtype=np.int64)
    cnt_d = np.zeros(n_d, dtype=np.int64)
    alive_s = (rem > _EPS) & (k_s > 0)
    alive_d = k_d > 0
    taken_pairs: list[np.ndarray] = []
    taken_qty: list[np.ndarray] = []

    # A pair is still possible while its partner is not full and its supply has at least its
    # minimum left; both only get worse, so a pair found impossible is never looked at again.
    # Decided pairs sit behind both heads and need no mark.
    def supply_entry_ok(pos: np.ndarray, owner: np.ndarray) -> np.ndarray:
        return alive_d[s_dem[pos]] & (rem[owner][:, None] >= s_floor[pos])

    def demand_entry_ok(pos: np.ndarray, owner: np.ndarray) -> np.ndarray:
        sup = d_sup[pos]
        return alive_s[sup] & (rem[sup] >= d_floor[pos])

    # Only lists whose head may have changed are looked at in a round: at first all of them,
    # then those touched by the round's decisions. A pair becomes ready only when the second
    # of its two heads reaches it, so it is always examined in that round.
    check_s = np.arange(n_s)
    check_d = np.arange(n_d)
    flag_s = np.zeros(n_s, dtype=bool)
    flag_d = np.zeros(n_d, dtype=bool)
    rounds = 0
    while len(check_s) or len(check_d):
        rounds += 1
        check_s = check_s[alive_s[check_s] & (head_s[check_s] < end_s[check_s])]
        check_d = check_d[alive_d[check_d] & (head_d[check_d] < end_d[check_d])]
        _advance(check_s, head_s, end_s, supply_entry_ok)
        _advance(check_d, head_d, end_d, demand_entry_ok)
        check_s = check_s[head_s[check_s] < end_s[check_s]]
        check_d = check_d[head_d[check_d] < end_d[check_d]]
        # Candidates: the heads of the lists looked at. A demand's head whose supply was
        # looked at too is either that supply's head (already in) or not ready.
        flag_s[check_s] = True
        p_d = d_pair[head_d[check_d]]
        p = np.concatenate([s_pair[head_s[check_s]], p_d[~flag_s[sr[p_d]]]])
        flag_s[check_s] = False
        ps = sr[p]
        pd = dr[p]
        # Ready: both owners live and both heads on the pair (heads not re-checked this
        # round are still valid: anything that could spoil them marked them for checking).
        ready = alive_s[ps] & alive_d[pd] & (head_s[ps] < end_s[ps]) & (head_d[pd] < end_d[pd])
        ready[ready] = (s_pair[head_s[ps[ready]]] == p[ready]) & (
            d_pair[head_d[pd[ready]]] == p[ready]
        )
        p, ps, pd = p[ready], ps[ready], pd[ready]
        q = np.minimum(demand_qty[pd], rem[ps])
        take = q >= floor_by_pair[order[p]]
        taken_pairs.append(p[take])
        taken_qty.append(q[take])
        ts = ps[take]
        td = pd[take]
        rem[ts] -= q[take]
        cnt_s[ts] += 1
        cnt_d[td] += 1
        alive_s[ts] &= (cnt_s[ts] < k_s[ts]) & (rem[ts] > _EPS)
        alive_d[td] &= cnt_d[td] < k_d[td]
        head_s[ps] += 1
        head_d[pd] += 1
        # Mark what the decisions may have spoiled: heads that moved, and the other side's
        # lists holding a pair of a supply that shrank or died or of a demand that filled up.
        flag_s[ps] = True
        flag_d[pd] = True
        died_s = ts[~alive_s[ts]]
        flag_d[s_dem[_spans(head_s[died_s], end_s[died_s])]] = True
        shrunk = ts[alive_s[ts]]
        pos, owner = _spans(head_s[shrunk], end_s[shrunk], shrunk)
        flag_d[s_dem[pos[s_floor[pos] > rem[owner]]]] = True
        died_d = td[~alive_d[td]]
        flag_s[d_sup[_spans(head_d[died_d], end_d[died_d])]] = True
        check_s = np.flatnonzero(flag_s)
        check_d = np.flatnonzero(flag_d)
        flag_s[check_s] = False
        flag_d[check_d] = False
    chosen = np.concatenate([np.zeros(0, np.int32), *taken_pairs])
    qty = np.concatenate([np.zeros(0), *taken_qty])
    return order[chosen].astype(np.int64), qty, rounds


def _greedy_one_listing(
    order: np.ndarray,
    d: np.ndarray,
    s: np.ndarray,
    demand_qty: np.ndarray,
    floor_by_pair: np.ndarray,
    supply_cap: np.ndarray,
    k_d: np.ndarray,
    k_s: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The same greedy when one side is a single listing (``match_one``): a few scans.

    Candidate pairs are unique, so every counter listing appears once: only the single
    listing's count and (for a supply) its shrinking capacity link the decisions.
    """
    dr = d[order]
    sr = s[order]
    want = demand_qty[dr]
    floor = floor_by_pair[order]
    cap = supply_cap[sr]
    if len(k_s) == 1:
        # One supply: take pairs in order while its capacity and slots last.
        rem = float(supply_cap[0])
        slots = int(k_s[0])
        open_ = k_d[dr] > 0
        picked: list[int] = []
        amounts: list[float] = []
        pos = 0
        steps = 0
        while slots > 0 and rem > _EPS and pos < len(order):
            steps += 1
            fits = open_[pos:] & (np.minimum(want[pos:], rem) >= floor[pos:])
            if not fits.any():
                break
            j = pos + int(fits.argmax())
            q = min(float(want[j]), rem)
            picked.append(j)
            amounts.append(q)
            rem -= q
            slots -= 1
            pos = j + 1
        chosen = np.array(picked, dtype=np.int64)
        return order[chosen].astype(np.int64), np.array(amounts, dtype=np.float64), steps
    # One demand: each supply decides alone; the demand takes the first k that fit.
    q = np.minimum(want, cap)
    fits = (k_s[sr] > 0) & (cap > _EPS) & (q >= floor)
    chosen = np.flatnonzero(fits)[: max(int(k_d[0]), 0)]
    return order[chosen].astype(np.int64), q[chosen], 1


def allocation_value(score: np.ndarray, qty: np.ndarray) -> float:
    """The objective: sum of score x suggested quantity."""
    return float(np.dot(np.asarray(score, dtype=np.float64), qty))
