"""A realistic synthetic market for tests and benchmarks, seeded and Django-free.

``synthetic_market(n_supply, n_demand, seed)`` returns ``(supplies, demands, context)``:

* the category tree of ``catalogue.py`` (240 categories, Vietnamese and English names, a
  dimension and a typical price each), the 34 provinces and four cooperation programmes of
  ``geography.py``;
* supplies mostly from the provinces that grow the product, demands mostly from the cities;
  popularity of categories skewed (Zipf-like), buyers more often asking for a whole group or
  family ("trái cây") than suppliers;
* quantities lognormal in kg, litres or pieces; windows around ``today``; certifications with
  realistic frequencies (VietGAP common, halal rare), about 30 % of demands requiring one;
  OCOP stars on about 20 % of supplies; a few organisations on both sides; titles in
  Vietnamese, unaccented Vietnamese or English.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from catalog.regions import REGIONS
from catalog.text import fold
from matchmaking.benchmarks.catalogue import FAMILIES, Catalogue, build_catalogue
from matchmaking.benchmarks.geography import (
    BUYER_PROVINCES,
    PROGRAMMES,
    PROVINCES,
    programme_matrix,
    province_index,
)
from matchmaking.engine.factors import trust_score
from matchmaking.engine.records import MASS, VOLUME, Config, Context, ListingTable
from matchmaking.engine.records import day_number as _day_number
from matchmaking.engine.text import listing_text, signature

SYNTHETIC_TODAY = _day_number(dt.date(2025, 9, 1))

CERTIFICATIONS: tuple[tuple[str, str, str, float], ...] = (
    # code, Vietnamese, English, share of supplies holding it
    ("vietgap", "VietGAP", "VietGAP", 0.30),
    ("globalgap", "GlobalGAP", "GlobalG.A.P.", 0.08),
    ("organic", "Hữu cơ", "Organic", 0.06),
    ("haccp", "HACCP", "HACCP", 0.10),
    ("iso22000", "ISO 22000", "ISO 22000", 0.08),
    ("halal", "Halal", "Halal", 0.03),
    ("gi", "Chỉ dẫn địa lý", "Geographical indication", 0.05),
)

_TEMPLATES_VI = (
    "{name}",
    "{name} {province}",
    "Cung cấp {name}",
    "{name} loại 1",
    "{name} xuất khẩu",
    "{group} - {name}",
)
_TEMPLATES_DEMAND_VI = (
    "Cần mua {name}",
    "Thu mua {name}",
    "Tìm nguồn {name}",
    "{name} cho chuỗi bán lẻ",
    "Mua {name} số lượng lớn",
)
_TEMPLATES_EN = (
    "{name_en}",
    "{name_en} from {province_en}",
    "Premium {name_en}",
    "{name_en}, export grade",
)


def build_context(catalogue: Catalogue, today: int = SYNTHETIC_TODAY) -> Context:
    """The engine's context for the synthetic tree, provinces, programmes and certifications."""
    return Context(
        parent=catalogue.parent,
        category_names=catalogue.names,
        category_names_en=catalogue.names_en,
        province_lat=np.array([p.latitude for p in PROVINCES]),
        province_lon=np.array([p.longitude for p in PROVINCES]),
        province_names=[p.name for p in PROVINCES],
        province_names_en=[p.name_en for p in PROVINCES],
        province_region=np.array([p.region for p in PROVINCES]),
        region_names=[r[1] for r in REGIONS],
        region_names_en=[r[2] for r in REGIONS],
        programme=programme_matrix(),
        programme_names=[p[0] for p in PROGRAMMES],
        programme_names_en=[p[1] for p in PROGRAMMES],
        config=Config(today=today),
        cert_names=[(c[1], c[2]) for c in CERTIFICATIONS],
        province_is_city=[p.kind == "city" for p in PROVINCES],
    )


def cert_bit(code: str) -> int:
    """The ``certs`` bit of a certification code such as ``"vietgap"``."""
    for i, (c, *_rest) in enumerate(CERTIFICATIONS):
        if c == code:
            return 1 << i
    raise KeyError(code)


def _province_weights(catalogue: Catalogue, side: str) -> np.ndarray:
    """(families x provinces) probability of a listing's province."""
    n_prov = len(PROVINCES)
    out = np.zeros((len(FAMILIES), n_prov))
    for f_idx, fam in enumerate(FAMILIES):
        if side == "supply":
            w = np.full(n_prov, 0.2 / n_prov)
            for rank, name in enumerate(fam.growers):
                w[province_index(name)] += (
                    0.8 * (1.0 / (rank + 1)) / sum(1.0 / (r + 1) for r in range(len(fam.growers)))
                )
        else:
            w = np.full(n_prov, 0.19 / n_prov)
            for name, share in BUYER_PROVINCES.items():
                w[province_index(name)] += share
            for name in fam.growers:  # processors and traders near the growers
                w[province_index(name)] += 0.02
        out[f_idx] = w / w.sum()
    return out


