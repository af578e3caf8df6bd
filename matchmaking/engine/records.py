"""The engine's inputs and outputs: columnar numpy tables, a context and a plain result.

Nothing here knows about Django. The caller (``matchmaking.services``) builds a
:class:`ListingTable` per side from the database, a :class:`Context` from the reference data,
calls :func:`matchmaking.engine.match_full` or :func:`matchmaking.engine.match_one` and stores
the :class:`Result` rows.

Conventions the caller must follow:

* quantities are in the base unit of their dimension (kg, litre, piece): tấn = 1000 kg,
  tạ = 100 kg, yến = 10 kg; prices are VND per base unit, NaN when not given;
* days are ``date.toordinal()`` numbers (see :func:`day_number`), windows inclusive;
* ``certs`` is a bitmask, bit *i* standing for ``Context.cert_names[i]``;
* ids fit in 32 bits (declined pairs are keyed as ``supply_id << 32 | demand_id``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from matchmaking.engine.geo import distance_matrix_km
from matchmaking.engine.tree import CategoryTree

# The fixed order of the factor columns in ``Result.factors`` and of the weights.
FACTORS: tuple[str, ...] = (
    "product",
    "quantity",
    "price",
    "distance",
    "programme",
    "time",
    "trust",
)

# The documented defaults (README, .env.example); ``config.settings`` reads them from here.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "product": 0.30,
    "quantity": 0.15,
    "price": 0.15,
    "distance": 0.10,
    "programme": 0.10,
    "time": 0.10,
    "trust": 0.10,
}

MASS, VOLUME, COUNT = 0, 1, 2

# Column name -> dtype. ``name_sig``, ``intent`` and ``offer`` are (n, 2) uint64 (see
# ``WIDE``); all others are 1-D.
_COLUMNS: dict[str, Any] = {
    "id": np.int64,
    "org": np.int64,
    "category": np.int32,
    "product": np.int64,
    "province": np.int16,
    "dimension": np.int8,
    "qty": np.float64,
    "min_order": np.float64,
    "price_min": np.float64,
    "price_max": np.float64,
    "start": np.int32,
    "end": np.int32,
    "certs": np.uint64,
    "ocop": np.int8,
    "trust": np.float32,
    "name_sig": np.uint64,
    "open": np.bool_,
    "intent": np.uint64,
    "offer": np.uint64,
    "flags": np.uint8,
}
WIDE = frozenset({"name_sig", "intent", "offer"})
# ``flags`` bits: the supply is resold by a trader (not its producer); the demand asks for
# producers. See ``matchmaking.engine.relevance``.
FLAG_RESELLER = 1
FLAG_WANTS_PRODUCER = 2


def day_number(day: dt.date) -> int:
    """The day numbering the engine uses for windows and ``Config.today``."""
    return day.toordinal()


@dataclass
class ListingTable:
    """One side of the market, one listing per index.

    Supplies and demands share the layout; a few columns read differently per side:
    ``certs`` held (supply) or required (demand), ``ocop`` stars held (supply) or the minimum
    required (demand, 0 = none), ``min_order`` the smallest lot sold (supply) or taken
    (demand), 0 = none.

    ``offer`` and ``intent`` are 128-bit masks over the catalogue's concept vocabulary (one
    exact bit per concept, ``matchmaking.engine.relevance``): ``offer`` what the listing is
    (its title, product and category), ``intent`` the products a demand's own words ask for
    beyond its category ("Robusta only" under coffee), 0 = no such words. ``flags`` holds
    :data:`FLAG_RESELLER` / :data:`FLAG_WANTS_PRODUCER`. The three default to 0.
    """

    id: np.ndarray
    org: np.ndarray
    category: np.ndarray
    product: np.ndarray
    province: np.ndarray
    dimension: np.ndarray
    qty: np.ndarray
    min_order: np.ndarray
    price_min: np.ndarray
    price_max: np.ndarray
    start: np.ndarray
    end: np.ndarray
    certs: np.ndarray
    ocop: np.ndarray
    trust: np.ndarray
    name_sig: np.ndarray
    open: np.ndarray
    intent: np.ndarray | None = None
    offer: np.ndarray | None = None
    flags: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.id)
        for name in ("intent", "offer", "flags"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros((n, 2) if name in WIDE else n))
        for name, dtype in _COLUMNS.items():
            setattr(self, name, np.ascontiguousarray(getattr(self, name), dtype=dtype))
        for name in WIDE:
            if getattr(self, name).size == 0:
                setattr(self, name, getattr(self, name).reshape(0, 2))
            if getattr(self, name).shape != (n, 2):
                raise ValueError(
                    f"{name} must have shape ({n}, 2), not {getattr(self, name).shape}"
                )
        for name in _COLUMNS:
            if name not in WIDE and getattr(self, name).shape != (n,):
                raise ValueError(f"column {name!r} must have shape ({n},)")
        # NaN means "no price" for prices only; elsewhere it would silently drop pairs.
        for name in ("qty", "min_order", "trust"):
            if np.isnan(getattr(self, name)).any():
                raise ValueError(f"column {name!r} must not contain NaN")

    def __len__(self) -> int:
        return len(self.id)

    @classmethod
    def empty(cls) -> ListingTable:
        return cls(**{name: np.zeros((0, 2) if name in WIDE else 0) for name in _COLUMNS})

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> ListingTable:
        """Build a table from dicts keyed by column name (convenient for small sets and tests).

        Missing keys take neutral defaults: no product (-1), no minimum order, no price,
        no certification or OCOP requirement, trust 0.5, an empty name signature, open.
        """
        rows = list(records)
        defaults: dict[str, Any] = {
            "product": -1,
            "min_order": 0.0,
            "price_min": np.nan,
            "price_max": np.nan,
            "certs": 0,
            "ocop": 0,
            "trust": 0.5,
            "name_sig": (0, 0),
            "open": True,
            "intent": (0, 0),
            "offer": (0, 0),
            "flags": 0,
        }
        columns: dict[str, Any] = {}
        for name in _COLUMNS:
            values = [row.get(name, defaults.get(name)) for row in rows]
            if any(v is None for v in values):
                raise ValueError(f"column {name!r} is required")
            if name in WIDE:
                columns[name] = np.array(values, dtype=np.uint64).reshape(len(rows), 2)
            else:
                columns[name] = np.array(values, dtype=_COLUMNS[name])
        return cls(**columns)

    def take(self, index: np.ndarray | Sequence[int] | slice) -> ListingTable:
        """The listings at ``index`` (an index array, a boolean mask or a slice)."""
        return ListingTable(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def row(self, i: int) -> dict[str, Any]:
        """One listing as plain Python values (for explanations and debugging)."""
        out: dict[str, Any] = {}
        for name in _COLUMNS:
            value = getattr(self, name)[i]
            out[name] = tuple(int(v) for v in value) if name in WIDE else value.item()
        return out


@dataclass(frozen=True)
class Config:
    """Tuning knobs. Weights are normalised to sum to 1 (see :attr:`weight_vector`)."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    max_per_demand: int = 10
    max_per_supply: int = 20
    min_score: float = 0.35
    today: int = field(default_factory=lambda: day_number(dt.date.today()))
    # Share of the product factor given to name similarity; the rest is structural.
    text_share: float = 0.2
    # How many candidate pairs per demand and per supply survive scoring before allocation
    # (0 = automatic: 2 x max_per_demand and max(10, max_per_supply / 2)). A pair outside
    # both lists is beaten on both sides by pairs that are kept and is dropped to bound
    # memory; on the synthetic 20k market this changes the allocated value by < 0.01 %.
    candidates_per_demand: int = 0
    candidates_per_supply: int = 0
    # Pairs scored at once per tile in ``match_full`` (bounds memory) and worker threads.
    tile_pairs: int = 8_000_000
    workers: int = 0
    # Sharper relevance (``engine.relevance``): score multipliers for a supply that names
    # none of the products a demand's words ask for, and for a resold supply offered to a
    # demand that asks for producers (1 = off).
    intent_penalty: float = 0.6
    reseller_penalty: float = 0.8
    # Fair exposure (``engine.exposure``): at most this much added to the ranking key of a
    # supply's best candidate pairs in allocation (0 = off). Stored scores stay unchanged.
    exposure_bonus: float = 0.05

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(FACTORS)
        if unknown:
            raise ValueError(f"unknown factor weights: {sorted(unknown)}")
        if any(self.weights.get(f, 0.0) < 0 for f in FACTORS):
            raise ValueError("factor weights must not be negative")
        if sum(self.weights.get(f, 0.0) for f in FACTORS) <= 0:
            raise ValueError("at least one factor weight must be positive")
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError("min_score must lie in [0, 1]")
        if self.max_per_demand < 1 or self.max_per_supply < 1:
            raise ValueError("max_per_demand and max_per_supply must be at least 1")
        if not (0.0 < self.intent_penalty <= 1.0 and 0.0 < self.reseller_penalty <= 1.0):
            raise ValueError("relevance penalties must lie in (0, 1]")
        if not 0.0 <= self.exposure_bonus <= 0.1:
            raise ValueError("exposure_bonus must lie in [0, 0.1]")

    @property
    def weight_vector(self) -> np.ndarray:
        raw = np.array([float(self.weights.get(f, 0.0)) for f in FACTORS], dtype=np.float64)
        return raw / raw.sum()

    @property
    def k_demand(self) -> int:
        return self.candidates_per_demand or 2 * self.max_per_demand

    @property
    def k_supply(self) -> int:
        return self.candidates_per_supply or max(10, self.max_per_supply // 2)


def pair_keys(supply_ids: np.ndarray, demand_ids: np.ndarray) -> np.ndarray:
    """The int64 key of (supply id, demand id) pairs used for ``Context.declined``."""
    s = np.asarray(supply_ids, dtype=np.int64)
    d = np.asarray(demand_ids, dtype=np.int64)
    if s.size and (s.min() < 0 or s.max() >= 2**31 or d.min() < 0 or d.max() >= 2**32):
        raise ValueError("listing ids must be non-negative and below 2**31 for pair keys")
    return (s << 32) | d


def declined_keys(pairs: Iterable[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Sorted unique keys of declined (supply_id, demand_id) pairs."""
    arr = np.asarray(list(pairs) if not isinstance(pairs, np.ndarray) else pairs, dtype=np.int64)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    arr = arr.reshape(-1, 2)
    return np.unique(pair_keys(arr[:, 0], arr[:, 1]))


@dataclass
class Context:
    """Reference data the engine needs besides the listings.

    ``parent[c]`` is the parent index of category ``c`` (-1 for a root). Provinces are indexed
    0..P-1 as in ``ListingTable.province``. ``programme[a, b]`` is the index in
    ``programme_names`` of a cooperation programme covering both provinces ``a`` and ``b``
    (-1 when none); the engine uses the matrix as given, so its diagonal decides whether a
    pair inside one member province earns the programme factor. ``declined`` holds keys from
    :func:`declined_keys` (a set of (supply_id, demand_id) tuples is converted on creation).

    ``tree`` and ``distance_km`` are derived from ``parent`` and the province centres when
    the context is built; :meth:`for_run` gives a copy with other declined pairs and config
    that shares them (the per-call variation of one reference data set).
    """

    parent: np.ndarray
    category_names: Sequence[str]
    category_names_en: Sequence[str]
    province_lat: np.ndarray
    province_lon: np.ndarray
    province_names: Sequence[str]
    province_names_en: Sequence[str]
    programme: np.ndarray
    programme_names: Sequence[str] = ()
    programme_names_en: Sequence[str] = ()
    province_region: np.ndarray | None = None
    region_names: Sequence[str] = ()
    region_names_en: Sequence[str] = ()
    declined: Any = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    config: Config = field(default_factory=Config)
    # Bit i of ``certs`` -> (Vietnamese, English) name, for explanations.
    cert_names: Sequence[tuple[str, str]] = ()
    # True for centrally-run cities ("thành phố"), else a province ("tỉnh"); explanations only.
    province_is_city: Sequence[bool] = ()
    # Product id -> (Vietnamese, English) name, for explanations; optional.
    product_names: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    # Organization id -> what its declines taught (``engine.learning.Learned``); optional.
    learned: Mapping[int, Any] = field(default_factory=dict)
    # Derived on creation (see above); pass them only to share them with a copy.
    tree: CategoryTree | None = None
    distance_km: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.parent = np.ascontiguousarray(self.parent, dtype=np.int32)
        self.province_lat = np.ascontiguousarray(self.province_lat, dtype=np.float64)
        self.province_lon = np.ascontiguousarray(self.province_lon, dtype=np.float64)
        self.programme = np.ascontiguousarray(self.programme, dtype=np.int16)
        n_prov = len(self.province_lat)
        if self.programme.shape != (n_prov, n_prov):
            raise ValueError("programme must be a P x P matrix")
        if len(self.category_names) != len(self.parent):
            raise ValueError("one category name per category is required")
        if self.province_region is not None:
            self.province_region = np.asarray(self.province_region, dtype=np.int16)
        if not isinstance(self.declined, np.ndarray) or self.declined.ndim != 1:
            self.declined = declined_keys(self.declined)
        else:
            self.declined = np.unique(self.declined.astype(np.int64))
        if self.tree is None:
            self.tree = CategoryTree(self.parent)
        if self.distance_km is None:
            self.distance_km = distance_matrix_km(self.province_lat, self.province_lon)

    @property
    def n_provinces(self) -> int:
        return len(self.province_lat)

    def for_run(self, *, declined: Any, config: Config, learned: Any = None) -> Context:
        """The same reference data with this call's declined pairs, configuration and (when
        given) what organizations' declines taught."""
        if learned is None:
            return replace(self, declined=declined, config=config)
        return replace(self, declined=declined, config=config, learned=learned)


@dataclass
class Result:
    """Proposed pairs, one per index, best first within each demand.

    ``supply_idx``/``demand_idx`` index the tables passed in (for :func:`match_one` the
    listing itself is row 0 of its side). ``factors`` columns follow :data:`FACTORS`;
    ``score`` is ``factors @ weights``. ``stats`` reports the work done.
    """

    supply_idx: np.ndarray
    demand_idx: np.ndarray
    supply_id: np.ndarray
    demand_id: np.ndarray
    score: np.ndarray
    factors: np.ndarray
    suggested_qty: np.ndarray
    weights: np.ndarray
    stats: dict[str, Any] = field(default_factory=dict)
    # Per-pair weights (n, 7) where an organization's declines reweighed them, else None
    # (then ``weights`` holds for every pair); and the relevance multiplier per pair.
    pair_weights: np.ndarray | None = None
    relevance: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.supply_idx)

    def weights_of(self, i: int) -> np.ndarray:
        return self.weights if self.pair_weights is None else self.pair_weights[i]

    def row(self, i: int) -> Proposal:
        return Proposal(
            supply_idx=int(self.supply_idx[i]),
            demand_idx=int(self.demand_idx[i]),
            score=float(self.score[i]),
            factors={f: float(v) for f, v in zip(FACTORS, self.factors[i], strict=True)},
            weights={f: float(w) for f, w in zip(FACTORS, self.weights_of(i), strict=True)},
            suggested_qty=float(self.suggested_qty[i]),
        )

    def __iter__(self):
        return (self.row(i) for i in range(len(self)))


@dataclass(frozen=True)
class Proposal:
    """One proposed pair as plain Python values."""

    supply_idx: int
    demand_idx: int
    score: float
    factors: dict[str, float]
    weights: dict[str, float]
    suggested_qty: float
