"""Where the synthetic market's listings are: the 34 provinces, their regions, the programmes.

The provinces are not typed here: codes, names and centres come from the ``vietnamadminunits``
package and the English name and region from ``catalog.regions``, the same facts the seed
loads into ``Province`` rows, in the same order (by official code). The four cooperation
programmes are modelled on the conferences in ``sources/``.
"""

from __future__ import annotations

import numpy as np

from catalog.regions import ProvinceFacts, province_facts

PROVINCES: tuple[ProvinceFacts, ...] = province_facts()

# (name, English name, member provinces). A pair of members is covered by the programme.
PROGRAMMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "TP.HCM – Tây Nguyên",
        "HCMC – Central Highlands",
        ("Hồ Chí Minh", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Quảng Ngãi"),
    ),
    (
        "TP.HCM – 9 tỉnh Bắc Bộ và Bắc Trung Bộ",
        "HCMC – nine northern and north-central provinces",
        (
            "Hồ Chí Minh",
            "Tuyên Quang",
            "Lào Cai",
            "Thái Nguyên",
            "Phú Thọ",
            "Bắc Ninh",
            "Hưng Yên",
            "Ninh Bình",
            "Thanh Hóa",
            "Nghệ An",
        ),
    ),
    (
        "5 thành phố trực thuộc Trung ương – Đồng bằng sông Cửu Long",
        "Five centrally-run cities – Mekong Delta",
        (
            "Hà Nội",
            "Hải Phòng",
            "Đà Nẵng",
            "Hồ Chí Minh",
            "Cần Thơ",
            "Đồng Tháp",
            "Vĩnh Long",
            "An Giang",
            "Cà Mau",
            "Tây Ninh",
        ),
    ),
    (
        "Kết nối cung cầu các tỉnh phía Bắc",
        "Northern provinces supply–demand connection",
        (
            "Hà Nội",
            "Cao Bằng",
            "Tuyên Quang",
            "Điện Biên",
            "Lai Châu",
            "Sơn La",
            "Lào Cai",
            "Thái Nguyên",
            "Lạng Sơn",
            "Quảng Ninh",
            "Bắc Ninh",
            "Phú Thọ",
            "Hải Phòng",
            "Hưng Yên",
            "Ninh Bình",
        ),
    ),
)

# Where buyers are: the cities dominate.
BUYER_PROVINCES = {
    "Hồ Chí Minh": 0.30,
    "Hà Nội": 0.22,
    "Đà Nẵng": 0.06,
    "Hải Phòng": 0.05,
    "Cần Thơ": 0.05,
    "Đồng Nai": 0.03,
    "Bắc Ninh": 0.03,
    "Quảng Ninh": 0.02,
    "Khánh Hòa": 0.02,
}


def province_index(name: str) -> int:
    """Index of a province by its Vietnamese or English name, e.g. ``"Đắk Lắk"``."""
    for i, p in enumerate(PROVINCES):
        if name in (p.name, p.name_en):
            return i
    raise KeyError(name)


def programme_matrix() -> np.ndarray:
    """(provinces x provinces) index of the programme covering a pair, -1 where none does."""
    n_prov = len(PROVINCES)
    programme = np.full((n_prov, n_prov), -1, dtype=np.int16)
    # Later (wider) programmes do not overwrite an earlier, more specific one.
    for p_idx, (_name, _en, members) in enumerate(PROGRAMMES):
        idx = np.array([province_index(m) for m in members])
        block = programme[np.ix_(idx, idx)]
        programme[np.ix_(idx, idx)] = np.where(block < 0, p_idx, block)
    return programme
