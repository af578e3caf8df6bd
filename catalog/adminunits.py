"""Read Vietnam's administrative units from the ``vietnamadminunits`` package (MIT).

The package ships a SQLite dataset: ``admin_units`` holds the 34 provinces in force since
1 July 2025, ``admin_units_legacy`` the 63 before, and ``data/converter_2025.json`` maps each
new province key to the old province keys it absorbed (``DICT_PROVINCE``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import vietnamadminunits
from vietnamadminunits.database import query

CONVERTER_JSON = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"


@dataclass(frozen=True)
class CurrentProvince:
    code: str
    name: str  # short name: "Hồ Chí Minh", "Huế"
    full_name: str  # "Thành phố Hồ Chí Minh"
    key: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "city" if self.full_name.startswith("Thành phố") else "province"


@dataclass(frozen=True)
class LegacyProvince:
    code: str
    name: str
    full_name: str
    key: str
    current_code: str
    aliases: tuple[str, ...]


def _aliases(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


@cache
def current_provinces() -> tuple[CurrentProvince, ...]:
    rows = query(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey, provinceLat, "
        "provinceLon, provinceAlias FROM admin_units ORDER BY provinceCode"
    )
    return tuple(
        CurrentProvince(
            code=r["provinceCode"],
            name=r["provinceShort"],
            full_name=r["province"],
            key=r["provinceKey"],
            latitude=r["provinceLat"],
            longitude=r["provinceLon"],
            aliases=_aliases(r["provinceAlias"]),
        )
        for r in rows
    )


@cache
def province_conversion() -> dict[str, list[str]]:
    """New province key -> the old province keys it absorbed (the package's DICT_PROVINCE)."""
    with CONVERTER_JSON.open(encoding="utf-8") as fh:
        return json.load(fh)["DICT_PROVINCE"]


@cache
def legacy_provinces() -> tuple[LegacyProvince, ...]:
    current_by_key = {p.key: p.code for p in current_provinces()}
    new_key_of_old = {old: new for new, olds in province_conversion().items() for old in olds}
    rows = query(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey, provinceAlias "
        "FROM admin_units_legacy ORDER BY provinceCode"
    )
    return tuple(
        LegacyProvince(
            code=r["provinceCode"],
            name=r["provinceShort"],
            full_name=r["province"],
            key=r["provinceKey"],
            current_code=current_by_key[new_key_of_old[r["provinceKey"]]],
            aliases=_aliases(r["provinceAlias"]),
        )
        for r in rows
    )


@dataclass(frozen=True)
class Town:
    """A pre-2025 city, town or urban district ("Buôn Ma Thuột", "Thủ Đức", "Pleiku"): the
    names people still write for where they are, under their current province."""

    name: str
    kind: str  # "Thành phố", "Thị xã", "Quận"
    legacy_province_code: str
    current_code: str


TOWN_KINDS = ("Thành phố", "Thị xã", "Quận")


@cache
def towns() -> tuple[Town, ...]:
    """The package's pre-2025 cities, towns and urban districts (``admin_units_legacy``).

    Rural districts (huyện) are left out: their names repeat across provinces ("Châu Thành"
    is in eleven) and are not what people type for a place. A bare number is never a name.
    """
    current_of = {p.code: p.current_code for p in legacy_provinces()}
    rows = query(
        "SELECT DISTINCT districtShort, districtType, provinceCode FROM admin_units_legacy "
        "WHERE districtType IN ('Thành phố', 'Thị xã', 'Quận') ORDER BY provinceCode, districtShort"
    )
    return tuple(
        Town(
            name=r["districtShort"],
            kind=r["districtType"],
            legacy_province_code=r["provinceCode"],
            current_code=current_of[r["provinceCode"]],
        )
        for r in rows
        if r["districtShort"] and not r["districtShort"].strip().isdigit()
    )
