"""Vietnam's six socio-economic regions and what we add to the 34 provinces.

Codes, names, kinds and centre points of the provinces come from the ``vietnamadminunits``
package (see ``catalog.adminunits``); only the English name and the region are ours.

Region of a current province: the region of the pre-2025 province whose name the merged unit
kept (Resolution 81/2023/QH15 lists the six regions by pre-2025 province). For example Phú Thọ
(Phú Thọ + Vĩnh Phúc + Hòa Bình) stays in the Northern Midlands and Mountains, Gia Lai (Gia Lai +
Bình Định) in the Central Highlands, Tây Ninh (Tây Ninh + Long An) in the Southeast.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from catalog import adminunits

# (code, Vietnamese name, English name); the order is the conventional north-to-south order.
REGIONS = [
    (
        "northern-midlands-mountains",
        "Trung du và miền núi phía Bắc",
        "Northern Midlands and Mountains",
    ),
    ("red-river-delta", "Đồng bằng sông Hồng", "Red River Delta"),
    (
        "north-central-central-coast",
        "Bắc Trung Bộ và Duyên hải miền Trung",
        "North Central and Central Coast",
    ),
    ("central-highlands", "Tây Nguyên", "Central Highlands"),
    ("southeast", "Đông Nam Bộ", "Southeast"),
    ("mekong-delta", "Đồng bằng sông Cửu Long", "Mekong Delta"),
]

NMM = "northern-midlands-mountains"
RRD = "red-river-delta"
NCC = "north-central-central-coast"
CH = "central-highlands"
SE = "southeast"
MD = "mekong-delta"

# Official code of a current province -> (English name, region code).
PROVINCES = {
    "01": ("Hanoi", RRD),
    "04": ("Cao Bang", NMM),
    "08": ("Tuyen Quang", NMM),
    "11": ("Dien Bien", NMM),
    "12": ("Lai Chau", NMM),
    "14": ("Son La", NMM),
    "15": ("Lao Cai", NMM),
    "19": ("Thai Nguyen", NMM),
    "20": ("Lang Son", NMM),
    "22": ("Quang Ninh", RRD),
    "24": ("Bac Ninh", RRD),
    "25": ("Phu Tho", NMM),
    "31": ("Hai Phong", RRD),
    "33": ("Hung Yen", RRD),
    "37": ("Ninh Binh", RRD),
    "38": ("Thanh Hoa", NCC),
    "40": ("Nghe An", NCC),
    "42": ("Ha Tinh", NCC),
    "44": ("Quang Tri", NCC),
    "46": ("Hue", NCC),
    "48": ("Da Nang", NCC),
    "51": ("Quang Ngai", NCC),
    "52": ("Gia Lai", CH),
    "56": ("Khanh Hoa", NCC),
    "66": ("Dak Lak", CH),
    "68": ("Lam Dong", CH),
    "75": ("Dong Nai", SE),
    "79": ("Ho Chi Minh City", SE),
    "80": ("Tay Ninh", SE),
    "82": ("Dong Thap", MD),
    "86": ("Vinh Long", MD),
    "91": ("An Giang", MD),
    "92": ("Can Tho", MD),
    "96": ("Ca Mau", MD),
}


@dataclass(frozen=True)
class ProvinceFacts:
    """A current province as the package gives it, with our English name and region."""

    code: str
    name: str
    name_en: str
    region: int  # index into REGIONS
    kind: str  # "city" (centrally-run) or "province"
    latitude: float
    longitude: float


@cache
def province_facts() -> tuple[ProvinceFacts, ...]:
    """The 34 provinces in the package's order (by official code), for code without a database."""
    region_index = {code: i for i, (code, _name, _en) in enumerate(REGIONS)}
    out = []
    for unit in adminunits.current_provinces():
        name_en, region = PROVINCES[unit.code]
        out.append(
            ProvinceFacts(
                code=unit.code,
                name=unit.name,
                name_en=name_en,
                region=region_index[region],
                kind=unit.kind,
                latitude=unit.latitude,
                longitude=unit.longitude,
            )
        )
    return tuple(out)
