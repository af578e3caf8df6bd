"""The synthetic category tree: 240 categories (14 families, 44 groups, 182 kinds).

Each family has a dimension and a typical price; kinds get a seeded Zipf-like popularity
inside their group (a few kinds, Robusta, ST25, durian, dominate) and a price spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchmaking.benchmarks import families_farm, families_goods
from matchmaking.benchmarks.family import Family

# The order is part of the market: the seeded draws walk the tree in this order.
FAMILIES: tuple[Family, ...] = families_farm.FAMILIES + families_goods.FAMILIES


@dataclass(frozen=True)
class Catalogue:
    parent: np.ndarray
    names: list[str]
    names_en: list[str]
    level: np.ndarray
    family: np.ndarray
    dimension: np.ndarray
    price: np.ndarray
    popularity: np.ndarray

    def index(self, name: str) -> int:
        """Index of a category by its Vietnamese or English name, e.g. ``"Robusta coffee"``."""
        for i, (vi, en) in enumerate(zip(self.names, self.names_en, strict=True)):
            if name in (vi, en):
                return i
        raise KeyError(name)


def build_catalogue(seed: int = 0) -> Catalogue:
    """The fixed category tree, with a seeded Zipf-like popularity of the kinds."""
    rng = np.random.default_rng(seed + 7)
    parent: list[int] = []
    names: list[str] = []
    names_en: list[str] = []
    level: list[int] = []
    family: list[int] = []
    dims: list[int] = []
    price: list[float] = []
    weight: list[float] = []
    for f_idx, fam in enumerate(FAMILIES):
        root = len(parent)
        parent.append(-1)
        names.append(fam.name)
        names_en.append(fam.name_en)
        level.append(0)
        family.append(f_idx)
        dims.append(fam.dimension)
        price.append(fam.price)
        weight.append(fam.weight)
        for g_name, g_en, g_dim, kinds in fam.groups:
            group = len(parent)
            dim = fam.dimension if g_dim is None else g_dim
            parent.append(root)
            names.append(g_name)
            names_en.append(g_en)
            level.append(1)
            family.append(f_idx)
            dims.append(dim)
            price.append(fam.price)
            weight.append(fam.weight / len(fam.groups))
            # Zipf-like inside a group: a few kinds (Robusta, ST25, durian) dominate.
            ranks = rng.permutation(len(kinds)) + 1
            shares = 1.0 / ranks**0.9
            shares /= shares.sum()
            for (k_name, k_en), share in zip(kinds, shares, strict=True):
                parent.append(group)
                names.append(k_name)
                names_en.append(k_en)
                level.append(2)
                family.append(f_idx)
                dims.append(dim)
                price.append(fam.price * float(np.exp(rng.normal(0, 0.4))))
                weight.append(fam.weight / len(fam.groups) * share)
    pop = np.array(weight)
    return Catalogue(
        parent=np.array(parent, dtype=np.int32),
        names=names,
        names_en=names_en,
        level=np.array(level, dtype=np.int8),
        family=np.array(family, dtype=np.int16),
        dimension=np.array(dims, dtype=np.int8),
        price=np.array(price),
        popularity=pop,
    )
