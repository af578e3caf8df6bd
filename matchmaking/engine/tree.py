"""The category tree as intervals, so "is a descendant of" is two integer comparisons.

A depth-first walk numbers the categories (``tin``); the subtree of ``c`` is then exactly the
categories numbered ``tin[c] .. tout[c] - 1``. Sorting listings by ``tin`` of their category
turns "supplies in the subtree of c" into one contiguous slice.
"""

from __future__ import annotations

import numpy as np


class CategoryTree:
    def __init__(self, parent: np.ndarray) -> None:
        parent = np.asarray(parent, dtype=np.int64)
        n = len(parent)
        children: list[list[int]] = [[] for _ in range(n)]
        roots: list[int] = []
        for c, p in enumerate(parent.tolist()):
            if p < 0:
                roots.append(c)
            elif p >= n or p == c:
                raise ValueError(f"category {c} has an invalid parent {p}")
            else:
                children[p].append(c)
        tin = np.full(n, -1, dtype=np.int32)
        tout = np.zeros(n, dtype=np.int32)
        depth = np.zeros(n, dtype=np.int16)
        counter = 0
        # Iterative DFS: a deep tree must not hit the recursion limit.
        for root in roots:
            stack: list[tuple[int, bool]] = [(root, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    tout[node] = counter
                    continue
                tin[node] = counter
                counter += 1
                stack.append((node, True))
                for child in reversed(children[node]):
                    depth[child] = depth[node] + 1
                    stack.append((child, False))
        if (tin < 0).any():
            raise ValueError("the category tree has a cycle")
        self.parent = parent.astype(np.int32)
        self.tin = tin
        self.tout = tout
        self.depth = depth
        self.n = n

    def is_within(self, category: np.ndarray, ancestor: np.ndarray) -> np.ndarray:
        """``category`` equals ``ancestor`` or descends from it (element-wise, broadcasting)."""
        t = self.tin[category]
        return (self.tin[ancestor] <= t) & (t < self.tout[ancestor])

    def ancestors(self, category: int) -> list[int]:
        """``category`` and its ancestors, nearest first."""
        out = []
        c = int(category)
        while c >= 0:
            out.append(c)
            c = int(self.parent[c])
        return out