def _titles(
    rng: np.random.Generator,
    catalogue: Catalogue,
    category: np.ndarray,
    province: np.ndarray,
    side: str,
) -> list[str]:
    templates_vi = _TEMPLATES_VI if side == "supply" else _TEMPLATES_DEMAND_VI
    style = rng.random(len(category))
    pick = rng.integers(0, 1000, len(category))
    out = []
    for c, p, s, k in zip(category.tolist(), province.tolist(), style, pick, strict=True):
        par = int(catalogue.parent[c])
        group = catalogue.names[par] if par >= 0 else catalogue.names[c]
        if s < 0.25:
            t = _TEMPLATES_EN[k % len(_TEMPLATES_EN)]
        else:
            t = templates_vi[k % len(templates_vi)]
        title = t.format(
            name=catalogue.names[c],
            name_en=catalogue.names_en[c],
            group=group,
            province=PROVINCES[p].name,
            province_en=PROVINCES[p].name_en,
        )
        if 0.25 <= s < 0.4:  # typed without diacritics
            title = fold(title)
        out.append(title)
    return out


def _listings(
    rng: np.random.Generator,
    catalogue: Catalogue,
    n: int,
    side: str,
    today: int,
    id_offset: int,
    orgs: np.ndarray,
) -> ListingTable:
    levels = catalogue.level
    # Buyers ask for a whole group or family ("trái cây") more often than sellers offer one.
    supply_share = {0: 0.02, 1: 0.10, 2: 0.88}
    level_share = supply_share if side == "supply" else {0: 0.06, 1: 0.22, 2: 0.72}
    # A listing at a group or family level stands for its whole subtree's popularity.
    subtree_pop = catalogue.popularity.copy()
    p = np.zeros(len(levels))
    for lvl, share in level_share.items():
        mask = levels == lvl
        p[mask] = share * subtree_pop[mask] / subtree_pop[mask].sum()
    p /= p.sum()
    category = rng.choice(len(levels), size=n, p=p).astype(np.int32)
    fam = catalogue.family[category]
    prov_w = _province_weights(catalogue, side)
    cum = np.cumsum(prov_w, axis=1)
    province = (rng.random(n)[:, None] > cum[fam]).sum(axis=1).astype(np.int16)
    province = np.minimum(province, len(PROVINCES) - 1)
    dimension = catalogue.dimension[category]

    # Quantities: lognormal around a scale per dimension, buyers a bit larger.
    scale = np.where(dimension == MASS, 3000.0, np.where(dimension == VOLUME, 800.0, 2000.0))
    if side == "demand":
        scale = scale * 1.3
    qty = np.round(scale * np.exp(rng.normal(0.0, 1.1, n)), 0)
    qty = np.maximum(qty, 10.0)
    # Tonnes are common for bulk goods: round big masses to whole tạ (100 kg).
    qty = np.where((dimension == MASS) & (qty > 2000), np.round(qty / 100) * 100, qty)
    min_order = np.zeros(n)
    has_min = rng.random(n) < (0.5 if side == "supply" else 0.3)
    frac = rng.uniform(0.02, 0.2, n) if side == "supply" else rng.uniform(0.1, 0.5, n)
    min_order[has_min] = np.round(qty[has_min] * frac[has_min], 0)

    base_price = catalogue.price[category]
    if side == "supply":
        pmin = base_price * np.exp(rng.normal(0.0, 0.15, n))
        pmax = pmin * rng.uniform(1.0, 1.2, n)
        no_price = rng.random(n) < 0.15
    else:
        pmax = base_price * np.exp(rng.normal(0.02, 0.15, n))
        pmin = pmax * rng.uniform(0.8, 1.0, n)
        no_price = rng.random(n) < 0.25
    pmin = np.round(pmin, -2)
    pmax = np.round(pmax, -2)
    pmin[no_price] = np.nan
    pmax[no_price] = np.nan
    only_max = ~no_price & (rng.random(n) < 0.1)
    pmin[only_max] = np.nan

    if side == "supply":
        start = today + rng.integers(-60, 60, n)
        end = start + rng.integers(30, 240, n)
    else:
        start = today + rng.integers(-30, 90, n)
        end = start + rng.integers(14, 180, n)

    certs = np.zeros(n, dtype=np.uint64)
    if side == "supply":
        for bit, (*_names, share) in enumerate(CERTIFICATIONS):
            certs |= np.where(rng.random(n) < share, np.uint64(1 << bit), np.uint64(0))
    else:
        wants = rng.random(n) < 0.30
        # Buyers ask mostly for VietGAP, HACCP or GlobalGAP.
        ask = rng.choice(len(CERTIFICATIONS), size=n, p=[0.45, 0.15, 0.1, 0.15, 0.08, 0.03, 0.04])
        certs[wants] = (np.uint64(1) << ask[wants].astype(np.uint64)).astype(np.uint64)
        two = wants & (rng.random(n) < 0.15)
        certs[two] |= np.uint64(1)  # VietGAP as the usual second requirement
    if side == "supply":
        has_ocop = rng.random(n) < 0.20
        stars = rng.choice([3, 4, 5], size=n, p=[0.6, 0.35, 0.05])
        ocop = np.where(has_ocop, stars, 0).astype(np.int8)
    else:
        r = rng.random(n)
        ocop = np.where(r < 0.03, 4, np.where(r < 0.10, 3, 0)).astype(np.int8)

    org = orgs[rng.integers(0, len(orgs), n)]
    verified = rng.random(len(orgs)) < (0.6 if side == "supply" else 0.7)
    accepted = rng.poisson(2.0, len(orgs))
    declined = rng.poisson(1.0, len(orgs))
    org_trust = {
        int(o): trust_score(bool(v), 0, int(a), int(d))
        for o, v, a, d in zip(orgs, verified, accepted, declined, strict=True)
    }
    trust = np.array([org_trust[int(o)] for o in org], dtype=np.float32)
    trust = np.minimum(1.0, trust + np.where(ocop > 0, 0.15 * (ocop / 5.0), 0.0)).astype(np.float32)

    product = np.full(n, -1, dtype=np.int64)
    leaf = levels[category] == 2
    has_product = leaf & (rng.random(n) < 0.4)
    # Three products per kind: id = category * 4 + k.
    product[has_product] = category[has_product] * 4 + rng.integers(0, 3, has_product.sum())

    titles = _titles(rng, catalogue, category, province, side)
    sig = np.array(
        [
            signature(listing_text(t, catalogue.names[c], catalogue.names_en[c]))
            for t, c in zip(titles, category.tolist(), strict=True)
        ],
        dtype=np.uint64,
    ).reshape(n, 2)
    is_open = rng.random(n) < 0.97
    return ListingTable(
        id=np.arange(id_offset, id_offset + n, dtype=np.int64),
        org=org,
        category=category,
        product=product,
        province=province,
        dimension=dimension,
        qty=qty,
        min_order=min_order,
        price_min=pmin,
        price_max=pmax,
        start=start.astype(np.int32),
        end=end.astype(np.int32),
        certs=certs,
        ocop=ocop,
        trust=trust,
        name_sig=sig,
        open=is_open,
    )


