"""Learning from declines: an organization's reasons for declining reweigh what it is offered.

Each decline with a reason moves the weight of the factor that reason names, for that
organization only: a price decline weighs price fit up, a distance decline distance, a
quality or certification decline trust (which carries verification, OCOP stars and proven
certificates), a quantity decline quantity fit, a timing decline time overlap; "other" teaches
nothing. Each decline multiplies the factor's weight by ``1 + STEP`` more (linear, not
compounding) up to ``MAX_MULTIPLIER``; the weights are then renormalised to sum to 1.

A pair's weights combine both organizations' multipliers (product, clipped to
``[MIN_MULTIPLIER, MAX_MULTIPLIER]``) and renormalise. So every weight stays within ×0.5..×2
of the configured one: the raised ones by the clip, the others because the renormalising sum
is at most 1.7 (every factor but product raised ×2 gives 0.3 + 0.7 × 2).

The engine takes the multipliers as plain arrays (``Context.learned``); counting declines
and resets is the service's business (``matchmaking.services.learning``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from matchmaking.engine.records import FACTORS

STEP = 0.25
MIN_MULTIPLIER = 0.5
MAX_MULTIPLIER = 2.0
# Decline reason code -> the factor it weighs up (``Match.DeclineReason``; "other" none).
REASON_FACTOR: Mapping[str, str] = {
    "price": "price",
    "distance": "distance",
    "quality": "trust",
    "quantity": "quantity",
    "timing": "time",
}


@dataclass(frozen=True)
class Learned:
    """What one organization's declines taught: counts by reason and the factor multipliers."""

    declines: Mapping[str, int] = field(default_factory=dict)
    multipliers: np.ndarray = field(default_factory=lambda: np.ones(len(FACTORS)))

    @property
    def active(self) -> bool:
        return bool(np.any(self.multipliers != 1.0))


def learned_from(declines: Mapping[str, int]) -> Learned:
    """The multipliers taught by decline counts ``{reason: n}`` (unknown reasons ignored)."""
    mult = np.ones(len(FACTORS), dtype=np.float64)
    for reason, n in declines.items():
        factor = REASON_FACTOR.get(reason)
        if factor and n > 0:
            i = FACTORS.index(factor)
            mult[i] = min(MAX_MULTIPLIER, mult[i] + STEP * int(n))
    kept = {r: int(n) for r, n in declines.items() if int(n) > 0}
    return Learned(declines=kept, multipliers=mult)


def org_multipliers(orgs: np.ndarray, learned: Mapping[int, Learned]) -> np.ndarray | None:
    """(n, 7) multipliers of organizations ``orgs`` (1 where nothing was learned), or None
    when none of them learned anything (the common case: then the configured weights hold)."""
    if not learned:
        return None
    active = {org: item for org, item in learned.items() if item.active}
    if not active:
        return None
    keys = np.array(sorted(active), dtype=np.int64)
    table = np.stack([np.asarray(active[int(k)].multipliers, dtype=np.float64) for k in keys])
    orgs = np.asarray(orgs, dtype=np.int64)
    pos = np.searchsorted(keys, orgs).clip(0, len(keys) - 1)
    hit = keys[pos] == orgs
    if not hit.any():
        return None
    out = np.ones((len(orgs), len(FACTORS)), dtype=np.float64)
    out[hit] = table[pos[hit]]
    return out


def pair_weights(
    base: np.ndarray,
    s_org: np.ndarray,
    d_org: np.ndarray,
    learned: Mapping[int, Learned],
) -> np.ndarray | None:
    """(n, 7) normalised weights of pairs, or None when neither side learned anything."""
    m_s = org_multipliers(s_org, learned)
    m_d = org_multipliers(d_org, learned)
    if m_s is None and m_d is None:
        return None
    n = len(s_org)
    mult = np.ones((n, len(FACTORS)))
    if m_s is not None:
        mult *= m_s
    if m_d is not None:
        mult *= m_d
    np.clip(mult, MIN_MULTIPLIER, MAX_MULTIPLIER, out=mult)
    w = mult * np.asarray(base, dtype=np.float64)[None, :]
    w /= w.sum(axis=1, keepdims=True)
    return w


def learned_orgs(learned: Mapping[int, Learned]) -> np.ndarray:
    """Sorted ids of organizations whose weights differ from the configured ones."""
    return np.array(sorted(org for org, item in learned.items() if item.active), dtype=np.int64)


_FACTOR_REASON = {factor: reason for reason, factor in REASON_FACTOR.items()}


def learned_args(
    factor: str, s_org: int, d_org: int, learned: Mapping[int, Learned]
) -> dict | None:
    """How many declines on this factor's reason each side of a pair taught, when any did
    (``{"supplier"|"buyer": {declines, reason, multiplier}}``, for the reasons)."""
    reason = _FACTOR_REASON.get(factor)
    if not reason or not learned:
        return None
    out = {}
    for side, org in (("supplier", s_org), ("buyer", d_org)):
        item = learned.get(int(org))
        n = int(item.declines.get(reason, 0)) if item is not None else 0
        if n:
            mult = float(item.multipliers[FACTORS.index(factor)])
            out[side] = {"declines": n, "reason": reason, "multiplier": round(mult, 4)}
    return out or None
