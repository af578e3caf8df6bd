"""Stage 2a: the meetings of one session into its slots, as an edge colouring.

Participants are vertices, meetings edges, slots colours; at most ``tables`` edges per colour.

1. Published meetings go back to their slot when both sides are free there.
2. The others, hardest first (busiest endpoints), go to a slot where both sides are free,
   preferring one next to a meeting either already has (fewer gaps); when there is none, a
   Kempe chain frees one: take a slot α free at ``a`` and β free at ``b`` and swap α and β along
   the α/β path from ``b`` (or the same from ``a``). In a bipartite graph the path never
   reaches ``a`` (König), so every meeting is coloured when no endpoint has more meetings than
   slots.
3. Slots over the table limit are balanced (de Werra): the edges of two slots i and j form
   paths and even cycles; a path with one more i-edge than j-edges is swapped, moving one
   meeting from i to j. When every slot may be used by every meeting, this always succeeds
   while i holds more than j, so the slots end with at most ``ceil(E / slots) <= tables``.

Slots a side excluded are honoured at every step (a swap that would break one is skipped), so
with exclusions, or with odd cycles, a meeting may stay uncoloured; CP-SAT (``slots.py``) then
gets another try.
"""

from __future__ import annotations

import numpy as np


class Colouring:
    def __init__(self, u, v, allowed, tables: int):
        self.u = np.asarray(u, dtype=np.int64)
        self.v = np.asarray(v, dtype=np.int64)
        self.allowed = allowed  # (E, n) bool
        self.tables = tables
        n_edges, self.n = allowed.shape
        n_vertices = int(max(self.u.max(initial=-1), self.v.max(initial=-1))) + 1
        self.busy = np.full((n_vertices, self.n), -1, dtype=np.int64)
        self.colour = np.full(n_edges, -1, dtype=np.int64)
        self.count = np.zeros(self.n, dtype=np.int64)
        self.pinned = np.zeros(n_edges, dtype=bool)  # back in its published slot: swap last

    def put(self, e: int, j: int) -> None:
        self.colour[e] = j
        self.busy[self.u[e], j] = e
        self.busy[self.v[e], j] = e
        self.count[j] += 1

    def take(self, e: int) -> None:
        j = self.colour[e]
        self.busy[self.u[e], j] = -1
        self.busy[self.v[e], j] = -1
        self.count[j] -= 1
        self.colour[e] = -1

    def free(self, e: int) -> tuple[np.ndarray, np.ndarray]:
        return (
            self.allowed[e] & (self.busy[self.u[e]] < 0),
            self.allowed[e] & (self.busy[self.v[e]] < 0),
        )

    def place(self, e: int, *, capacity: bool) -> bool:
        """Put ``e`` in a slot where both sides are free, the one with the fewest gaps."""
        free_u, free_v = self.free(e)
        both = free_u & free_v
        if capacity:
            both &= self.count < self.tables
        choices = np.flatnonzero(both)
        if choices.size == 0:
            return False
        self.put(e, int(max(choices, key=lambda j: self._fit(e, j))))
        return True

    def _fit(self, e: int, j: int) -> tuple[int, int]:
        busy, near = self.busy, 0
        for p in (self.u[e], self.v[e]):
            near += int(j > 0 and busy[p, j - 1] >= 0) + int(j + 1 < self.n and busy[p, j + 1] >= 0)
        return near, -int(self.count[j])

    def walk(self, vertex: int, first: int, second: int, stop: int = -1) -> list[int]:
        """The edges of the path from ``vertex`` alternating colours ``first``, ``second``."""
        path, colour, at = [], first, vertex
        while True:
            e = self.busy[at, colour]
            if e < 0 or e == stop or (path and e == path[0]):
                return path
            path.append(int(e))
            at = self.v[e] if self.u[e] == at else self.u[e]
            colour = second if colour == first else first

    def swap(self, path: list[int], i: int, j: int) -> bool:
        """Exchange colours i and j along ``path`` if every edge may take its new slot."""
        new = [j if self.colour[e] == i else i for e in path]
        if not all(self.allowed[e, c] for e, c in zip(path, new, strict=True)):
            return False
        for e in path:
            self.take(e)
        for e, c in zip(path, new, strict=True):
            self.put(e, c)
            self.pinned[e] = False
        return True

    def kempe(self, e: int) -> bool:
        """Free a slot for ``e`` by one Kempe swap, from either end.

        For a slot α that one end ``x`` has free (and ``e`` may take) and a slot β the other end
        ``y`` has free (any), swap α and β along the α/β path from ``y``: then ``y`` is free at
        α too. The path must not reach ``x`` (it cannot in a bipartite graph).
        """
        free_u, free_v = self.free(e)
        ends = (
            (self.u[e], self.v[e], free_u),
            (self.v[e], self.u[e], free_v),
        )
        for x, y, free_x in ends:
            open_y = np.flatnonzero(self.busy[y] < 0)
            for alpha in np.flatnonzero(free_x):
                for beta in open_y:
                    if alpha == beta:
                        continue
                    path = self.walk(y, int(alpha), int(beta))
                    touches_x = any(x in (self.u[f], self.v[f]) for f in path)
                    if not touches_x and self.swap(path, int(alpha), int(beta)):
                        self.put(e, int(alpha))
                        return True
        return False

    def component(self, e: int, i: int, j: int) -> list[int]:
        """The i/j path or cycle through i-edge ``e``."""
        forward = self.walk(self.v[e], j, i, stop=e)
        if forward and self.busy[self.u[e], j] == forward[-1]:  # closed: an even cycle
            return [e, *forward]
        backward = self.walk(self.u[e], j, i, stop=e)
        return [*reversed(backward), e, *forward]

    def balance(self, weight: np.ndarray) -> None:
        while self.count.max(initial=0) > self.tables:
            i = int(np.argmax(self.count))
            if not self._shift_one(i):
                # No swap may move a meeting out of slot i: the least valuable one waits.
                edges = np.flatnonzero(self.colour == i)
                self.take(int(min(edges, key=lambda f: (self.pinned[f], weight[f]))))

    def _shift_one(self, i: int) -> bool:
        edges = [int(e) for e in np.flatnonzero(self.colour == i)]
        for j in np.argsort(self.count, kind="stable"):
            j = int(j)
            if j == i or self.count[j] >= self.tables:
                continue
            seen: set[int] = set()
            best = None
            for e in edges:
                if e in seen:
                    continue
                comp = self.component(e, i, j)
                seen.update(comp)
                n_i = sum(1 for f in comp if self.colour[f] == i)
                if n_i != len(comp) - n_i + 1:
                    continue
                new_ok = all(self.allowed[f, j if self.colour[f] == i else i] for f in comp)
                if new_ok and (best is None or self._cost(comp) < self._cost(best)):
                    best = comp
                    if self._cost(best) == (0, 1):
                        break
            if best is not None and self.swap(best, i, j):
                return True
        return False

    def _cost(self, comp: list[int]) -> tuple[int, int]:
        return int(self.pinned[comp].sum()), len(comp)


def colour_session(
    u: np.ndarray,
    v: np.ndarray,
    allowed: np.ndarray,
    preferred: np.ndarray,
    weight: np.ndarray,
    tables: int,
) -> np.ndarray:
    """Local slot of each edge (-1 = not placed). ``preferred[e]`` is its published slot or -1."""
    c = Colouring(u, v, allowed, tables)
    if len(u) == 0:
        return c.colour
    for e in np.flatnonzero(preferred >= 0):
        j = int(preferred[e])
        if c.allowed[e, j] and c.busy[c.u[e], j] < 0 and c.busy[c.v[e], j] < 0:
            c.put(int(e), j)
            c.pinned[e] = True
    degree = np.bincount(np.r_[c.u, c.v])
    order = sorted(
        (int(e) for e in np.flatnonzero(c.colour < 0)),
        key=lambda e: (-(degree[c.u[e]] + degree[c.v[e]]), -weight[e], e),
    )
    for e in order:
        if not c.place(e, capacity=False):
            c.kempe(e)
    c.balance(weight)
    for e in sorted(np.flatnonzero(c.colour < 0).tolist(), key=lambda e: -weight[e]):
        c.place(e, capacity=True)
    return c.colour
