"""How long an OCOP rating counts: 36 months (Decision 148/QĐ-TTg, the OCOP rating rules).

Only the rating's year is recorded, so a rating counts until it is certainly older than 36
months: a rating of year Y counts to 31 December of Y + 3 (if it was given on the last day of
Y, that is exactly 36 months). A rating without a year keeps counting, as before the year
was recorded.
"""

from __future__ import annotations

import datetime

VALID_MONTHS = 36


def oldest_current_year(today: datetime.date) -> int:
    """The earliest rating year that still counts on ``today``."""
    return today.year - VALID_MONTHS // 12


def rating_counts(year: int | None, today: datetime.date) -> bool:
    return year is None or year >= oldest_current_year(today)


def current_stars(stars: int | None, year: int | None, today: datetime.date) -> int | None:
    """``stars`` if the rating still counts on ``today``, else None."""
    if not stars:
        return None
    return stars if rating_counts(year, today) else None
