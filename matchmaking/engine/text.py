"""Name similarity that reads Vietnamese, unaccented Vietnamese and English alike.

A listing's title, product and category names become a set of *concept tokens*, read by the
catalogue's text vocabulary (:func:`catalog.text.concepts.concept_tokens`: folding, synonyms,
longest phrase first, the accent pre-pass that tells "bơ" from "bò", stop words), the same
reading listing search uses. So "Cà phê Robusta", "ca phe robusta" and "Robusta coffee" all
become {coffee, robusta}.

For the bulk engine a set becomes a 128-bit signature (two uint64): every token sets two bits
chosen by a stable hash (blake2b, not Python's per-process salted ``hash()``), and the
similarity of two signatures ``|a & b| / |a | b|`` estimates the Jaccard similarity of the token
sets (exact unless two tokens collide on bits). :func:`similarity` is the exact Jaccard
similarity for tests and single comparisons.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from catalog.text.concepts import PHRASES, concept_tokens

# The phrase table the tokens are read with (the catalogue's; kept here for the engine's tests).
_PHRASES = PHRASES


@lru_cache(maxsize=65536)
def tokens(text: str | None) -> frozenset[str]:
    """The set of concept tokens of a text (see the module docstring), cached per text."""
    return concept_tokens(text)


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
