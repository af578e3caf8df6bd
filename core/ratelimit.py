"""Counting attempts per client in a fixed window, for what DRF's throttles do not cover.

Sign-ups (page and API) are limited per address: ``SIGNUP_RATE`` (default ``5/10m``, five
accounts per ten minutes) counts the sign-ups that passed validation, so a typo in the
password confirmation costs nothing. The counter lives in the cache shared by every web
process; if the cache cannot be reached the attempt is allowed (a sign-up must not fail
because Redis is down).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.protection import client_ip

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"5/10m"`` → 5 per 600 s; ``"100/hour"``, ``"3/min"`` as DRF writes them."""
    found = _RATE.match(text or "")
    if not found:
        raise ValueError(f"not a rate: {text!r} (write it as 5/10m, 100/hour)")
    count, multiple, unit = found.groups()
    return Rate(limit=int(count), seconds=int(multiple or 1) * _UNITS[unit])


def hit(scope: str, ident: str, rate: Rate) -> tuple[bool, int]:
    """Count one attempt; (allowed, seconds until the window ends)."""
    key = f"ratelimit:{scope}:{ident}"
    try:
        cache.add(key, 0, timeout=rate.seconds)
        count = cache.incr(key)
    except Exception:  # fail open: a cache outage must not refuse sign-ups
        log.warning("rate limit %s not counted: cache unavailable", scope, exc_info=True)
        return True, 0
    return count <= rate.limit, rate.seconds


def signup_allowed(request) -> tuple[bool, int]:
    """Count a sign-up from this client's address against ``SIGNUP_RATE``."""
    return hit("signup", client_ip(request) or "unknown", parse_rate(settings.SIGNUP_RATE))
