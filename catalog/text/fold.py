"""Folding: lower case, no Vietnamese diacritics, punctuation collapsed to single spaces.

"Cà phê", "ca phe" and "CA PHÊ" fold to the same key; "đ" becomes "d", which Unicode
decomposition alone does not do.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse punctuation to single spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def fold_compact(text: str | None) -> str:
    """Folded with no spaces at all: "Đắk Lắk", "Dak Lak" and "Daklak" meet here."""
    return fold(text).replace(" ", "")


def search_blob(*parts: str | None) -> str:
    """One folded string for ``icontains`` search across several names."""
    seen: list[str] = []
    for part in parts:
        folded = fold(part)
        if folded and folded not in seen:
            seen.append(folded)
    return " | ".join(seen)