def synthetic_market(
    n_supply: int,
    n_demand: int,
    seed: int = 0,
    today: int = SYNTHETIC_TODAY,
    declined_share: float = 0.001,
) -> tuple[ListingTable, ListingTable, Context]:
    """A seeded synthetic market of ``n_supply`` supplies and ``n_demand`` demands."""
    rng = np.random.default_rng(seed)
    catalogue = build_catalogue(seed)
    context = build_context(catalogue, today)
    n_sup_org = max(1, n_supply // 5)
    n_dem_org = max(1, n_demand // 8)
    sup_orgs = np.arange(1, n_sup_org + 1, dtype=np.int64)
    dem_orgs = np.arange(n_sup_org + 1, n_sup_org + n_dem_org + 1, dtype=np.int64)
    # Some organisations both sell and buy (traders, processors).
    both = rng.choice(n_sup_org, size=max(1, n_dem_org // 30), replace=False)
    dem_orgs[: len(both)] = sup_orgs[both]
    supplies = _listings(rng, catalogue, n_supply, "supply", today, 1, sup_orgs)
    demands = _listings(rng, catalogue, n_demand, "demand", today, n_supply + 1, dem_orgs)
    n_declined = int(declined_share * min(n_supply, n_demand))
    if n_declined:
        # Declines happen between plausible partners: pick pairs in the same family.
        fam_s = catalogue.family[supplies.category]
        fam_d = catalogue.family[demands.category]
        pairs = []
        d_rows = rng.integers(0, n_demand, n_declined * 3)
        for d in d_rows.tolist():
            cand = np.flatnonzero(fam_s == fam_d[d])
            if len(cand):
                pairs.append((int(supplies.id[rng.choice(cand)]), int(demands.id[d])))
            if len(pairs) >= n_declined:
                break
        context.declined = np.unique(
            (np.array([p[0] for p in pairs], dtype=np.int64) << 32)
            | np.array([p[1] for p in pairs], dtype=np.int64)
        )
    return supplies, demands, context
