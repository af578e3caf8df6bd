"""Vietnamese/English synonyms for search: "coffee" also finds "cà phê".

Pure Python (the matching engine reads the same table). Keys and values are folded text.
"""

from __future__ import annotations

from catalog.text import fold

# Each group is one concept; every phrase in it is folded before use.
SYNONYM_GROUPS: list[tuple[str, ...]] = [
    ("cà phê", "ca phe", "coffee", "cafe"),
    ("cà phê vối", "robusta"),
    ("cà phê chè", "arabica"),
    ("hồ tiêu", "tiêu", "pepper", "black pepper"),
    ("sầu riêng", "durian"),
    ("bơ", "avocado"),
    ("bưởi", "pomelo"),
    ("gạo", "lúa", "rice", "paddy"),
    ("tôm", "shrimp", "prawn"),
    ("cá tra", "pangasius", "basa"),
    ("chè", "trà", "tea"),
    ("hạt dẻ", "chestnut"),
    ("hồng", "persimmon"),
    ("sâm", "nhân sâm", "ginseng"),
    ("dược liệu", "medicinal herbs", "herbs"),
    ("mật ong", "honey"),
    ("điều", "hạt điều", "cashew"),
    ("xoài", "mango"),
    ("thanh long", "dragon fruit"),
    ("vải", "vải thiều", "lychee", "litchi"),
    ("nhãn", "longan"),
    ("mắc ca", "macadamia"),
    ("ca cao", "cacao", "cocoa"),
    ("nước mắm", "fish sauce"),
    ("chuối", "banana"),
    ("cam", "orange"),
    ("dừa", "coconut"),
    ("rau", "rau củ", "vegetables"),
    ("hoa", "flowers"),
    ("thủy sản", "hải sản", "seafood", "aquatic products"),
    ("cá", "fish"),
    ("mực", "squid"),
    ("cua", "crab"),
    ("gà", "chicken"),
    ("thịt", "meat"),
    ("mía", "sugarcane"),
    ("sắn", "khoai mì", "cassava"),
    ("quế", "cinnamon"),
    ("hồi", "star anise"),
    ("măng", "bamboo shoots"),
    ("nấm", "mushroom"),
    ("chanh dây", "passion fruit"),
    ("thủ công mỹ nghệ", "handicrafts", "handicraft"),
]


def _build() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        folded = tuple(dict.fromkeys(fold(p) for p in group))
        for phrase in folded:
            table.setdefault(phrase, folded)
    return table


SYNONYMS = _build()


def expand(folded_query: str) -> list[str]:
    """The query and, when it names a known concept, the concept's other names."""
    variants = [folded_query]
    for phrase in SYNONYMS.get(folded_query, ()):
        if phrase not in variants:
            variants.append(phrase)
    return variants
