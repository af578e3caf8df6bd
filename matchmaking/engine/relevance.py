"""Sharper relevance: what a demand's own words ask for, and who it wants to buy from.

Two multipliers on a pair's score (1 when they do not apply):

* **intent**: a demand whose title, product or description names products more specific than
  its category ("Robusta only" under coffee, "sầu riêng và bơ" under fruit) has an *intent*
  mask; a supply *fits* when its own words (title, product, category) name one of them. A
  supply that names none is scored ``× Config.intent_penalty`` (0.6) and, for that demand,
  ranks below every supply that fits, whatever the scores (:func:`misfit`: the allocation,
  the block kernel's top lists, pools and the stored order all put fits first), so Arabica
  is never offered above the Robusta for a Robusta demand. The masks are exact, one bit per concept of the
  catalogue's vocabulary (:data:`VOCABULARY`, 126 concepts in two 64-bit words), so there
  are no hash collisions.
* **producer**: a demand that asks for producers (``FLAG_WANTS_PRODUCER``, set by the
  service from its words) scores a supply resold by a trader (``FLAG_RESELLER``)
  ``× Config.reseller_penalty`` (0.8): still offered, but below a producer of the same offer.

The same function serves the pair-wise reference, ``match_one`` and the explanations; the
block kernel computes the same product in place.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from catalog.text.synonyms import BY_SPELLING
from matchmaking.engine.records import FLAG_RESELLER, FLAG_WANTS_PRODUCER, Config, ListingTable

VOCABULARY: tuple[str, ...] = tuple(
    sorted({token for concept in BY_SPELLING.values() for token in concept.tokens})
)
_BIT = {token: i for i, token in enumerate(VOCABULARY)}
if len(VOCABULARY) > 128:  # pragma: no cover - a guard for whoever grows the table
    raise RuntimeError("the concept vocabulary outgrew the 128-bit masks")


def concept_mask(tokens: Iterable[str]) -> tuple[int, int]:
    """The (lo, hi) 64-bit words with one bit per vocabulary concept among ``tokens``."""
    lo = hi = 0
    for token in tokens:
        bit = _BIT.get(token)
        if bit is None:
            continue
        if bit < 64:
            lo |= 1 << bit
        else:
            hi |= 1 << (bit - 64)
    return lo, hi


def mask_tokens(lo: int, hi: int) -> list[str]:
    """The concepts of a mask, for explanations ("robusta")."""
    out = [VOCABULARY[b] for b in range(min(64, len(VOCABULARY))) if lo >> b & 1]
    out += [VOCABULARY[64 + b] for b in range(len(VOCABULARY) - 64) if hi >> b & 1]
    return out


def intent_fit(d_intent: np.ndarray, s_offer: np.ndarray) -> np.ndarray:
    """True where the demand asks for nothing specific or the supply names what it asks."""
    d_intent = np.asarray(d_intent, dtype=np.uint64)
    s_offer = np.asarray(s_offer, dtype=np.uint64)
    none = (d_intent[..., 0] == 0) & (d_intent[..., 1] == 0)
    shared = ((d_intent[..., 0] & s_offer[..., 0]) | (d_intent[..., 1] & s_offer[..., 1])) != 0
    return none | shared


def misfit(d_intent: np.ndarray, s_offer: np.ndarray, config: Config) -> np.ndarray:
    """True where the demand's words ask for products the supply names none of (and the
    intent penalty applies): such a pair ranks below every pair that fits, for that demand,
    whatever the scores (the stored score keeps its ``× intent_penalty``)."""
    fit = intent_fit(d_intent, s_offer)
    if float(config.intent_penalty) >= 1.0:
        return np.zeros(fit.shape, dtype=bool)
    return ~fit


def pair_misfits(
    supplies: ListingTable,
    demands: ListingTable,
    s_rows: np.ndarray,
    d_rows: np.ndarray,
    config: Config,
) -> np.ndarray | None:
    """:func:`misfit` of pairs given as table rows; None when no demand asks for anything
    specific (then nothing is ranked behind and no pair array is gathered)."""
    if float(config.intent_penalty) >= 1.0 or not demands.intent.any():
        return None
    return misfit(demands.intent[d_rows], supplies.offer[s_rows], config)


def reseller_for_producer_buyer(s_flags: np.ndarray, d_flags: np.ndarray) -> np.ndarray:
    """True where a demand asking for producers meets a supply resold by a trader."""
    s_flags = np.asarray(s_flags, dtype=np.uint8)
    d_flags = np.asarray(d_flags, dtype=np.uint8)
    return ((s_flags & FLAG_RESELLER) != 0) & ((d_flags & FLAG_WANTS_PRODUCER) != 0)


def relevance_multiplier(
    s_offer: np.ndarray,
    d_intent: np.ndarray,
    s_flags: np.ndarray,
    d_flags: np.ndarray,
    config: Config,
) -> np.ndarray:
    """The score multiplier of pairs (element-wise over aligned pair arrays)."""
    fit = intent_fit(d_intent, s_offer)
    resold = reseller_for_producer_buyer(s_flags, d_flags)
    mult = np.where(fit, 1.0, float(config.intent_penalty))
    return mult * np.where(resold, float(config.reseller_penalty), 1.0)
