"""Name similarity that reads Vietnamese, unaccented Vietnamese and English alike.

A listing's title, product and category names become a set of *concept tokens*: the text is
folded (``catalog.text.fold``: lower case, no diacritics, đ -> d), known phrases are replaced by
canonical English tokens, longest phrase first ("cà phê chè" is arabica coffee, not coffee plus
tea), and the remaining words are kept as they are minus a few listing stop words. So
"Cà phê Robusta", "ca phe robusta" and "Robusta coffee" all become {coffee, robusta}.

For the bulk engine a set becomes a 128-bit signature (two uint64): every token sets two bits
chosen by a stable hash (blake2b, not Python's per-process salted ``hash()``), and the
similarity of two signatures ``|a & b| / |a | b|`` estimates the Jaccard similarity of the token
sets (exact unless two tokens collide on bits). :func:`similarity` is the exact Jaccard
similarity for tests and single comparisons.

Folding merges some words: "bơ" (avocado, also butter) and "bò" (beef) both fold to "bo";
"nhãn" (longan) and "nhân" (kernel) both fold to "nhan". When the diacritics are present they
decide (a small pre-pass on the accented text runs before folding); in unaccented text known
phrases decide ("trai bo" is avocado, "thit bo" beef, "ca phe nhan" green coffee); a bare
unaccented "bo" stays the ambiguous token "bo" and matches neither avocado nor beef. This is a
known limitation, accepted because titles almost always name more than one word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from catalog.synonyms import CONCEPTS
from catalog.text import fold

# The concept table (canonical tokens | phrases) is the catalogue's: search and matching
# read the same synonyms.
_CONCEPTS = CONCEPTS

# Words that say what a listing is, not what it sells.
_STOP_WORDS = """\
ban mua can thu cung cap nhu cau loai hang chat luong cao tan ta yen kg kgs tonne tonnes ton
tons lit litre litres liter liters l pcs chiec cai thung hop bao goi dac san nong san
san pham xuat khau noi dia gia tot si le tu ve cho voi va cua the la dang
co the nhan don hang
for sale buy buying supply supplier supplies sell selling wanted the of and a an from in on
with grade quality premium high export exporter products product bulk
"""

# Phrases whose word-by-word reading would be wrong.
_STOP_PHRASES = (
    "tieu dung",  # tiêu dùng: consumption, not pepper
    "tieu thu",  # tiêu thụ: to sell through
    "dieu kien",  # điều kiện: conditions, not cashew
    "nhan hieu",  # nhãn hiệu: brand
    "nhan mac",  # nhãn mác: label
    "cam ket",  # cam kết: commitment, not orange
    "dong goi",  # đóng gói: packing
    "van chuyen",  # vận chuyển: transport
    "giao hang",  # giao hàng: delivery
    "hop tac xa",  # hợp tác xã: cooperative
    "cong ty",  # công ty: company
)

# Accented words that fold onto another word are decided before folding, while the marks are
# there: each becomes an English marker word. Phrases first, so "sữa bò" is milk, not beef.
_ACCENTED: tuple[tuple[str, str], ...] = (
    ("sữa bò", "milk"),
    ("bò sữa", "cattle"),
    ("bò giống", "cattle"),
    ("bơ thực vật", "butter"),
    ("bơ đậu phộng", "butter peanut"),
    ("bơ lạc", "butter peanut"),
    ("bơ lạt", "butter"),
    ("bơ mặn", "butter"),
    ("bơ động vật", "butter"),
    ("nhân sâm", "ginseng"),
    ("hạnh nhân", "almond"),
    ("bơ", "avocado"),
    ("bò", "beef"),
    ("nhãn", "longan"),
    ("nhân", "kernel"),
)

# The same senses in unaccented text, written with the marker words; each is also entered in
# its unaccented spelling ("trai avocado" -> "trai bo"), so both spellings give the same tokens.
_SENSES: tuple[str, ...] = (
    "trai avocado",
    "qua avocado",
    "avocado sap",
    "avocado booth",
    "avocado hass",
    "avocado 034",
    "thit beef",
    "bap beef",
    "beef uc",
    "beef kho",
    "beef to",
    "ca phe kernel",
    "kernel dieu",
    "longan long",
    "longan xuong",
)
_MARKER_SPELLING = {"avocado": "bo", "beef": "bo", "longan": "nhan", "kernel": "nhan"}

_WORD_CHARS = r"0-9a-zà-ỹđ"


_ACCENTED_RE = [
    (re.compile(rf"(?<![{_WORD_CHARS}]){re.escape(phrase)}(?![{_WORD_CHARS}])"), f" {marker} ")
    for phrase, marker in _ACCENTED
]


def _normalize_accented(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    if not any(ch in text for ch in "ơòâã"):
        return text
    for pattern, marker in _ACCENTED_RE:
        text = pattern.sub(marker, text)
    return text


def _build_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in _CONCEPTS.strip().splitlines():
        tokens_part, phrases_part = line.split("|")
        concept = tuple(tokens_part.split())
        for phrase in phrases_part.split(";"):
            key = tuple(fold(phrase).split())
            if key:
                # The first concept to claim a spelling keeps it.
                table.setdefault(key, concept)
    for phrase in _STOP_PHRASES:
        table[tuple(phrase.split())] = ()
    # Unaccented spellings of the senses the accented pre-pass resolves, read the same way.
    base = dict(table)
    for accented, marker in _ACCENTED:
        table[tuple(fold(accented).split())] = tuple(sorted(_match(marker.split(), base)))
    for phrase in _SENSES:
        words = phrase.split()
        # Only the concepts: "bơ sáp" is avocado, the variety word adds nothing.
        concepts = set().union(*base.values())
        found = tuple(sorted(_match(words, base) & concepts))
        table[tuple(words)] = found
        table[tuple(_MARKER_SPELLING.get(w, w) for w in words)] = found
    # "bo" and "nhan" alone stay ambiguous: without marks they name no concept.
    table.pop(("bo",), None)
    table.pop(("nhan",), None)
    return table


def _match(words: list[str], table: dict[tuple[str, ...], tuple[str, ...]]) -> set[str]:
    """Longest-phrase-first reading of folded words into concept tokens."""
    longest = max(map(len, table))
    out: set[str] = set()
    i, n = 0, len(words)
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            hit = table.get(tuple(words[i : i + size]))
            if hit is not None:
                out.update(hit)
                i += size
                break
        else:
            word = words[i]
            # English plurals not listed: "mangosteens" -> "mangosteen".
            singular = table.get((word[:-1],)) if len(word) > 3 and word.endswith("s") else None
            if singular is not None:
                out.update(singular)
            elif word not in _STOP and not word.isdigit():
                out.add(word)
            i += 1
    return out


_STOP = frozenset(_STOP_WORDS.split())
_PHRASES = _build_phrases()


@lru_cache(maxsize=65536)
def tokens(text: str | None) -> frozenset[str]:
    """The set of concept tokens of a text (see the module docstring)."""
    if not text:
        return frozenset()
    return frozenset(_match(fold(_normalize_accented(text)).split(), _PHRASES))


def similarity(a_text: str | None, b_text: str | None) -> float:
    """Exact Jaccard similarity of the concept-token sets of two texts (0 when either is empty)."""
    a, b = tokens(a_text), tokens(b_text)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@lru_cache(maxsize=65536)
def _token_bits(token: str) -> tuple[int, int]:
    digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
    h = int.from_bytes(digest, "little")
    lo = hi = 0
    for pos in (h & 127, (h >> 7) & 127):
        if pos < 64:
            lo |= 1 << pos
        else:
            hi |= 1 << (pos - 64)
    return lo, hi


@lru_cache(maxsize=65536)
def signature(text: str | None) -> tuple[int, int]:
    """The 128-bit signature (two unsigned 64-bit ints) of a text's concept tokens."""
    lo = hi = 0
    for token in tokens(text):
        t_lo, t_hi = _token_bits(token)
        lo |= t_lo
        hi |= t_hi
    return lo, hi


def signatures(texts: Iterable[str | None]) -> np.ndarray:
    """Signatures of many texts as an (n, 2) uint64 array, ready for ``ListingTable``."""
    return np.array([signature(t) for t in texts], dtype=np.uint64).reshape(-1, 2)


def listing_text(*parts: str | None) -> str:
    """The text a listing is signed by: its title, product and category names (both languages)."""
    return " ; ".join(p for p in parts if p)


def signature_similarity(
    a_lo: np.ndarray, a_hi: np.ndarray, b_lo: np.ndarray, b_hi: np.ndarray
) -> np.ndarray:
    """|a & b| / |a | b| of signatures, element-wise with broadcasting (0 when both empty)."""
    inter = np.bitwise_count(a_lo & b_lo) + np.bitwise_count(a_hi & b_hi)
    union = np.bitwise_count(a_lo | b_lo) + np.bitwise_count(a_hi | b_hi)
    return inter.astype(np.float32) / np.maximum(union, 1).astype(np.float32)
