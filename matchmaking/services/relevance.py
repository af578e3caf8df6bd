"""What a listing's words say beyond its category: the products a demand asks for, whether it
asks for producers, whether a supply is resold (``matchmaking.engine.relevance`` scores them).

A demand *asks for producers* when its title or description says so, in either language,
with or without diacritics: "trực tiếp từ nhà sản xuất", "từ HTX", "hợp tác xã", "nông dân",
"không qua trung gian", "producer only", "direct from producers", "from the farm", "no
traders" (:data:`PRODUCER_PHRASES`). A supply is *resold* when its organization is a
distributor, retail chain or exporter (``Organization.kind``): a legitimate supply, ranked
below a producer's for such a demand.

A demand's *intent* is the catalogue concepts its title, product and description name,
minus those of its own category and the category's ancestors (they add nothing the category
does not say), minus descriptors that name a state or processing, not another product
(:data:`DESCRIPTORS`: fresh, dried, kernel, roasted…) and minus the words of the producer phrases ("nhà sản xuất" names no product).
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog.text.fold import fold
from matchmaking.engine.relevance import concept_mask
from matchmaking.engine.text import tokens

PRODUCER_PHRASES = (
    "trực tiếp từ nhà sản xuất",
    "trực tiếp nhà sản xuất",
    "từ nhà sản xuất",
    "nhà sản xuất",
    "trực tiếp từ htx",
    "từ htx",
    "htx",
    "hợp tác xã",
    "trực tiếp từ nông dân",
    "nông dân",
    "nhà vườn",
    "không qua trung gian",
    "producer only",
    "producers only",
    "from producers",
    "from the producer",
    "direct from producer",
    "direct from the farm",
    "from the farm",
    "farm direct",
    "cooperative only",
    "no traders",
    "no resellers",
    "no middlemen",
)
_FOLDED = tuple(dict.fromkeys(fold(p) for p in PRODUCER_PHRASES))
_PRODUCER_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _FOLDED) + r")\b")
# Concepts that describe a product's state or processing without naming another product
# ("cà phê nhân" is green coffee: any coffee supply may be it).
DESCRIPTORS = frozenset(
    {
        "fresh", "dried", "frozen", "organic", "kernel", "roasted", "instant", "powder",
        "fillet", "oil", "white", "black", "pink", "brown", "milk", "meat",
    }
)  # fmt: skip
RESELLER_KINDS = frozenset({"distributor", "retailer", "exporter"})


@lru_cache(maxsize=4096)
def _phrase_tokens() -> frozenset[str]:
    return frozenset().union(*(tokens(p) for p in PRODUCER_PHRASES))


def asks_for_producers(*texts: str | None) -> bool:
    """True when the words ask to buy from producers (see the module docstring)."""
    return any(_PRODUCER_RE.search(fold(t)) for t in texts if t)


def intent_mask(words: tuple[str | None, ...], category_words: frozenset[str]) -> tuple[int, int]:
    """The concept mask of what ``words`` ask for beyond ``category_words``."""
    asked = frozenset().union(*(tokens(w) for w in words if w))
    asked = asked - category_words - DESCRIPTORS
    if any(asks_for_producers(w) for w in words):
        asked = asked - _phrase_tokens()
    return concept_mask(asked)


def offer_mask(text: str) -> tuple[int, int]:
    """The concept mask of what a listing is (its signed text: title, product, category)."""
    return concept_mask(tokens(text))
