"""Reading a text as concepts, longest phrase first: one reading for matching and for search.

The text is folded (:func:`catalog.text.fold.fold`) and cut into known phrases, longest first
("cà phê chè" is arabica coffee, not coffee plus tea); matching keeps each phrase's canonical
tokens and the other words minus a few listing stop words ("Cà phê Robusta", "ca phe robusta"
and "Robusta coffee" all read {coffee, robusta}); search looks for every spelling of each
phrase's concept.

Folding merges some words: "bơ" (avocado, also butter) and "bò" (beef) both fold to "bo";
"nhãn" (longan) and "nhân" (kernel) both fold to "nhan". When the diacritics are present they
decide: :func:`mark_accents` runs on the accented text before folding and writes an English
marker word in their place. In unaccented text known phrases decide ("trai bo" is avocado,
"thit bo" beef, "ca phe nhan" green coffee); a bare unaccented "bo" stays the ambiguous word
"bo" and means neither avocado nor beef. This is a known limitation, accepted because titles
almost always name more than one word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TypeVar

from catalog.text.fold import fold
from catalog.text.synonyms import BY_SPELLING

T = TypeVar("T")

# Words that say what a listing is, not what it sells.
STOP_WORDS = frozenset(
    [
        "ban",
        "mua",
        "can",
        "thu",
        "cung",
        "cap",
        "nhu",
        "cau",
        "loai",
        "hang",
        "chat",
        "luong",
        "cao",
        "tan",
        "ta",
        "yen",
        "kg",
        "kgs",
        "tonne",
        "tonnes",
        "ton",
        "tons",
        "lit",
        "litre",
        "litres",
        "liter",
        "liters",
        "l",
        "pcs",
        "chiec",
        "cai",
        "thung",
        "hop",
        "bao",
        "goi",
        "dac",
        "san",
        "nong",
        "san",
        "san",
        "pham",
        "xuat",
        "khau",
        "noi",
        "dia",
        "gia",
        "tot",
        "si",
        "le",
        "tu",
        "ve",
        "cho",
        "voi",
        "va",
        "cua",
        "the",
        "la",
        "dang",
        "co",
        "the",
        "nhan",
        "don",
        "hang",
        "for",
        "sale",
        "buy",
        "buying",
        "supply",
        "supplier",
        "supplies",
        "sell",
        "selling",
        "wanted",
        "the",
        "of",
        "and",
        "a",
        "an",
        "from",
        "in",
        "on",
        "with",
        "grade",
        "quality",
        "premium",
        "high",
        "export",
        "exporter",
        "products",
        "product",
        "bulk",
    ]
)

# Phrases whose word-by-word reading would be wrong.
STOP_PHRASES = (
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

# Accented words that fold onto another word, each with the English marker word that replaces
# it while the marks are there. Phrases first, so "sữa bò" is milk, not beef.
ACCENTED: tuple[tuple[str, str], ...] = (
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
    # "cua" is crab; "của" (of) and "cửa" (door; "cửa hàng", a shop) fold onto it.
    ("cửa hàng", "shop"),
    ("cửa khẩu", "border gate"),
    ("của", "of"),
    ("cửa", "door"),
    ("cua", "crab"),
    # "chuỗi" (a chain of shops) folds onto "chuối" (banana), which keeps the plain spelling.
    ("chuỗi", "chain"),
    ("chuối", "banana"),
)

# The same senses in unaccented text, written with the marker words; each is also entered in
# its unaccented spelling ("trai avocado" -> "trai bo"), so both spellings read the same.
SENSES: tuple[str, ...] = (
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
MARKER_SPELLING = {"avocado": "bo", "beef": "bo", "longan": "nhan", "kernel": "nhan"}

_WORD_CHARS = r"0-9a-zà-ỹđ"
_ACCENTED_RE = [
    (re.compile(rf"(?<![{_WORD_CHARS}]){re.escape(phrase)}(?![{_WORD_CHARS}])"), f" {marker} ")
    for phrase, marker in ACCENTED
]


# A text holding none of these letters holds none of the accented words above.
_MARKED_CHARS = frozenset(ch for phrase, _marker in ACCENTED for ch in phrase if not ch.isascii())


def mark_accents(text: str) -> str:
    """The accent pre-pass: lower case, with "bơ", "bò", "nhãn", "nhân"… replaced by markers."""
    text = unicodedata.normalize("NFC", text).lower()
    if not any(ch in text for ch in _MARKED_CHARS):
        return text
    for pattern, marker in _ACCENTED_RE:
        text = pattern.sub(marker, text)
    return text


def cut(
    words: Sequence[str], table: Mapping[tuple[str, ...], T], longest: int
) -> list[tuple[tuple[str, ...], T | None]]:
    """Folded words cut into phrases, the longest known phrase first, each with what the table
    says of it (None for a word the table does not know)."""
    pieces: list[tuple[tuple[str, ...], T | None]] = []
    i, n = 0, len(words)
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            phrase = tuple(words[i : i + size])
            hit = table.get(phrase)
            if hit is not None:
                pieces.append((phrase, hit))
                i += size
                break
        else:
            pieces.append(((words[i],), None))
            i += 1
    return pieces


# --- matching: a text as a set of concept tokens -------------------------------------------


def read(
    words: Sequence[str], table: Mapping[tuple[str, ...], tuple[str, ...]], longest: int
) -> set[str]:
    """Folded words as concept tokens: known phrases by their tokens, other words as they are
    (English plurals singular, stop words and numbers left out)."""
    out: set[str] = set()
    for phrase, hit in cut(words, table, longest):
        if hit is not None:
            out.update(hit)
            continue
        word = phrase[0]
        # English plurals not listed: "mangosteens" -> "mangosteen".
        singular = table.get((word[:-1],)) if len(word) > 3 and word.endswith("s") else None
        if singular is not None:
            out.update(singular)
        elif word not in STOP_WORDS and not word.isdigit():
            out.add(word)
    return out


def _build_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    table = {spelling: concept.tokens for spelling, concept in BY_SPELLING.items()}
    for phrase in STOP_PHRASES:
        table[tuple(phrase.split())] = ()
    # Unaccented spellings of the senses the accent pre-pass resolves, read the same way.
    base, longest = dict(table), max(map(len, table))
    for accented, marker in ACCENTED:
        table[tuple(fold(accented).split())] = tuple(sorted(read(marker.split(), base, longest)))
    concepts = set().union(*base.values())
    for phrase in SENSES:
        words = phrase.split()
        # Only the concepts: "bơ sáp" is avocado, the variety word adds nothing.
        found = tuple(sorted(read(words, base, longest) & concepts))
        table[tuple(words)] = found
        table[tuple(MARKER_SPELLING.get(w, w) for w in words)] = found
    # "bo" and "nhan" alone stay ambiguous: without marks they name no concept.
    table.pop(("bo",), None)
    table.pop(("nhan",), None)
    return table


PHRASES = _build_phrases()
_PHRASES_LONGEST = max(map(len, PHRASES))


def concept_tokens(text: str | None) -> frozenset[str]:
    """The concept tokens of a text: "Cà phê vối Đắk Lắk" -> {coffee, robusta, dak, lak}."""
    if not text:
        return frozenset()
    return frozenset(read(fold(mark_accents(text)).split(), PHRASES, _PHRASES_LONGEST))


# The tokens the accent pre-pass and the unaccented senses decide; folded text cannot carry
# them, so a listing's search text carries them as words ("bơ sáp" -> "avocado").
SENSE_TOKENS = frozenset(
    token for _accented, marker in ACCENTED for token in concept_tokens(marker)
)


def sense_words(*texts: str | None) -> str:
    """The sense tokens of some texts as one string ("avocado"), for a search blob."""
    return " ".join(sorted(concept_tokens(" ; ".join(t for t in texts if t)) & SENSE_TOKENS))


# --- search: a query as the spellings to look for -------------------------------------------

# A search looks at most at this many words, so a pasted paragraph stays one cheap query.
SEARCH_MAX_WORDS = 8

_SPELLINGS = {spelling: concept.spellings for spelling, concept in BY_SPELLING.items()}
_SPELLINGS_LONGEST = max(map(len, _SPELLINGS))


def _variants(phrase: tuple[str, ...], spellings: tuple[str, ...] | None) -> tuple[str, ...]:
    """The phrase, then the other spellings of its concept."""
    return tuple(dict.fromkeys((" ".join(phrase), *(spellings or ()))))


def search_terms(query: str | None) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """What a search for ``query`` looks for in folded text.

    Returns the spellings of the whole query (any one found is enough), and its concepts, each
    as its spellings (every concept must be found, through any of its spellings). Known phrases
    are taken longest first, so "coffee robusta" is two concepts (``("coffee", "ca phe",
    "cafe", …)`` and ``("robusta", "ca phe voi", …)``) and "cà phê vối" one, not three words;
    "bơ" and "bò" are told apart by the accent pre-pass.
    """
    words = fold(mark_accents(query or "")).split()[:SEARCH_MAX_WORDS]
    if not words:
        return (), []
    whole = tuple(words)
    concepts = [
        _variants(phrase, spellings)
        for phrase, spellings in cut(words, _SPELLINGS, _SPELLINGS_LONGEST)
    ]
    return _variants(whole, _SPELLINGS.get(whole)), concepts
