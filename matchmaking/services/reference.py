"""The reference data as the engine wants it: database ids → engine positions, names, the
cooperation-programme matrix, and today's matching configuration.

Reference rows (categories, provinces, certifications, programmes) change rarely but are read
on every listing save, so one copy is kept per process for at most ``CACHE_SECONDS`` (names
edited in the admin show within a minute). It is also checked on every use against a
fingerprint of those tables (one cheap query) and rebuilt as soon as a row was added, removed
or re-parented, so a kept copy is never used with unknown ids; :func:`clear_caches` drops it
outright (``matching.clear_caches`` drops every matching memo: tests, catalogue edits).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from cachetools import TTLCache
from django.conf import settings
from django.db import connection
from django.utils import timezone

from catalog.models import Certification, ProductCategory, Province
from matchmaking.engine import records
from matchmaking.models import CooperationProgramme

CACHE_SECONDS = 60
# The per-process copy: {"reference": Reference}; also dropped when its fingerprint differs.
_memo: TTLCache = TTLCache(maxsize=1, ttl=CACHE_SECONDS)


@dataclass(frozen=True)
class Reference:
    """Index maps from database ids to the engine's positions, and the engine's Context."""

    category_index: dict[int, int]
    category_ids: list[int]
    province_index: dict[int, int]
    cert_bit: dict[int, int]
    context: records.Context
    fingerprint: tuple = ()
    # CooperationProgramme pk of each index in ``context.programme_names`` (stored facts).
    programme_ids: tuple = ()

    def subtree_ids(self, category_id: int) -> list[int]:
        idx = self.category_index[category_id]
        inside = self.context.tree.is_within(
            np.arange(len(self.category_ids), dtype=np.int32),
            np.full(len(self.category_ids), idx, dtype=np.int32),
        )
        return [self.category_ids[i] for i in np.flatnonzero(inside)]

    def ancestor_ids(self, category_id: int) -> list[int]:
        parent = self.context.parent
        chain, node = [], self.category_index[category_id]
        while node >= 0:
            chain.append(self.category_ids[node])
            node = int(parent[node])
        return chain

    def root_of(self, category_id: int) -> int:
        return self.ancestor_ids(category_id)[-1]


def matching_config(today: datetime.date | None = None) -> records.Config:
    options = settings.MATCHING
    return records.Config(
        weights=options["WEIGHTS"],
        max_per_demand=options["MAX_PER_DEMAND"],
        max_per_supply=options["MAX_PER_SUPPLY"],
        min_score=options["MIN_SCORE"],
        today=records.day_number(today or timezone.localdate()),
        exposure_bonus=options.get("EXPOSURE_BONUS", records.Config.exposure_bonus),
    )


def clear_caches() -> None:
    _memo.clear()


def load_reference(*, declined=None, today: datetime.date | None = None, learned=None) -> Reference:
    """The reference data as the engine wants it; ``declined``, ``today`` and ``learned``
    (what organizations' declines taught, ``services.learning``) vary per call."""
    fingerprint = _fingerprint()
    base = _memo.get("reference")
    if base is None or base.fingerprint != fingerprint:
        base = _memo["reference"] = _build(fingerprint)
    context = base.context.for_run(
        declined=np.zeros(0, dtype=np.int64) if declined is None else declined,
        config=matching_config(today),
        learned=learned,
    )
    return replace(base, context=context)


def _fingerprint() -> tuple:
    """Changes whenever a category, province, certification or programme row is added,
    removed or re-parented, so a kept reference is never used with unknown ids."""
    tables = {
        "catalog_productcategory": "COALESCE(SUM(id + COALESCE(parent_id, 0) * 7), 0)",
        "catalog_province": "COUNT(*)",
        "catalog_certification": "COALESCE(SUM(id), 0)",
        "matchmaking_cooperationprogramme_provinces": "COALESCE(SUM(id), 0)",
    }
    sql = "SELECT " + ", ".join(f"(SELECT {expr} FROM {table})" for table, expr in tables.items())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _build(fingerprint: tuple) -> Reference:
    categories = list(
        ProductCategory.objects.order_by("pk").values_list("pk", "parent_id", "name", "name_en")
    )
    category_index = {pk: i for i, (pk, *_rest) in enumerate(categories)}
    parent = [category_index.get(p, -1) if p else -1 for _, p, _, _ in categories]

    provinces = list(
        Province.objects.order_by("pk").values_list(
            "pk",
            "name",
            "name_en",
            "latitude",
            "longitude",
            "region_id",
            "region__name",
            "region__name_en",
        )
    )
    province_index = {row[0]: i for i, row in enumerate(provinces)}
    region_ids = sorted({row[5] for row in provinces})
    region_pos = {rid: i for i, rid in enumerate(region_ids)}
    region_names = dict.fromkeys(region_ids, ("", ""))
    for row in provinces:
        region_names[row[5]] = (row[6], row[7])

    programme, programme_names, programme_names_en, programme_ids = _programme_matrix(
        province_index
    )

    certs = list(Certification.objects.order_by("pk").values_list("pk", "name", "name_en")[:64])
    cert_bit = {pk: i for i, (pk, _, _) in enumerate(certs)}

    context = records.Context(
        parent=np.array(parent, dtype=np.int32),
        category_names=[c[2] for c in categories],
        category_names_en=[c[3] for c in categories],
        province_lat=np.array([p[3] for p in provinces]),
        province_lon=np.array([p[4] for p in provinces]),
        province_names=[p[1] for p in provinces],
        province_names_en=[p[2] for p in provinces],
        programme=programme,
        programme_names=programme_names,
        programme_names_en=programme_names_en,
        province_region=np.array([region_pos[p[5]] for p in provinces], dtype=np.int16),
        region_names=[region_names[r][0] for r in region_ids],
        region_names_en=[region_names[r][1] for r in region_ids],
        cert_names=[(c[1], c[2]) for c in certs],
    )
    return Reference(
        category_index=category_index,
        category_ids=[c[0] for c in categories],
        province_index=province_index,
        cert_bit=cert_bit,
        context=context,
        fingerprint=fingerprint,
        programme_ids=tuple(programme_ids),
    )


def _programme_matrix(
    province_index: dict[int, int],
) -> tuple[np.ndarray, list[str], list[str], list[int]]:
    """``matrix[a, b]``: the first programme covering provinces a and b, -1 for none; the
    names and pks of the programmes by index."""
    n = len(province_index)
    programme = np.full((n, n), -1, dtype=np.int16)
    names: list[str] = []
    names_en: list[str] = []
    ids: list[int] = []
    members: dict[int, list[int]] = defaultdict(list)
    through = CooperationProgramme.provinces.through.objects.values_list(
        "cooperationprogramme_id", "province_id"
    )
    for programme_id, province_id in through:
        if province_id in province_index:
            members[programme_id].append(province_index[province_id])
    for programme_obj in CooperationProgramme.objects.order_by("pk"):
        idx = len(names)
        names.append(programme_obj.name)
        names_en.append(programme_obj.name_en)
        ids.append(programme_obj.pk)
        cells = np.array(members.get(programme_obj.pk, []), dtype=np.intp)
        if len(cells):
            block = programme[np.ix_(cells, cells)]
            block[block < 0] = idx
            programme[np.ix_(cells, cells)] = block
    return programme, names, names_en, ids
